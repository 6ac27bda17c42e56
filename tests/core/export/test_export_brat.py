"""brat standoff export, parsed back with a strict .ann reader: T, R, A and # lines exact."""
import re

import pytest

from annotator.export.brat import brat_fragments, word
from annotator.selection import Selection
from annotator.export import export
from export_helpers import TRICKY, coded, gold_quotes  # noqa: F401 (fixture)

BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def parse_ann(ann: str, text: str) -> dict:
    """A brat .ann reader: every line must be well formed and every T text must match."""
    out = {"T": {}, "R": {}, "A": {}, "#": {}}
    for line in ann.split("\n")[:-1]:
        ident, rest = line.split("\t", 1)
        kind = ident[0]
        assert kind in out and ident[1:].isdigit(), line
        if kind == "T":
            head, shown = rest.split("\t")
            label, offsets = head.split(" ", 1)
            frags = [tuple(map(int, part.split(" "))) for part in offsets.split(";")]
            assert all(0 <= s < e <= len(text) for s, e in frags), line
            assert shown == " ".join(text[s:e] for s, e in frags), line
            assert not any(BREAK.search(text[s:e]) for s, e in frags), line
            out["T"][ident] = (label, frags)
        elif kind == "R":
            label, a1, a2 = rest.split(" ")
            assert a1.startswith("Arg1:") and a2.startswith("Arg2:")
            out["R"][ident] = (label, a1[5:], a2[5:])
        elif kind == "A":
            name, target, value = rest.split(" ")
            out["A"][ident] = (name, target, value)
        else:
            head, note = rest.split("\t")
            name, target = head.split(" ")
            assert name == "AnnotatorNotes"
            out["#"][ident] = (target, note)
    for _, a1, a2 in out["R"].values():
        assert a1 in out["T"] and a2 in out["T"]
    for _, target, _ in out["A"].values():
        assert target in out["T"]
    return out


def joined(text, frags):
    """brat fragments back to quote fragments: rejoin pieces separated by line breaks only."""
    merged = [list(frags[0])]
    for s, e in frags[1:]:
        if BREAK.fullmatch(text[merged[-1][1]:s]):
            merged[-1][1] = e
        else:
            merged.append([s, e])
    return [tuple(f) for f in merged]


def test_brat_folder_parses_back_to_the_quotes(coded, tmp_path):
    out = tmp_path / "brat"
    result = export(coded, "brat", out, filters=Selection(layers=("gold",)))
    assert result.count == 11
    want = gold_quotes(coded)
    texts = {r[0]: r[1] for r in coded.execute("SELECT source, text FROM articles")}
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Speaker\tArg1:Quote, Arg2:Speaker" in conf and "Kind\tArg:Quote" in conf
    found = []
    for source, text in texts.items():
        assert (out / f"{source}.txt").read_bytes() == text.encode("utf-8")
        ann = parse_ann((out / f"{source}.ann").read_text(encoding="utf-8"), text)
        attrs = {}
        for name, target, value in ann["A"].values():
            attrs.setdefault(target, {})[name] = value
        notes = {t: n for t, n in ann["#"].values()}
        for tid, (label, frags) in ann["T"].items():
            if label != "Quote":
                continue
            (speaker,) = [ann["T"][a2] for lab, a1, a2 in ann["R"].values()
                          if lab == "Speaker" and a1 == tid]
            (cue,) = [ann["T"][a2] for lab, a1, a2 in ann["R"].values()
                      if lab == "Cue" and a1 == tid]
            sp_tid = [a2 for lab, a1, a2 in ann["R"].values() if lab == "Speaker" and a1 == tid]
            found.append((text, joined(text, frags), tuple(speaker[1][0]), tuple(cue[1][0]),
                          attrs[tid]["Kind"], attrs[tid]["Position"],
                          notes[sp_tid[0]].split(" (")[0]))
            assert attrs[tid]["Layer"] == "gold" and attrs[tid]["Status"] == "accepted"
    expected = [(q["text"], q["fragments"], q["speaker_span"], q["cue_span"], q["kind"],
                 word(q["position"]), q["speaker"]) for q in want.values()]
    assert sorted(found) == sorted(expected)


def test_tricky_article_line_breaks_emoji_and_notes(coded, tmp_path):
    out = tmp_path / "brat"
    export(coded, "brat", out, filters=Selection(layers=("gold",), outlets=("Unicode Times",)))
    assert sorted(p.name for p in out.iterdir()) == [".quotebook-export", "annotation.conf",
                                                     "tricky.ann", "tricky.txt"]
    assert (out / "tricky.txt").read_bytes().decode("utf-8") == TRICKY
    ann = parse_ann((out / "tricky.ann").read_text(encoding="utf-8"), TRICKY)
    quotes = [frags for label, frags in ann["T"].values() if label == "Quote"]
    assert len(quotes[0]) == 3  # two fragments, the second cut at its line break
    assert [TRICKY[s:e] for s, e in quotes[0]][1:] == ["“The city, and its people, say \"yes\"",
                                                      "to peace.”"]
    speakers = [TRICKY[f[0][0]:f[0][1]] for label, f in ann["T"].values() if label == "Speaker"]
    assert speakers == ["מרים כהן", "أحمد ساري", "José"]
    notes = [n for _, n in ann["#"].values()]
    assert "Miriam Cohen (Spokeswoman, City of Tel Aviv)" in notes
    assert 'split, line break, "quotes"' in notes
    positions = {v for name, _, v in ann["A"].values() if name == "Position"}
    assert all(" " not in v for v in positions) and len(positions) == 3


def test_fragments_are_cut_at_line_breaks():
    assert brat_fragments("ab\ncd\r\nef", [(0, 8)]) == [(0, 2), (3, 5), (7, 8)]
    assert word("Neutral / unclear") == "Neutral_unclear"


def test_a_folder_that_is_not_an_export_is_never_replaced(coded, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    with pytest.raises(Exception, match="not an earlier Quotebook export"):
        export(coded, "brat", out)
    assert (out / "thesis.docx").read_text() == "precious"
    export(coded, "brat", tmp_path / "b")
    (tmp_path / "b" / "stale.txt").write_text("from before")
    export(coded, "brat", tmp_path / "b", filters=Selection(outlets=("Harbor Wire",)))
    assert sorted(p.name for p in (tmp_path / "b").glob("*.txt")) == [
        "sample-02.txt", "sample-05.txt", "sample-10.txt"]
