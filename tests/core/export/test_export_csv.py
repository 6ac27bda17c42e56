"""CSV export read back with the csv module: one row per quote, quoting, offsets, BOM."""
import codecs
import csv

from annotator.export.csv_rows import COLUMNS, export_csv
from annotator.selection import Selection
from export_helpers import TRICKY, coded, gold_quotes  # noqa: F401 (fixture)


def read(path, encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def test_one_row_per_quote_with_exact_offsets(coded, tmp_path):
    out = tmp_path / "gold.csv"
    n = export_csv(coded, out, filters=Selection(layers=("gold",)))
    rows = read(out)
    want = gold_quotes(coded)
    assert n == len(rows) == len(want) == 51
    assert list(rows[0]) == list(COLUMNS)
    assert not out.read_bytes().startswith(codecs.BOM_UTF8)
    meta = {r[0]: r[1:] for r in coded.execute(
        "SELECT hash, source, title, outlet, published FROM articles")}
    for row in rows:
        q = want[row["quote_id"]]
        text = q["text"]
        start, end = int(row["start"]), int(row["end"])
        assert row["text"] == text[start:end]
        frags = [tuple(map(int, f.split("-"))) for f in row["fragments"].split(";")]
        assert frags == q["fragments"]
        assert row["quote_text"] == " … ".join(text[s:e] for s, e in frags)
        assert (int(row["speaker_start"]), int(row["speaker_end"])) == q["speaker_span"]
        assert row["speaker_mention"] == text[slice(*q["speaker_span"])]
        assert row["cue"] == text[slice(*q["cue_span"])]
        assert (row["speaker"], row["position"], row["kind"]) == (q["speaker"], q["position"],
                                                                  q["kind"])
        assert (row["source"], row["title"], row["outlet"], row["published"]) == \
            meta[row["article_id"]]
        assert row["layer"] == "gold" and row["status"] == "accepted" and row["topic"]


def test_commas_quotes_line_breaks_and_bom(coded, tmp_path):
    out = tmp_path / "excel.csv"
    export_csv(coded, out, bom=True, filters=Selection(outlets=("Unicode Times",)))
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert raw.count(b"\r\n") == 4  # header and 3 rows; the line break inside a cell is kept
    rows = read(out, encoding="utf-8-sig")
    assert [r["speaker"] for r in rows] == ["Miriam Cohen", "Ahmed Sari", "José Ruiz"]
    first = rows[0]
    assert first["quote_text"] == ("“We will not give up 🇮🇱, not now,” … “The city, and its "
                                   "people, say \"yes\"\nto peace.”")
    assert first["text"] == TRICKY[int(first["start"]):int(first["end"])]
    assert first["note"] == 'split, line break, "quotes"'
    assert (first["speaker_role"], first["speaker_organisation"]) == ("Spokeswoman",
                                                                      "City of Tel Aviv")
    assert first["speaker_mention"] == "מרים כהן" and rows[1]["speaker_mention"] == "أحمد ساري"
    assert rows[1]["text"] == "the talks were “useful 👍🏽”"
    assert rows[2]["text"] == "noe\u0308l was fine"
    assert [r["position_value"] for r in rows] == ["1.0", "-1.0", "0.0"]


def test_status_filter_and_the_default_without_rejected(coded, tmp_path):
    export_csv(coded, tmp_path / "a.csv", filters=Selection(layers=("alice",)))
    assert [r["status"] for r in read(tmp_path / "a.csv")] == ["accepted"]
    export_csv(coded, tmp_path / "r.csv", filters=Selection(layers=("alice",),
                                                               statuses=("rejected",)))
    assert [r["status"] for r in read(tmp_path / "r.csv")] == ["rejected"]
