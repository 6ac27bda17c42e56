"""Prodigy JSONL in: our own export back, Prodigy's ner / spans task files, bad lines."""
import json
import subprocess
import sys

from annotator.corpus.importing import import_paths
from annotator.editing.codebook import load_codebook
from annotator.export.prodigy import export_prodigy
from annotator.project import DEFAULT_CODEBOOK
from annotator.store.db import open_project
from conftest import ROOT, cli_env
from export_helpers import coded_project

QUOTES = ("SELECT q.uuid, a.hash, l.name, q.kind, q.status, s.name, s.role, s.organisation, "
          "q.speaker_start, q.speaker_end, q.cue_start, q.cue_end, t.name, p.label, "
          "(SELECT group_concat(f.start || '-' || f.\"end\", ';') FROM quote_fragments f "
          " WHERE f.quote_id = q.id ORDER BY f.ord) "
          "FROM quotes q JOIN articles a ON a.id = q.article_id JOIN layers l ON l.id = q.layer_id "
          "LEFT JOIN speakers s ON s.id = q.speaker_id LEFT JOIN topics t ON t.id = q.topic_id "
          "LEFT JOIN positions p ON p.id = q.position_id WHERE q.status != 'rejected' "
          "ORDER BY q.uuid")


def test_our_prodigy_export_imports_back(db, tmp_path):
    coded_project(db, tmp_path)
    out = tmp_path / "tasks.jsonl"
    export_prodigy(db, out)
    other = open_project(tmp_path / "other.quotebook")
    load_codebook(other, DEFAULT_CODEBOOK)
    report = import_paths(other, [out])       # recognised by its spans, no --format needed
    assert report.imported == 11 and not report.skipped and not report.warnings
    assert db.execute(QUOTES).fetchall() == other.execute(QUOTES).fetchall()
    assert db.execute('SELECT a.hash, e.start, e."end", e.label FROM entities e JOIN articles a '
                      "ON a.id = e.article_id ORDER BY 1, 2, 3").fetchall() == other.execute(
        'SELECT a.hash, e.start, e."end", e.label FROM entities e JOIN articles a '
        "ON a.id = e.article_id ORDER BY 1, 2, 3").fetchall()
    assert other.execute("SELECT title, outlet, published FROM articles WHERE source = 'tricky'"
                         ).fetchone() == ("Tricky", "Unicode Times", "2026-10-01")
    # importing again adds nothing
    import_paths(other, [out])
    assert other.execute("SELECT count(*) FROM quotes").fetchone()[0] == len(
        other.execute(QUOTES).fetchall())
    other.close()


TEXT = "Jane Roe said the dam is safe. Acme Corp disagreed."


def task(**kw):
    return json.dumps({"text": TEXT, **kw})


def test_prodigy_ner_and_spans_tasks_with_answers_and_bad_lines(db, tmp_path):
    roe, quote, acme = (0, 8), (14, 29), (31, 40)
    lines = [
        task(spans=[{"start": 0, "end": 8, "label": "PERSON"},
                    {"start": 31, "end": 40, "label": "ORG"}], answer="accept"),
        json.dumps({"text": "Rejected text.", "spans": [], "answer": "reject"}),
        json.dumps({"text": "Ignored text.", "spans": [], "answer": "ignore"}),
        json.dumps({"spans": [{"start": 0, "end": 3, "label": "ORG"}], "answer": "accept"}),
        json.dumps({"text": "Short one.", "spans": [{"start": 5, "end": 99, "label": "ORG"}]}),
    ]
    (tmp_path / "ner.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    spans_task = task(spans=[{"start": quote[0], "end": quote[1], "label": "QUOTE"},
                             {"start": roe[0], "end": roe[1], "label": "SPEAKER"},
                             {"start": 9, "end": 13, "label": "CUE"}],
                      relations=[{"head_span": {"start": 14, "end": 29, "label": "QUOTE"},
                                  "child_span": {"start": 0, "end": 8, "label": "SPEAKER"},
                                  "label": "SPEAKER"},
                                 {"head_span": {"start": 14, "end": 29, "label": "QUOTE"},
                                  "child_span": {"start": 9, "end": 13, "label": "CUE"},
                                  "label": "CUE"}],
                      answer="accept")
    (tmp_path / "spans.jsonl").write_text(spans_task + "\n", encoding="utf-8")
    report = import_paths(db, [tmp_path / "ner.jsonl", tmp_path / "spans.jsonl"],
                          format="prodigy", layer="carol")
    ner = str(tmp_path / "ner.jsonl")
    assert report.imported == 1 and len(report.duplicates) == 1
    assert report.skipped == [
        f"{ner}:2: task answered 'reject'; skipped",
        f"{ner}:3: task answered 'ignore'; skipped",
        f"{ner}:4: task has no text (the 'text' field is missing or empty); skipped",
        f"{ner}:5: spans[0] is outside the text (10 characters) or has no 'start' and "
        "'end'; skipped"]
    assert db.execute('SELECT start, "end", label FROM entities ORDER BY start').fetchall() == \
        [(*roe, "PERSON"), (*acme, "ORG")]
    assert db.execute("SELECT l.name, q.start, q.\"end\", s.name, q.speaker_start, q.cue_start "
                      "FROM quotes q JOIN layers l ON l.id = q.layer_id LEFT JOIN speakers s "
                      "ON s.id = q.speaker_id").fetchall() == [("carol", *quote, "Jane Roe", 0, 9)]
    assert db.execute("SELECT count(*) FROM articles WHERE text = 'Rejected text.'"
                      ).fetchone()[0] == 0


def test_prodigy_format_reads_lines_without_spans_as_tasks(db, tmp_path):
    path = tmp_path / "plain.jsonl"
    path.write_text(json.dumps({"text": TEXT, "answer": "reject"}) + "\n"
                    + json.dumps({"text": "Kept as a task.", "meta": {"source": "k1"}}) + "\n",
                    encoding="utf-8")
    report = import_paths(db, [path], format="prodigy")
    assert report.imported == 1 and report.skipped == [
        f"{path}:1: task answered 'reject'; skipped"]
    assert db.execute("SELECT source FROM articles").fetchall() == [("k1",)]


def test_cli_import_format_prodigy_counts_rejected_tasks(tmp_path):
    path = tmp_path / "tasks.jsonl"
    path.write_text(task(spans=[{"start": 14, "end": 29, "label": "QUOTE"}]) + "\n"
                    + json.dumps({"text": "No.", "answer": "ignore"}) + "\n", encoding="utf-8")
    project = tmp_path / "p.quotebook"
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(path),
                          "--format", "prodigy", "--layer", "dora", "--no-analyze",
                          "--project", str(project)],
                         env=cli_env(), capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "imported 1 article(s) from 1 file(s); 0 duplicate(s), 1 skipped; 1 quote(s)" \
        in out.stdout
    assert f"{path}:2: task answered 'ignore'; skipped" in out.stderr
    db = open_project(project)
    assert db.execute("SELECT l.name, q.start FROM quotes q JOIN layers l ON l.id = q.layer_id"
                      ).fetchall() == [("dora", 14)]
    db.close()
