"""Importing again what a project has: one line per kind of duplicate on stderr, never one
per record; many bad records: the first ones named, the rest counted."""
import json
import subprocess
import sys

from annotator.corpus.importing import EXAMPLES, import_paths
from conftest import ROOT, cli_env


def qb(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          env=cli_env(), capture_output=True, text=True, timeout=300)


def test_reimporting_an_export_says_one_line_per_kind(tmp_path):
    from annotator.editing.edits import add_quote
    from annotator.store.db import open_project
    project = tmp_path / "p.quotebook"
    src = tmp_path / "src.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Article {i}: the minister "
                                       f"said the talks would go on."}) + "\n"
                           for i in range(60)))
    db = open_project(project)
    import_paths(db, [src])
    for aid in range(1, 61):  # 3 quotes each
        for start in (0, 13, 30):
            add_quote(db, article_id=aid, layer="alice", fragments=[(start, start + 8)])
    db.close()
    out = qb("export", "--format", "jsonl", "--out", tmp_path / "all.jsonl", "--project", project)
    assert out.returncode == 0, out.stderr
    again = qb("import", tmp_path / "all.jsonl", "--project", project, "--no-analyze")
    assert again.returncode == 0, again.stderr
    assert "imported 0 article(s) from 1 file(s); 60 duplicate(s), 0 skipped" in again.stdout
    lines = again.stderr.splitlines()
    assert len(lines) == 2, lines
    assert "duplicate: 60 article(s) already in the project (the same text)" in lines[0]
    assert "all.jsonl:1: same text as article 1" in lines[0]
    assert "duplicate: 180 quote(s) already in the project (the same id)" in lines[1]


def test_many_bad_records_name_the_first_and_count_the_rest(db, tmp_path):
    path = tmp_path / "bad.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(EXAMPLES + 15):
            fh.write(json.dumps({"title": f"no text {i}"}) + "\n")
            fh.write(json.dumps({"text": f"Good article {i}."}) + "\n")
    report = import_paths(db, [path])
    assert report.imported == EXAMPLES + 15 and len(report.skipped) == EXAMPLES + 15
    problems = report.problems()
    assert len(problems) == EXAMPLES + 1
    assert all(kind == "skipped" for kind, _line in problems)
    assert problems[0][1].startswith(f"{path}:1: ")
    assert problems[-1][1] == f"15 more record(s) skipped ({EXAMPLES + 15} in all)"
    again = import_paths(db, [path])
    assert again.duplicate_count == EXAMPLES + 15 and len(again.duplicates) == EXAMPLES
