"""DNA 3 databases in: documents, coders' layers, statements as quotes, bad files."""
import hashlib
import json
import sqlite3
import subprocess
import sys

from annotator.corpus.importing import import_paths
from annotator.editing.codebook import load_codebook
from conftest import ROOT, cli_env
from dna_helpers import TEXT_1, TEXT_2, build_dna, java_span


def quotes(db):
    return db.execute(
        'SELECT l.name, a.title, q.start, q."end", q.kind, s.name, s.organisation, s.role, '
        "s.kind, t.name, p.label, p.value FROM quotes q JOIN layers l ON l.id = q.layer_id "
        "JOIN articles a ON a.id = q.article_id LEFT JOIN speakers s ON s.id = q.speaker_id "
        "LEFT JOIN topics t ON t.id = q.topic_id LEFT JOIN positions p ON p.id = q.position_id "
        "ORDER BY a.id, q.start").fetchall()


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_documents_coders_and_statements(db, tmp_path):
    dna = build_dna(tmp_path / "sample.dna")
    before = digest(dna)
    report = import_paths(db, [dna])
    assert (report.imported, report.quotes, report.skipped) == (2, 3, [])
    assert digest(dna) == before  # opened read-only, never changed
    rows = db.execute("SELECT title, text, outlet, author, published, meta FROM articles "
                      "ORDER BY id").fetchall()
    assert rows[0][:5] == ("Tax row 😀", TEXT_1, "Daily Post", "Jo Writer",
                           "2020-09-13T12:26:40Z")
    assert rows[1][4] == "2020-01-01"  # midnight UTC: the day alone
    meta = json.loads(rows[0][5])
    assert (meta["section"], meta["type"], meta["notes"]) == ("Politics", "news", "second print")
    assert [r[0] for r in db.execute("SELECT name FROM layers WHERE kind = 'analyst' "
                                     "ORDER BY name")] == ["Admin", "alice", "bob"]
    q = quotes(db)
    # the emoji before each span: Python offsets, not DNA's UTF-16 ones
    assert TEXT_1[q[0][2]:q[0][3]] == "Minister Anna Berg said the carbon tax must rise."
    assert TEXT_1[q[1][2]:q[1][3]] == "Greenpeace rejected the plan outright."
    assert java_span(TEXT_1, "Greenpeace rejected the plan outright.")[0] != q[1][2]
    assert q[0][0] == "alice" and q[0][5:11] == (
        "Anna Berg", "Finance Ministry", "Minister", "person", "Carbon tax", "Agree")
    assert q[1][0] == "bob" and q[1][5:12] == (
        "Greenpeace", None, None, "organisation", "Carbon tax", "Disagree", -1.0)
    assert TEXT_2[q[2][2]:q[2][3]] == "\"Sanctions will stay.\"" and q[2][4] == "direct"
    aliases = db.execute("SELECT alias FROM speaker_aliases").fetchall()
    assert aliases == [("A. Berg",)]
    # the second statement type, kept with its variables, and reported
    kept = meta["dna"]["statements"]
    assert kept == [{"type": "Annotation", "colour": [211, 211, 211], "coder": "alice",
                     "start": TEXT_1.index("Others"), "end": len(TEXT_1),
                     "values": [["note", "long text", "check this 😀"],
                                ["weight", "integer", 3]]}]
    assert any("1 of type 'Annotation'" in w for w in report.warnings)
    # entity attributes in the registry: Type the role, Alias an alias, Notes the notes
    assert db.execute("SELECT name, role, notes FROM speakers ORDER BY name").fetchall() == [
        ("Anna Berg", "Minister", "since 2019"), ("Greenpeace", None, None)]
    assert not any("Notes" in w for w in report.warnings)
    assert any("1 attribute value(s) of entities that are not speakers" in w
               for w in report.warnings)
    assert any("not kept (Quotebook has no place for them): 1 highlighting rule(s) (REGEXES)"
               in w for w in report.warnings)


def test_positions_follow_the_codebook_and_import_twice_adds_nothing(db, tmp_path):
    load_codebook(db, ROOT / "resources" / "codebook.json")
    dna = build_dna(tmp_path / "sample.dna")
    import_paths(db, [dna])
    # an existing topic keeps its own labels: agreement 1 is the position of value +1
    assert quotes(db)[2][9:12] == ("Sanctions and trade measures", "Support", 1.0)
    labels = db.execute("SELECT p.label, p.hotkey, p.value FROM positions p JOIN topics t ON "
                        "t.id = p.topic_id WHERE t.name = 'Carbon tax' ORDER BY p.value").fetchall()
    assert labels == [("Disagree", "2", -1.0), ("Agree", "1", 1.0)]
    again = import_paths(db, [dna])
    assert (again.imported, again.quotes, len(again.duplicates)) == (0, 0, 2)
    assert len(quotes(db)) == 3
    assert db.execute("SELECT count(*) FROM speakers").fetchone()[0] == 2


