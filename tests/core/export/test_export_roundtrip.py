"""Native JSONL round trip: export, import into a new project, get the same project back."""
import json

import pytest

from annotator.export.jsonl import export_jsonl
from annotator.corpus.importing import import_paths
from annotator.corpus.sidecar import registry, registry_path
from annotator.store.db import open_project
from export_helpers import coded_project


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def articles(db):
    return db.execute("SELECT hash, text, title, outlet, author, url, published, filename, "
                      "source, meta FROM articles ORDER BY hash").fetchall()


def quotes(db):
    """Every quote with names instead of ids, comparable across projects."""
    rows = db.execute(
        "SELECT q.uuid, a.hash, l.name, l.kind, q.start, q.\"end\", q.kind, s.name, s.role, "
        "s.organisation, s.kind, q.speaker_start, q.speaker_end, q.cue_start, q.cue_end, "
        "t.name, p.label, q.status, q.confidence, q.note, q.created, q.updated, "
        "(SELECT group_concat(f.start || '-' || f.\"end\", ';') FROM quote_fragments f "
        " WHERE f.quote_id = q.id ORDER BY f.ord) "
        "FROM quotes q JOIN articles a ON a.id = q.article_id JOIN layers l ON l.id = q.layer_id "
        "LEFT JOIN speakers s ON s.id = q.speaker_id LEFT JOIN topics t ON t.id = q.topic_id "
        "LEFT JOIN positions p ON p.id = q.position_id ORDER BY q.uuid").fetchall()
    return rows


def entities(db):
    return db.execute('SELECT a.hash, e.start, e."end", e.label FROM entities e JOIN articles a '
                      'ON a.id = e.article_id ORDER BY 1, 2, 3').fetchall()


def speakers(db):
    """Speakers with their aliases and merge target, by name."""
    rows = db.execute("SELECT s.name, s.role, s.organisation, s.kind, s.notes, m.name, "
                      "(SELECT group_concat(alias, '|') FROM (SELECT alias FROM speaker_aliases "
                      " WHERE speaker_id = s.id ORDER BY alias)) "
                      "FROM speakers s LEFT JOIN speakers m ON m.id = s.merged_into "
                      "ORDER BY s.name, s.id").fetchall()
    return rows


@pytest.fixture
def coded(db, tmp_path):
    coded_project(db, tmp_path)
    return db


def annotate(db):
    """Registry notes on a speaker and on one merged into it (several lines, an emoji)."""
    db.execute("UPDATE speakers SET notes = 'Foreign Minister of Estmark\nsince 2021 🇪🇪' "
               "WHERE name = 'Anna Kovacs'")
    db.execute("UPDATE speakers SET notes = 'spelling of the wires' WHERE name = 'A. Kovacs'")
    db.conn.commit()


def test_round_trip_gives_back_the_same_project(coded, tmp_path):
    annotate(coded)
    out = tmp_path / "corpus.jsonl"
    n = export_jsonl(coded, out)
    assert n == 11 and registry_path(out).name == "corpus.registry.json"
    assert registry_path(out).exists()
    new = open_project(tmp_path / "new.quotebook")
    report = import_paths(new, [out])
    assert report.imported == 11 and not report.skipped and not report.warnings
    assert report.quotes == 54 and "54 quote(s) restored" in report.summary()
    assert articles(new) == articles(coded)
    assert entities(new) == entities(coded)
    assert quotes(new) == quotes(coded)
    assert speakers(new) == speakers(coded)
    assert {r[0]: r[4] for r in speakers(new)}["Anna Kovacs"] == (
        "Foreign Minister of Estmark\nsince 2021 🇪🇪")
    old_reg, new_reg = registry(coded), registry(new)
    assert new_reg["topics"] == old_reg["topics"] and new_reg["topics"]
    assert new_reg["layers"] == old_reg["layers"]
    # restored entities mark the article analysed, so the analysis does not add them again
    assert new.execute("SELECT count(*) FROM articles WHERE analyzed_at IS NULL "
                       "AND id IN (SELECT article_id FROM entities)").fetchone()[0] == 0
    # and the second export is the first, line for line
    export_jsonl(new, tmp_path / "again.jsonl")
    first, second = read(out), read(tmp_path / "again.jsonl")
    for rec in first + second:  # speaker ids are the new project's own
        for q in rec["quotes"]:
            if q["speaker"]:
                q["speaker"].pop("id")
    assert second == first


