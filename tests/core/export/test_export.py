"""The native JSONL export: its shape (a contract), exact offsets, the scorer reads it."""
import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest
from export_helpers import GOLD, load_gold_layer

from annotator.export import jsonl as export_mod
from annotator.export.files import ExportError
from annotator.export.jsonl import export_jsonl
from annotator.selection import SelectionError
from annotator.corpus.importing import import_paths, text_hash
from annotator.project import SAMPLE_CORPUS
from annotator.editing.edits import add_quote
from annotator.editing.speakers import add_speaker, find_speaker
from conftest import SHARED



@pytest.fixture
def sample_db(db):
    import_paths(db, [SAMPLE_CORPUS])
    return db


def read(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_record_shape(sample_db, tmp_path):
    db = sample_db
    db.execute("INSERT INTO entities(article_id, start, \"end\", label) VALUES (1, 0, 7, 'GPE')")
    db.conn.commit()
    speaker = add_speaker(db, "Anna Kovacs", role="Foreign Minister", organisation="Estmark")
    text = db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0]
    uid = add_quote(db, article_id=1, layer="alice", fragments=[(100, 120), (10, 30)],
                    kind="direct", speaker_id=speaker, speaker_span=(40, 51),
                    cue_span=(52, 56), note="split")
    n = export_jsonl(db, tmp_path / "out.jsonl")
    records = read(tmp_path / "out.jsonl")
    assert n == len(records) == 10
    rec = records[0]
    assert set(rec) == {"id", "text", "meta", "entities", "quotes"}
    assert rec["id"] == text_hash(rec["text"]) and rec["text"] == text
    assert {"title", "outlet", "author", "url", "published", "filename"} <= set(rec["meta"])
    assert rec["meta"]["filename"] == "articles.jsonl" and rec["meta"]["source"] == "sample-01"
    assert rec["entities"] == [{"start": 0, "end": 7, "label": "GPE", "text": text[0:7]}]
    (q,) = rec["quotes"]
    assert set(q) == {"id", "fragments", "start", "end", "text", "kind", "speaker", "cue",
                      "topic", "position", "layer", "status", "confidence", "note", "created",
                      "updated"}
    assert q["id"] == uid and q["fragments"] == [[10, 30], [100, 120]]
    assert (q["start"], q["end"], q["text"]) == (10, 120, text[10:120])
    assert q["speaker"] == {"id": speaker, "name": "Anna Kovacs", "start": 40, "end": 51,
                            "role": "Foreign Minister", "organisation": "Estmark"}
    assert q["cue"] == {"start": 52, "end": 56, "text": text[52:56]}
    assert (q["layer"], q["status"], q["note"]) == ("alice", "accepted", "split")


def test_offsets_exact_with_emoji_and_rtl(sample_db, tmp_path):
    gold = load_gold_layer(sample_db)
    export_jsonl(sample_db, tmp_path / "gold.jsonl", layer="gold")
    by_source = {r["meta"]["source"]: r for r in read(tmp_path / "gold.jsonl")}
    checked_astral = checked_rtl = False
    for source, quotes in gold.items():
        rec = by_source[source]
        got = sorted((q["start"], q["end"], q["text"]) for q in rec["quotes"])
        assert got == sorted((q["start"], q["end"], q["text"]) for q in quotes)
        for q in rec["quotes"]:
            checked_astral |= any(ord(c) > 0xFFFF for c in q["text"])
            sp = q["speaker"]
            assert rec["text"][sp["start"]:sp["end"]]
        checked_rtl |= any("\u0590" <= c <= "\u06ff" for c in rec["text"])
    assert checked_astral and checked_rtl


def test_scorer_reads_the_export(sample_db, tmp_path):
    load_gold_layer(sample_db)
    export_jsonl(sample_db, tmp_path / "gold.jsonl", layer="gold")
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "score_quotes.py"), str(GOLD),
                          str(tmp_path / "gold.jsonl")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    scores = json.loads(out.stdout)
    assert scores["articles_predicted"] == 10
    assert scores["strict"]["f1"] == 1.0 and scores["speaker_accuracy"] == 1.0


def test_layer_filter_and_unknown_layer(sample_db, tmp_path):
    add_quote(sample_db, article_id=2, layer="alice", fragments=[(0, 5)])
    add_quote(sample_db, article_id=2, layer="bob", fragments=[(6, 9)])
    export_jsonl(sample_db, tmp_path / "a.jsonl", layer="alice")
    quotes = [q for r in read(tmp_path / "a.jsonl") for q in r["quotes"]]
    assert [q["layer"] for q in quotes] == ["alice"]
    export_jsonl(sample_db, tmp_path / "all.jsonl")
    assert len([q for r in read(tmp_path / "all.jsonl") for q in r["quotes"]]) == 2
    with pytest.raises(SelectionError, match="no layer 'carol'.*alice, bob"):
        export_jsonl(sample_db, tmp_path / "c.jsonl", layer="carol")
    assert not (tmp_path / "c.jsonl").exists()


def test_failed_write_leaves_no_file(sample_db, tmp_path, monkeypatch):
    target = tmp_path / "out.jsonl"
    target.write_text("the previous export\n")
    original = export_mod.write_atomically

    def disk_fills_up(out, lines, **kw):
        def gen():
            yield next(iter(lines))
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(out, gen(), **kw)
    monkeypatch.setattr(export_mod, "write_atomically", disk_fills_up)
    with pytest.raises(ExportError, match="out.jsonl: write failed .No space left"):
        export_jsonl(sample_db, target)
    assert target.read_text() == "the previous export\n"  # untouched
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_unwritable_folder_is_reported(sample_db, tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(export_mod.tempfile, "mkstemp", denied)
    with pytest.raises(ExportError, match="out.jsonl: cannot write there .Permission denied"):
        export_jsonl(sample_db, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_missing_folder_is_reported(sample_db, tmp_path):
    with pytest.raises(ExportError, match="cannot write there"):
        export_jsonl(sample_db, tmp_path / "no" / "such" / "out.jsonl")
