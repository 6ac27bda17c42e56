"""brat standoff in: PolNeAR's layout from ../shared, our own export back, bad input."""
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.corpus.importing import import_paths
from annotator.editing.codebook import load_codebook
from annotator.export.brat import export_brat
from annotator.project import DEFAULT_CODEBOOK
from annotator.store.db import open_project
from conftest import ROOT, SHARED, cli_env
from export_helpers import coded_project

DEV = SHARED / "data" / "polnear" / "dev"


def gold_attributions(ann: Path) -> list[dict]:
    """The attributions of a PolNeAR .ann file, read independently of the importer."""
    spans, out = {}, []
    lines = ann.read_text(encoding="utf-8").splitlines()
    for line in lines:
        parts = line.split("\t")
        if parts[0].startswith("T"):
            label, offsets = parts[1].split(" ", 1)
            spans[parts[0]] = sorted(tuple(map(int, r.split())) for r in offsets.split(";"))
    for line in lines:
        parts = line.split("\t")
        if parts[0].startswith("E"):
            roles = dict(a.split(":") for a in parts[1].split())
            if roles.get("Content") in spans:
                out.append({"fragments": spans[roles["Content"]],
                            "source": spans.get(roles.get("Source"), [None])[0],
                            "cue": spans.get(roles.get("Cue"), [None])[0]})
    return out


def layer_quotes(db, layer: str, source: str) -> list[dict]:
    rows = db.execute(
        "SELECT q.id, q.speaker_start, q.speaker_end, q.cue_start, q.cue_end, s.name "
        "FROM quotes q JOIN layers l ON l.id = q.layer_id JOIN articles a ON a.id = q.article_id "
        "LEFT JOIN speakers s ON s.id = q.speaker_id WHERE l.name = ? AND a.source = ?",
        [layer, source]).fetchall()
    out = []
    for qid, ss, se, cs, ce, name in rows:
        frags = db.execute('SELECT start, "end" FROM quote_fragments WHERE quote_id = ? '
                           "ORDER BY ord", [qid]).fetchall()
        out.append({"fragments": sorted(map(tuple, frags)),
                    "source": (ss, se) if ss is not None else None,
                    "cue": (cs, ce) if cs is not None else None, "name": name})
    return out


def key(q):
    return (q["fragments"], q["source"] or (-1, -1), q["cue"] or (-1, -1))


def test_polnear_dev_imports_every_attribution_into_gold(db):
    report = import_paths(db, [DEV], format="brat", layer="gold")
    texts = sorted((DEV / "text").glob("*.txt"))
    assert report.imported == len(texts) == 84 and not report.warnings
    # the one attribution PolNeAR gives without a content span, named by file and line
    assert len(report.skipped) == 1 and "_ef2d.ann:104: attribution E21" in report.skipped[0]
    discontinuous = 0
    for txt in texts:
        anns = sorted((DEV / "attributions").glob(txt.stem + "_*.ann"))
        expected = gold_attributions(anns[0])
        got = layer_quotes(db, "gold", txt.name)
        assert sorted(map(key, got)) == sorted(map(key, expected)), txt.name
        text = txt.read_text(encoding="utf-8")
        for q in got:
            discontinuous += len(q["fragments"]) > 1
            if q["source"]:
                assert q["name"].casefold() == " ".join(text[slice(*q["source"])].split()).casefold()
        for ann in anns[1:]:   # the other annotators: a layer each, named by the suffix
            layer = ann.stem.rpartition("_")[2]
            assert sorted(map(key, layer_quotes(db, layer, txt.name))) == \
                sorted(map(key, gold_attributions(ann)))
    assert discontinuous > 20
    # the article text is the file's, so offsets are exact
    aid, text = db.execute("SELECT id, text FROM articles WHERE source = ?",
                           [texts[0].name]).fetchone()
    assert text == texts[0].read_text(encoding="utf-8")
    # importing again adds nothing
    before = db.execute("SELECT count(*) FROM quotes").fetchone()[0]
    import_paths(db, [DEV], format="brat", layer="gold")
    assert db.execute("SELECT count(*) FROM quotes").fetchone()[0] == before


def test_polnear_without_layer_names_each_file_by_its_annotator(db, tmp_path):
    name = "politico_2016-09-08_flynn-says-trump-absolutely-righ"
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / f"{name}.txt").symlink_to(DEV / "text" / f"{name}.txt")
    anns = sorted((DEV / "attributions").glob(f"{name}_*.ann"))
    assert len(anns) == 6
    for ann in anns:
        (tmp_path / "attributions" / ann.name).symlink_to(ann)
    import_paths(db, [tmp_path], format="brat")
    layers = {r[0] for r in db.execute("SELECT DISTINCT l.name FROM quotes q JOIN layers l "
                                       "ON l.id = q.layer_id")}
    assert layers == {ann.stem.rpartition("_")[2] for ann in anns}
    assert db.execute("SELECT kind FROM layers WHERE name = ?",
                      [anns[0].stem.rpartition("_")[2]]).fetchone()[0] == "analyst"