def test_importing_the_export_twice_adds_nothing(coded, tmp_path):
    out = tmp_path / "corpus.jsonl"
    export_jsonl(coded, out)
    new = open_project(tmp_path / "new.quotebook")
    import_paths(new, [out])
    before = (quotes(new), speakers(new), entities(new))
    report = import_paths(new, [out])
    assert report.imported == 0 and len(report.duplicates) == 11 and report.quotes == 0
    assert (quotes(new), speakers(new), entities(new)) == before


def test_notes_fill_a_speaker_without_any_and_never_overwrite_others(coded, tmp_path):
    annotate(coded)
    out = tmp_path / "corpus.jsonl"
    export_jsonl(coded, out)
    new = open_project(tmp_path / "new.quotebook")
    kovacs = coded.execute("SELECT name, role, organisation, kind FROM speakers "
                           "WHERE name = 'Anna Kovacs'").fetchone()
    new.execute("INSERT INTO speakers(name, role, organisation, kind, notes, created) "
                "VALUES (?, ?, ?, ?, 'our own notes', '2024-01-01')", list(kovacs))
    new.execute("INSERT INTO speakers(name, kind, created) VALUES ('A. Kovacs', 'person', "
                "'2024-01-01')")
    new.conn.commit()
    report = import_paths(new, [out])
    (warning,) = [w for w in report.warnings if "notes" in w]
    assert warning.startswith(f"{registry_path(out)}: speaker 'Anna Kovacs': the notes "
                              "'Foreign Minister of Estmark since 2021 🇪🇪' differ from the "
                              "project's 'our own notes'; the project's are kept")
    notes = dict(new.execute("SELECT name, notes FROM speakers WHERE name LIKE '%Kovacs'"))
    assert notes == {"Anna Kovacs": "our own notes", "A. Kovacs": "spelling of the wires"}
    assert new.execute("SELECT count(*) FROM _events WHERE action = 'speaker_notes'"
                       ).fetchone()[0] == 1


def test_malformed_notes_in_the_registry_are_named(coded, tmp_path):
    out = tmp_path / "corpus.jsonl"
    export_jsonl(coded, out, layer="gold")
    reg = json.loads(registry_path(out).read_text(encoding="utf-8"))
    index = next(i for i, sp in enumerate(reg["speakers"]) if sp["name"] == "Anna Kovacs")
    reg["speakers"][index]["notes"] = {"text": "not a string"}
    registry_path(out).write_text(json.dumps(reg), encoding="utf-8")
    new = open_project(tmp_path / "new.quotebook")
    report = import_paths(new, [out])
    assert any(w.startswith(f"{registry_path(out)}: speakers[{index}].notes: must be text")
               for w in report.warnings)
    assert report.quotes == 51
    assert new.execute("SELECT notes FROM speakers WHERE name = 'Anna Kovacs'"
                       ).fetchone() == (None,)


def test_without_the_registry_speakers_and_codes_are_found_by_name(coded, tmp_path):
    out = tmp_path / "corpus.jsonl"
    export_jsonl(coded, out, layer="gold")
    registry_path(out).unlink()
    new = open_project(tmp_path / "new.quotebook")
    report = import_paths(new, [out])
    assert report.quotes == 51
    got = {(r[0], r[7], r[8], r[9], r[15], r[16]) for r in quotes(new)}
    want = {(r[0], r[7], r[8], r[9], r[15], r[16]) for r in quotes(coded) if r[2] == "gold"}
    assert got == want