def test_a_speaker_with_notes_keeps_them_and_one_without_takes_the_entitys(db, tmp_path):
    from annotator.editing.speakers import add_speaker
    dna = build_dna(tmp_path / "sample.dna")
    berg = add_speaker(db, "Anna Berg", role="Minister", organisation="Finance Ministry",
                       notes="Our own notes on Berg")
    greenpeace = add_speaker(db, "Greenpeace", kind="organisation")
    con = sqlite3.connect(dna)  # the organisation has notes in DNA too
    green = con.execute("SELECT ID FROM ENTITIES WHERE Value = 'Greenpeace'").fetchone()[0]
    con.execute("INSERT INTO ATTRIBUTEVALUES(EntityId, AttributeVariableId, AttributeValue) "
                "VALUES (?, 22, 'NGO, founded 1971')", [green])
    con.commit()
    con.close()
    report = import_paths(db, [dna])
    assert report.quotes == 3
    assert db.execute("SELECT id, notes FROM speakers ORDER BY id").fetchall() == [
        (berg, "Our own notes on Berg"), (greenpeace, "NGO, founded 1971")]
    (said,) = [w for w in report.warnings if "the notes" in w]
    assert said == (f"{dna}: speaker 'Anna Berg': the notes 'since 2019' differ from the "
                    "project's 'Our own notes on Berg'; the project's are kept")
    assert {r[0] for r in db.execute("SELECT speaker_id FROM quotes")} == {berg, greenpeace}


def test_dna2_xml_another_sqlite_and_a_newer_version_are_refused(db, tmp_path):
    xml = tmp_path / "old.dna"
    xml.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<dna><article/></dna>\n')
    other = tmp_path / "other.dna"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")
    con.commit()
    con.close()
    newer = build_dna(tmp_path / "newer.dna", version="4.0.1")
    good = build_dna(tmp_path / "good.dna")
    before = {p: digest(p) for p in (xml, other, newer)}
    report = import_paths(db, [xml, other, newer, good])
    assert report.imported == 2 and report.quotes == 3  # the good file still comes in
    text = "\n".join(report.skipped)
    assert f"{xml}: a DNA 2 file (XML)" in text
    assert f"{other}: an SQLite file but not a DNA 3 database (no table SETTINGS)" in text
    assert f"{newer}: table SETTINGS: written by DNA 4.0.1" in text
    assert {p: digest(p) for p in before} == before


def test_a_statement_outside_its_document_is_skipped_by_row(db, tmp_path):
    dna = build_dna(tmp_path / "bad.dna")
    con = sqlite3.connect(dna)
    con.execute("UPDATE STATEMENTS SET Stop = 5000 WHERE ID = 2")
    con.execute("INSERT INTO STATEMENTS VALUES (9, 1, 77, 0, 4, 2)")
    con.execute("INSERT INTO STATEMENTS VALUES (10, 1, 1, 'x', 4, 2)")
    con.execute("INSERT INTO DOCUMENTS VALUES (3, 'Bad date', 'Some text.', 1, '', '', '', "
                "'', '', 'yesterday')")
    con.commit()
    con.close()
    report = import_paths(db, [dna])
    assert report.imported == 2 and report.quotes == 2  # the good statements are kept
    text = "\n".join(report.skipped)
    assert f"{dna}: table STATEMENTS, row ID 2: Start..Stop" in text and "outside" in text
    assert "point to document 77, which is not in table DOCUMENTS" in text
    assert f"{dna}: table STATEMENTS, row ID 10: Start..Stop x..4" in text
    assert f"{dna}: table DOCUMENTS, row ID 3: cannot be read (ValueError" in text
    assert db.execute("SELECT count(*) FROM quotes WHERE layer_id = (SELECT id FROM layers "
                      "WHERE name = 'bob')").fetchone()[0] == 1


def test_cli_imports_a_dna_file(tmp_path):
    dna = build_dna(tmp_path / "sample.dna")
    project = tmp_path / "p.quotebook"
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(dna),
                          "--project", str(project), "--no-analyze"],
                         capture_output=True, text=True, env=cli_env(), timeout=120)
    assert run.returncode == 0, run.stderr
    assert "3 quote(s) restored" in run.stdout + run.stderr
    xml = tmp_path / "old.dna"
    xml.write_text("<?xml version='1.0'?><dna/>")
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(xml),
                          "--project", str(project), "--no-analyze"],
                         capture_output=True, text=True, env=cli_env(), timeout=120)
    assert "DNA 2 file (XML)" in run.stderr and "Traceback" not in run.stderr
