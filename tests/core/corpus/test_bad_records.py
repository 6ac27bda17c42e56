"""One bad record never costs the good ones: each is skipped with file, line and reason.

The fixtures in ``tests/data/malformed`` hold a good record before and after the bad one;
what a file cannot hold (a name with invalid UTF-8 bytes, a very deep nesting) is built here.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

from annotator.corpus import sources
from annotator.editing.codebook import CodebookError, load_codebook
from annotator.corpus.native import Restorer
from annotator.corpus.importing import import_paths
from conftest import ROOT, cli_env

MALFORMED = ROOT / "tests" / "data" / "malformed"


def titles(db):
    return [r[0] for r in db.execute("SELECT title FROM articles ORDER BY id")]


def one_line(messages, prefix):
    """The one message that starts with ``prefix`` (file:line)."""
    found = [m for m in messages if m.startswith(prefix)]
    assert len(found) == 1, (prefix, messages)
    return found[0]


def copy(name, tmp_path, *, registry=False):
    """The fixture ``name`` (and its registry sidecar) in a folder of its own."""
    shutil.copy(MALFORMED / name, tmp_path / name)
    if registry:
        side = name.replace(".jsonl", ".registry.json")
        shutil.copy(MALFORMED / side, tmp_path / side)
    return tmp_path / name


@pytest.mark.parametrize("name, reason", [
    ("nested_arrays.jsonl", "nested too deeply"),
    ("nested_objects.jsonl", "nested too deeply"),
    ("huge_number.jsonl", "a number with more than 4300 digits"),
    ("surrogate_text.jsonl", "'text' contains a lone surrogate (\\ud800)"),
    ("surrogate_title.jsonl", "'title' contains a lone surrogate (\\udfff)"),
])
def test_a_bad_record_is_skipped_and_the_rest_imported(db, name, reason):
    path = MALFORMED / name
    report = import_paths(db, [path])
    assert report.imported == 2 and titles(db) == ["Before", "After"]
    message = one_line(report.skipped, f"{path}:2: ")
    assert reason in message and "skipped" in message
    assert len(report.skipped) == 1


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_nesting_past_any_recursion_limit_is_skipped(db, tmp_path, opening, closing):
    path = tmp_path / "deep.jsonl"
    deep = opening * 100_000 + "1" + closing * 100_000
    path.write_text("\n".join([json.dumps({"text": "First."}),
                               '{"text": "Deep.", "x": ' + deep + "}",
                               json.dumps({"text": "Last."})]) + "\n", encoding="utf-8")
    report = import_paths(db, [path])
    assert report.imported == 2
    assert "nested too deeply" in one_line(report.skipped, f"{path}:2: ")


def test_a_lone_surrogate_anywhere_names_its_field(db, tmp_path):
    path = tmp_path / "meta.jsonl"
    path.write_text('{"text": "One."}\n{"text": "Two.", "tags": ["ok", "bad \\udc80"]}\n'
                    '{"text": "Three.", "\\ud801key": 1}\n{"text": "Four \\ud83c\\udf89"}\n',
                    encoding="utf-8")
    report = import_paths(db, [path])
    assert report.imported == 2  # a proper pair (an emoji) is text
    assert "'tags[1]' contains a lone surrogate" in one_line(report.skipped, f"{path}:2: ")
    assert "a key contains a lone surrogate" in one_line(report.skipped, f"{path}:3: ")


def test_a_nul_character_in_a_text_column_is_skipped(db, tmp_path):
    path = tmp_path / "nul.jsonl"
    path.write_text('{"text": "One."}\n{"text": "T\\u0000wo."}\n{"text": "Three.", '
                    '"outlet": "W\\u0000ire"}\n{"text": "Four.", "note": "a\\u0000b"}\n',
                    encoding="utf-8")
    report = import_paths(db, [path])
    assert report.imported == 2
    assert "'text' contains a NUL character" in one_line(report.skipped, f"{path}:2: ")
    assert "'outlet' contains a NUL character" in one_line(report.skipped, f"{path}:3: ")


def test_numbers_where_names_belong_in_plain_jsonl_become_text(db):
    report = import_paths(db, [MALFORMED / "numbers_plain.jsonl"])
    assert report.imported == 3 and not report.skipped
    assert db.execute("SELECT title, outlet, author FROM articles WHERE id = 2").fetchone() \
        == ("12", "5", "3.5")


def test_registry_with_version_null_is_reported_and_the_import_goes_on(db, tmp_path):
    path = copy("version_null.jsonl", tmp_path, registry=True)
    report = import_paths(db, [path])
    assert report.imported == 3 and report.quotes == 2 and not report.skipped
    warning = one_line(report.warnings, str(tmp_path / "version_null.registry.json"))
    assert "'version' must be a whole number" in warning
    assert db.execute("SELECT name FROM speakers").fetchall() == [("Ana Lopez",)]


def test_numbers_where_names_belong_in_native_jsonl_and_registry(db, tmp_path):
    path = copy("numbers_native.jsonl", tmp_path, registry=True)
    report = import_paths(db, [path])
    assert report.imported == 3 and report.quotes == 3 and not report.skipped
    assert db.execute("SELECT title, outlet, filename, source FROM articles WHERE id = 2"
                      ).fetchone() == ("12", "5", "3", "77")
    row = db.execute(
        "SELECT s.name, s.role, t.name, p.label, l.name FROM quotes q "
        "JOIN speakers s ON s.id = q.speaker_id JOIN topics t ON t.id = q.topic_id "
        "JOIN positions p ON p.id = q.position_id JOIN layers l ON l.id = q.layer_id "
        "WHERE q.uuid = 'numbers_native-q2'").fetchone()
    assert row == ("42", "7", "2024", "1", "9")
    side = str(tmp_path / "numbers_native.registry.json")
    text = "\n".join(report.warnings)
    for field in ("speakers[1].name", "speakers[1].role", "topics[1].name",
                  "topics[1].positions[0].label", "layers[1].name"):
        assert f"{side}: {field}: a number" in text, field
    for field in ("topic", "position", "layer"):  # the speaker is the registry's id 2
        assert f"{path}:2: quotes[0].{field}: a number" in text, field


def test_a_list_as_order_in_the_registry_is_reported_and_its_place_used(db, tmp_path):
    path = copy("order_list.jsonl", tmp_path, registry=True)
    report = import_paths(db, [path])
    assert report.imported == 3 and report.quotes == 2 and not report.skipped
    side = str(tmp_path / "order_list.registry.json")
    text = "\n".join(report.warnings)
    assert f"{side}: topics[0].order: must be a whole number" in text
    assert f"{side}: topics[0].positions[1].order: must be a whole number" in text
    assert db.execute('SELECT p.label, p."order" FROM positions p JOIN topics t '
                      "ON t.id = p.topic_id WHERE t.name = 'Climate' ORDER BY p.\"order\""
                      ).fetchall() == [("Support", 0), ("Oppose", 1)]


def test_a_list_as_order_in_a_codebook_names_file_and_field(db):
    path = MALFORMED / "order_list.codebook.json"
    with pytest.raises(CodebookError, match=r"topics\[0\]\.positions\[0\]: 'order' must be "
                                            r"a whole number"):
        load_codebook(db, path)


def test_a_file_name_with_invalid_utf8_bytes_is_imported_as_text(db, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("First article.\n", encoding="utf-8")
    bad = os.path.join(os.fsencode(folder), b"caf\xe9 \xff.txt")
    with open(bad, "wb") as fh:
        fh.write(b"An article in a badly named file.\n")
    bad_jsonl = os.path.join(os.fsencode(folder), b"list\xff.jsonl")
    with open(bad_jsonl, "wb") as fh:
        fh.write(b'{"text": "Good line."}\n{"text": 5}\n')
    report = import_paths(db, [folder])
    assert report.imported == 3
    rows = db.execute("SELECT filename, source, source_path FROM articles ORDER BY id").fetchall()
    for row in rows:
        for value in filter(None, row):
            value.encode("utf-8")  # valid text: SQLite and every export can take it
    assert rows[1][:2] == ("caf\ufffd \ufffd.txt", "caf\ufffd \ufffd.txt")
    assert rows[2][0] == "list\ufffd.jsonl"
    message = one_line(report.skipped, str(folder / "list\ufffd.jsonl") + ":2: ")
    message.encode("utf-8")


def test_a_speaker_without_id_is_found_or_created_by_name(db, tmp_path):
    path = copy("speaker_no_id.jsonl", tmp_path)
    report = import_paths(db, [path])
    assert report.imported == 3 and report.quotes == 3
    assert db.execute(
        "SELECT s.name, s.role, s.organisation FROM quotes q JOIN speakers s "
        "ON s.id = q.speaker_id WHERE q.uuid = 'speaker_no_id-q2'").fetchone() == (
        "Mike Pompeo", "Secretary of State", "State Department")
    assert "quotes[0].extra_field" in one_line(report.warnings, f"{path}:2: ")


def test_a_speaker_without_id_joins_the_one_of_that_name(db, tmp_path):
    from annotator.editing.speakers import add_speaker
    known = add_speaker(db, "mike pompeo", organisation="State Department")
    path = copy("speaker_no_id.jsonl", tmp_path)
    report = import_paths(db, [path])
    assert db.execute("SELECT speaker_id FROM quotes WHERE uuid = 'speaker_no_id-q2'"
                      ).fetchone() == (known,)
    assert db.execute("SELECT name, role FROM speakers WHERE id = ?", [known]).fetchone() == (
        "mike pompeo", None)  # the project's speaker is kept as it is; the difference named
    assert "quotes[0].speaker.role: 'Secretary of State' differs" in one_line(
        [w for w in report.warnings if "role" in w], f"{path}:2: ")


def native_record(text, **extra):
    import hashlib
    record = {"id": hashlib.sha1(text.encode()).hexdigest(), "text": text, "meta": {},
              "entities": [], "quotes": []}
    record.update(extra)
    return json.dumps(record)


def test_an_exported_mention_without_speaker_stays_a_mention(db, tmp_path):
    text = "Someone said: it works."
    q = {"id": "q1", "fragments": [[14, 23]], "speaker": {"id": None, "name": "Someone",
                                                           "start": 0, "end": 7},
         "layer": "alice"}
    path = tmp_path / "m.jsonl"
    path.write_text(native_record(text, quotes=[q]) + "\n", encoding="utf-8")
    report = import_paths(db, [path])
    assert report.quotes == 1 and not report.warnings
    assert db.execute("SELECT speaker_id, speaker_start, speaker_end FROM quotes").fetchone() \
        == (None, 0, 7)
    assert db.execute("SELECT count(*) FROM speakers").fetchone() == (0,)


def test_native_fields_that_cannot_be_kept_are_reported(db, tmp_path):
    text = "Ana said: fine."
    q = {"id": "q1", "fragments": [[10, 15]], "layer": "alice", "position": "Support",
         "colour": "red"}
    record = native_record(text, quotes=[q], extra={"x": 1}, id="not-the-hash",
                           entities=[{"start": 0, "end": 3, "label": "PERSON"},
                                     {"start": 0, "end": 99, "label": "ORG"},
                                     {"start": 0, "end": 3, "label": "GPE", "layer": 5}],
                           statuses={"alice": "finished"})
    path = tmp_path / "fields.jsonl"
    path.write_text(json.dumps({"text": "Plain."}) + "\n" + record + "\n", encoding="utf-8")
    report = import_paths(db, [path])
    assert report.imported == 2 and report.quotes == 1 and not report.skipped
    text = "\n".join(report.warnings)
    for field in ("extra: unknown field", "id: is not the SHA-1 of the text",
                  "entities[1]: needs 'start' and 'end'",
                  "entities[2].layer: a number", "statuses.alice: must be one of",
                  "quotes[0].position: 'Support' without a 'topic'",
                  "quotes[0].colour: unknown field"):
        assert f"{path}:2: {field}" in text, field
    assert db.execute("SELECT label FROM entities ORDER BY id").fetchall() == [
        ("PERSON",), ("GPE",)]


def test_an_unexpected_error_reading_a_record_skips_only_that_record(db, tmp_path,
                                                                     monkeypatch):
    real = sources._fill

    def fill(rec, data):
        if rec.text == "Boom.":
            raise RuntimeError("something nobody foresaw")
        return real(rec, data)
    monkeypatch.setattr(sources, "_fill", fill)
    path = tmp_path / "r.jsonl"
    path.write_text('{"text": "One."}\n{"text": "Boom."}\n{"text": "Three."}\n', "utf-8")
    report = import_paths(db, [path])
    assert report.imported == 2
    message = one_line(report.skipped, f"{path}:2: ")
    assert "RuntimeError: something nobody foresaw" in message and "Traceback" not in message


def test_an_unexpected_error_restoring_a_record_undoes_only_that_record(db, tmp_path,
                                                                        monkeypatch):
    real = Restorer._position

    def position(self, topic, label, *value):
        if topic == "Explode":
            raise KeyError("no such thing")
        return real(self, topic, label, *value)
    monkeypatch.setattr(Restorer, "_position", position)
    lines = []
    for i, topic in enumerate(["Climate", "Explode", "Climate"]):
        text = f"Article {i}: Ana said it."
        q = {"id": f"q{i}", "fragments": [[11, 23]], "layer": "alice", "topic": topic,
             "speaker": {"name": f"Speaker {i}"}}
        lines.append(native_record(text, quotes=[q], entities=[
            {"start": 0, "end": 9, "label": "MISC"}]))
    path = tmp_path / "n.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(db, [path], batch_size=2)
    assert report.imported == 2 and report.quotes == 2
    assert "KeyError" in one_line(report.skipped, f"{path}:2: ")
    assert db.execute("SELECT count(*) FROM entities").fetchone() == (2,)
    assert [r[0] for r in db.execute("SELECT uuid FROM quotes ORDER BY uuid")] == ["q0", "q2"]
    assert [r[0] for r in db.execute("SELECT name FROM speakers ORDER BY id")] == [
        "Speaker 0", "Speaker 2"]


def test_the_command_line_names_the_line_and_prints_no_traceback(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", "--no-analyze", "--project",
         str(tmp_path / "p.quotebook"), str(MALFORMED / "nested_arrays.jsonl"),
         str(MALFORMED / "surrogate_title.jsonl")],
        env=cli_env(), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert "nested_arrays.jsonl:2: " in out.stderr and "surrogate_title.jsonl:2: " in out.stderr
    assert "imported 4 article(s)" in out.stdout
