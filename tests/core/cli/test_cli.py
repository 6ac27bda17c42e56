"""The command line, end to end in subprocesses, and the default project."""
import json
import subprocess
import sys

import pytest

from annotator.project import default_project_path, open_or_default
from annotator.insights.stats import project_stats
from conftest import ROOT, SEEDS, cli_env


def qb(*args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          env=env or cli_env(), capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_import_analyze_stats_export_end_to_end(tmp_path):
    project = tmp_path / "p.quotebook"
    out = qb("import", SEEDS, "--project", project)
    assert out.returncode == 0, out.stderr
    assert "imported 2 article(s)" in out.stdout and "analysed 2 of 2" in out.stdout
    stats = json.loads(qb("stats", "--project", project, "--format", "json").stdout)
    assert stats["articles"] == 2 and stats["analyzed"] == 2 and stats["entities"] > 20
    assert stats["entities_by_label"]["PERSON"] > 0
    assert stats["topics"] >= 1  # a new project starts with the default codebook
    again = qb("import", SEEDS / "000_ea8a4a46e2e3a1c2.txt", "--project", project, "--no-analyze")
    assert again.returncode == 0 and "1 duplicate(s)" in again.stdout
    assert "duplicate:" in again.stderr and "000_ea8a4a46e2e3a1c2.txt" in again.stderr
    export = qb("export", "--format", "jsonl", "--out", tmp_path / "o.jsonl", "--project", project)
    assert export.returncode == 0, export.stderr
    records = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert len(records) == 2
    assert records[0]["text"] == (SEEDS / records[0]["meta"]["filename"]).read_bytes().decode()
    assert all(r["entities"] for r in records)
    text = qb("stats", "--project", project).stdout
    assert "articles: 2 (2 analysed, 0 to analyse)" in text


def test_errors_go_to_stderr_with_nonzero_exit(tmp_path):
    missing = qb("stats", "--project", tmp_path / "none.quotebook")
    assert missing.returncode == 1 and "no such project" in missing.stderr
    assert not (tmp_path / "none.quotebook").exists()
    (tmp_path / "bad.quotebook").write_text("not sqlite")
    bad = qb("stats", "--project", tmp_path / "bad.quotebook")
    assert bad.returncode == 1 and "not a Quotebook project" in bad.stderr
    assert "Traceback" not in bad.stderr
    project = tmp_path / "p.quotebook"
    nothing = qb("import", tmp_path / "nothing.txt", "--project", project)
    assert nothing.returncode == 1 and "nothing.txt: no such file or folder" in nothing.stderr
    (tmp_path / "a.txt").write_text("Some article text.")
    assert qb("import", tmp_path / "a.txt", "--project", project, "--no-analyze").returncode == 0
    nolayer = qb("export", "--layer", "zed", "--out", tmp_path / "x.jsonl", "--project", project)
    assert nolayer.returncode == 1 and "no layer 'zed'" in nolayer.stderr
    usage = qb("export", "--project", project)
    assert usage.returncode == 2 and "--out" in usage.stderr


def test_missing_model_is_one_line_not_a_traceback(tmp_path):
    project = tmp_path / "p.quotebook"
    (tmp_path / "a.txt").write_text("Some article text.")
    out = qb("import", tmp_path / "a.txt", "--project", project, "--model", "xx_missing_qb")
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "xx_missing_qb" in lines[0] and "pip install" in lines[0]
    # the setting chooses the pipeline too
    assert qb("config", "model", "xx_setting_qb", "--project", project).returncode == 0
    assert qb("config", "model", "--project", project).stdout.strip() == "xx_setting_qb"
    out = qb("analyze", "--project", project)
    assert out.returncode == 1 and "xx_setting_qb" in out.stderr


def test_default_project_is_created_and_seeded_once(private_data_home):
    path = default_project_path()
    assert str(path).startswith(str(private_data_home)) and not path.exists()
    db, opened = open_or_default(None)
    assert opened == path and path.exists()
    stats = project_stats(db)
    assert stats["articles"] == 10 and stats["topics"] >= 1 and stats["positions"] >= 2
    db.close()
    db, _ = open_or_default(None)
    assert project_stats(db)["articles"] == 10  # not seeded twice
    db.close()


def test_cli_uses_the_default_project(tmp_path):
    out = qb("stats", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["articles"] == 10
