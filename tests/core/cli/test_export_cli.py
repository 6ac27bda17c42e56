"""``quotebook export``: every format and filter option from the command line."""
import csv
import json
import subprocess
import sys

import networkx as nx
import pytest
from spacy.tokens import DocBin

from annotator.cli.main import run
from conftest import ROOT, cli_env
from export_helpers import coded  # noqa: F401 (fixture)


@pytest.fixture
def project(coded, project_path):
    coded.close()
    return project_path


def test_every_format(project, tmp_path, capsys):
    for fmt, out in [("jsonl", "a.jsonl"), ("prodigy", "p.jsonl"), ("spacy", "d.spacy"),
                     ("brat", "brat"), ("csv", "q.csv"), ("network", "net")]:
        code = run(["export", "--project", str(project), "--format", fmt, "--layer", "gold",
                    "--out", str(tmp_path / out)])
        assert code == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert "exported 11 article(s)" in printed and "exported 51 quote(s)" in printed
    assert (tmp_path / "a.registry.json").exists()
    assert len((tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()) == 11
    assert sum(len(DocBin().from_disk(p)) for p in (tmp_path / "d.spacy").glob("*.spacy")) == 11
    assert len(list((tmp_path / "brat").glob("*.ann"))) == 11
    assert nx.read_gexf(tmp_path / "net" / "conflict.gexf").number_of_nodes() > 0


def test_filter_options(project, tmp_path, capsys):
    out = tmp_path / "q.csv"
    code = run(["export", "--project", str(project), "--format", "csv", "--out", str(out),
                "--layer", "gold", "--layer", "alice", "--status", "accepted",
                "--article-status", "done", "--outlet", "Northern Ledger",
                "--outlet", "Unicode Times", "--from", "2026-01-01", "--to", "2026-12-31",
                "--bom"])
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["source"] for r in rows} == {"sample-01", "tricky"}
    assert {r["layer"] for r in rows} == {"gold", "alice"}
    topic = rows[0]["topic"]
    code = run(["export", "--project", str(project), "--format", "jsonl", "--topic", topic,
                "--quoted-only", "--out", str(tmp_path / "t.jsonl")])
    assert code == 0
    records = [json.loads(x) for x in (tmp_path / "t.jsonl").read_text("utf-8").splitlines()]
    assert records and all(q["topic"] == topic for r in records for q in r["quotes"])
    assert all(r["quotes"] for r in records)


def test_errors_are_one_line_on_stderr(project, tmp_path, capsys):
    code = run(["export", "--project", str(project), "--format", "csv", "--layer", "carol",
                "--out", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("quotebook: no layer 'carol'")
    code = run(["export", "--project", str(project), "--format", "brat", "--from", "yesterday",
                "--out", str(tmp_path / "b")])
    assert code == 1 and "is not a date" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "b").exists()


def test_main_py_exports_in_a_subprocess(project, tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", "--project",
                          str(project), "--format", "network", "--layer", "gold", "--out",
                          str(tmp_path / "net")], env=cli_env(), capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "speaker(s)" in out.stdout and (tmp_path / "net" / "two_mode.graphml").exists()
    bad = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", "--project",
                          str(project), "--format", "xml", "--out", str(tmp_path / "x")],
                         env=cli_env(), capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_cli_round_trip_into_a_new_project_keeps_the_exported_codebook(tmp_path):
    import subprocess, sys as _sys
    from conftest import ROOT, cli_env
    from annotator.editing.codebook import codebook
    from annotator.editing.registry import UpdatePosition
    from annotator.store.db import open_project
    run = lambda *a: subprocess.run([_sys.executable, str(ROOT / "main.py"), *map(str, a)],  # noqa
                                    env=cli_env(), capture_output=True, text=True, timeout=300)
    src = tmp_path / "src.quotebook"
    (tmp_path / "a.txt").write_text("An article.")
    assert run("import", tmp_path / "a.txt", "--project", src, "--no-analyze").returncode == 0
    db = open_project(src)
    first = codebook(db)[0]["positions"][0]
    UpdatePosition(position_id=first["id"], label="Support strongly", value=5,
                   actor="system").apply(db)
    db.close()
    assert run("export", "--format", "jsonl", "--out", tmp_path / "e.jsonl",
               "--project", src).returncode == 0
    new = tmp_path / "new.quotebook"
    out = run("import", tmp_path / "e.jsonl", "--project", new, "--no-analyze")
    assert out.returncode == 0, out.stderr
    labels = {p["label"]: p["value"] for t in codebook(open_project(new)) for p in t["positions"]}
    assert labels["Support strongly"] == 5 and "Support" not in labels