def test_bad_quotes_are_skipped_by_name_and_the_rest_kept(db, tmp_path):
    good = {"id": "q-good", "fragments": [[0, 4]], "layer": "bob", "kind": "direct",
            "speaker": None, "cue": None, "topic": None, "position": None,
            "status": "accepted"}
    bad = dict(good, id="q-bad", fragments=[[2, 99]])
    line = {"id": "x", "text": "Some text.", "meta": {"title": "T", "source": "s1"},
            "entities": [{"start": 0, "end": 4, "label": "ORG", "text": "Some"}],
            "quotes": [good, bad]}
    path = tmp_path / "native.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = import_paths(db, [path])
    assert report.imported == 1 and report.quotes == 1
    assert any("native.jsonl:1: quote q-bad: fragments missing or outside" in s
               for s in report.skipped)
    assert db.execute("SELECT uuid FROM quotes").fetchall() == [("q-good",)]
    assert db.execute("SELECT source, title FROM articles").fetchall() == [("s1", "T")]


def test_plain_jsonl_with_a_meta_key_is_still_plain(db, tmp_path):
    path = tmp_path / "plain.jsonl"
    path.write_text(json.dumps({"id": "p1", "text": "Plain text.", "meta": {"a": 1}}) + "\n")
    report = import_paths(db, [path])
    assert report.imported == 1 and report.quotes == 0
    source, meta = db.execute("SELECT source, meta FROM articles").fetchone()
    assert source == "p1" and json.loads(meta) == {"meta": {"a": 1}}


def test_analyst_entities_and_statuses_come_back(tmp_path):
    from annotator.editing.edits import AddEntity, SetArticleStatus
    from annotator.corpus.importing import import_paths
    from annotator.project import SAMPLE_CORPUS
    from annotator.store.db import ensure_layer
    src = open_project(tmp_path / "src.quotebook")
    import_paths(src, [SAMPLE_CORPUS])
    ann = ensure_layer(src, "ann")
    AddEntity(article_id=1, start=0, end=7, label="GPE", layer_id=ann, actor="ann").apply(src)
    SetArticleStatus(article_id=1, layer_id=ann, status="done", actor="ann").apply(src)
    export_jsonl(src, tmp_path / "out.jsonl")
    new = open_project(tmp_path / "new.quotebook")
    import_paths(new, [tmp_path / "out.jsonl"])
    rows = new.execute("SELECT e.start, e.label, l.name FROM entities e JOIN layers l "
                       "ON l.id = e.layer_id").fetchall()
    assert rows == [(0, "GPE", "ann")]
    assert new.execute("SELECT l.name, s.status FROM article_status s JOIN layers l "
                       "ON l.id = s.layer_id").fetchall() == [("ann", "done")]


def test_malformed_native_fields_are_named_not_raised(tmp_path):
    import json as json_mod
    from annotator.corpus.importing import import_paths
    good = {"start": 0, "end": 4}
    bad_quotes = [{"speaker": "Bob"}, {"cue": [1, 2]}, {"layer": {}}, {"topic": {}},
                  {"speaker": {"id": [1], "start": 0, "end": 2}}, {"created": [1]}]
    lines = []
    for i, bad in enumerate(bad_quotes):
        q = dict({"id": f"q{i}", "layer": "ann", "fragments": [[0, 4]]}, **bad)
        lines.append(json_mod.dumps({"id": str(i), "text": f"Text number {i} here.",
                                     "meta": {"source": f"s{i}"},
                                     "entities": [dict(good, label=["x"])], "quotes": [q]}))
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n")
    new = open_project(tmp_path / "new.quotebook")
    report = import_paths(new, [tmp_path / "bad.jsonl"])
    assert report.imported == 6
    assert len([s for s in report.skipped if "not imported" in s]) == 6
    assert all("bad.jsonl:" in s for s in report.skipped)
    assert new.execute("SELECT count(*) FROM quotes").fetchone()[0] == 0
    assert new.execute("SELECT count(*) FROM entities").fetchone()[0] == 0