def test_our_brat_export_imports_back_unchanged(db, tmp_path):
    coded_project(db, tmp_path)
    export_brat(db, tmp_path / "one")
    other = open_project(tmp_path / "other.quotebook")
    load_codebook(other, DEFAULT_CODEBOOK)
    report = import_paths(other, [tmp_path / "one"])   # a folder of .ann files: brat
    assert report.imported == 11 and not report.skipped and not report.warnings
    export_brat(other, tmp_path / "two")
    one = sorted(p.name for p in (tmp_path / "one").iterdir() if p.suffix in (".txt", ".ann"))
    assert one == sorted(p.name for p in (tmp_path / "two").iterdir()
                         if p.suffix in (".txt", ".ann")) and len(one) == 22
    for name in one:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    # layers, statuses, speakers with role and organisation came back
    assert other.execute("SELECT role, organisation FROM speakers WHERE name = 'Miriam Cohen'"
                         ).fetchone() == ("Spokeswoman", "City of Tel Aviv")
    layers = dict(other.execute("SELECT l.name, count(*) FROM quotes q JOIN layers l "
                                "ON l.id = q.layer_id GROUP BY 1").fetchall())
    assert set(layers) == {"gold", "alice", "suggestions"}
    other.close()


BAD_TEXT = "Ann Lee said the bridge opens in May. Bo Chan said it will not.\n"
BAD_ANN = """T1\tPERSON 0 7\tAnn Lee
T2\tQuote 13 36\tthe bridge opens in May
T3\tSpeaker 0 7\tAnn Lee
R1\tSpeaker Arg1:T2 Arg2:T3
T4\tQuote 200 210\tnowhere
T5\tQuote 50 x\tbroken
this is not brat
T6\tQuote 51 63\tWRONG TEXT HERE
T7\tQuote 51 63\tit will not.
"""


def test_bad_lines_and_missing_partners_are_named_and_the_rest_kept(db, tmp_path):
    (tmp_path / "a.txt").write_text(BAD_TEXT, encoding="utf-8")
    (tmp_path / "a.ann").write_text(BAD_ANN, encoding="utf-8")
    (tmp_path / "lonely.txt").write_text("No annotations here.\n", encoding="utf-8")
    (tmp_path / "orphan.ann").write_text("T1\tPERSON 0 3\tAnn\n", encoding="utf-8")
    report = import_paths(db, [tmp_path], format="brat")
    assert report.imported == 1, report.skipped
    text = "\n".join(report.skipped)
    ann = str(tmp_path / "a.ann")
    assert f"{ann}:5: span 200-210 is outside the text" in text
    assert f"{ann}:6: offsets '50 x'" in text
    assert f"{ann}:7: not a brat annotation line" in text
    assert f"{ann}:8: text 'WRONG TEXT HERE' is not the article's text" in text
    assert f"{tmp_path / 'lonely.txt'}: no lonely.ann beside it" in text
    assert f"{tmp_path / 'orphan.ann'}: no orphan.txt beside it" in text
    quotes = db.execute("SELECT q.start, q.\"end\", s.name, l.name FROM quotes q JOIN layers l "
                        "ON l.id = q.layer_id LEFT JOIN speakers s ON s.id = q.speaker_id "
                        "ORDER BY q.start").fetchall()
    assert quotes == [(13, 36, None, "gold"), (51, 63, None, "gold")]
    assert db.execute('SELECT start, "end", label FROM entities').fetchall() == [(0, 7, "PERSON")]


def qb(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          env=cli_env(), capture_output=True, text=True, timeout=300)


def test_cli_import_format_brat_with_layer(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(BAD_TEXT, encoding="utf-8")
    (tmp_path / "in" / "a.ann").write_text("T1\tQuote 13 36\tthe bridge opens in May\n",
                                           encoding="utf-8")
    project = tmp_path / "p.quotebook"
    out = qb("import", tmp_path / "in", "--format", "brat", "--layer", "carol",
             "--no-analyze", "--project", project)
    assert out.returncode == 0, out.stderr
    assert "imported 1 article(s)" in out.stdout and "1 quote(s) restored" in out.stdout
    db = open_project(project)
    assert db.execute("SELECT l.name FROM quotes q JOIN layers l ON l.id = q.layer_id"
                      ).fetchall() == [("carol",)]
    db.close()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.ann").write_text("T1\tQuote 0 3\tabc\n", encoding="utf-8")
    out = qb("import", tmp_path / "bad", "--format", "brat", "--no-analyze", "--project", project)
    assert out.returncode == 1 and "x.ann: no x.txt beside it" in out.stderr
    assert "Traceback" not in out.stderr
