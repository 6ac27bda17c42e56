"""Consistency checks for the bundled sample corpus, its gold quotes and the default codebook.

Pure JSON/stdlib checks: no Qt, no spaCy. Offsets are Python str (code point) indices.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parents[2]
RESOURCES = TESTS_DIR.parent / "resources"
ARTICLES_PATH = RESOURCES / "sample" / "articles.jsonl"
GOLD_PATH = TESTS_DIR / "data" / "sample_gold.json"
CODEBOOK_PATH = RESOURCES / "codebook.json"

ARTICLE_FIELDS = ("id", "title", "outlet", "author", "published", "url", "text")
QUOTE_FIELDS = (
    "start", "end", "text", "fragments", "kind",
    "speaker", "mention", "speaker_start", "speaker_end", "speaker_kind",
    "cue", "cue_start", "cue_end", "features",
)
KINDS = {"direct", "indirect", "mixed"}
SPEAKER_KINDS = {"person", "organisation", "unnamed"}
PRONOUNS = {"he", "she", "they", "it"}
REQUIRED_FEATURES = {
    "direct", "split", "multi_paragraph", "mixed", "reported", "pronoun_speaker",
    "surname_later", "two_spellings", "organisation_speaker", "unnamed_source",
    "emoji", "rtl_name", "no_quote_paragraph", "colon_form", "according_to",
    "straight_quotes",
}
# Features checked structurally on the corpus rather than tagged on a quote.
STRUCTURAL_FEATURES = {"no_quote_paragraph"}
QUOTE_MARKS = "\"“”„«»"
OPENING_MARKS = "\"“„«"
CLOSING_MARKS = "\"”»"
# Speech cues that must never occur outside a quote without being a gold cue.
CUE_WORDS = ("said", "says", "told", "added", "warned", "writing", "wrote", "according to",
             "stated", "announced", "argued", "insisted", "claimed")


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return 0x1F300 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF


def _is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    with ARTICLES_PATH.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def texts(articles) -> dict[str, str]:
    return {a["id"]: a["text"] for a in articles}


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    with GOLD_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)["articles"]


@pytest.fixture(scope="module")
def all_quotes(gold, texts) -> list[tuple[str, dict]]:
    return [(g["id"], q) for g in gold for q in g["quotes"]]


@pytest.fixture(scope="module")
def codebook() -> dict:
    with CODEBOOK_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------- articles


def test_articles_file_is_real_utf8_not_ascii_escaped():
    raw = ARTICLES_PATH.read_text(encoding="utf-8")
    assert "\\u201c" not in raw, "write with ensure_ascii=False"
    assert "“" in raw


def test_ten_articles_with_unique_ids(articles):
    assert len(articles) == 10
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == 10
    assert ids == [f"sample-{i:02d}" for i in range(1, 11)]


def test_article_fields(articles):
    for a in articles:
        for field in ARTICLE_FIELDS:
            assert field in a, (a.get("id"), field)
            assert isinstance(a[field], str) and a[field].strip(), (a["id"], field)
        dt.date.fromisoformat(a["published"])
        assert a["published"].startswith("2026-")
        assert a["url"].startswith("https://example.org/")


def test_articles_metadata_varied(articles):
    outlets = {a["outlet"] for a in articles}
    assert 3 <= len(outlets) <= 4
    months = {a["published"][:7] for a in articles}
    assert len(months) >= 4
    assert len({a["url"] for a in articles}) == 10


def test_article_text_shape(articles):
    for a in articles:
        text = a["text"]
        words = len(text.split())
        assert 150 <= words <= 350, (a["id"], words)
        assert text == text.strip()
        assert "\n\n\n" not in text
        # newlines only as paragraph separators
        assert "\n" not in text.replace("\n\n", ""), a["id"]
        assert not text.startswith(a["title"]), "no title line inside the text"


def test_html_like_text_is_literal(texts):
    assert any("<b>" in t and "&amp;" in t for t in texts.values())


# ---------------------------------------------------------------- gold


def test_gold_covers_all_articles(gold, texts):
    assert [g["id"] for g in gold] == list(texts)
    for g in gold:
        assert g["file"] == g["id"] + ".txt"
        assert g["quotes"], g["id"]


def test_gold_quote_fields_and_offsets(all_quotes, texts):
    for aid, q in all_quotes:
        text = texts[aid]
        for field in QUOTE_FIELDS:
            assert field in q, (aid, field)
        assert q["kind"] in KINDS
        assert q["speaker_kind"] in SPEAKER_KINDS
        assert q["speaker"].strip()
        assert 0 <= q["start"] < q["end"] <= len(text)
        assert text[q["start"]:q["end"]] == q["text"], (aid, q["text"])
        frags = q["fragments"]
        assert frags and all(len(f) == 2 for f in frags)
        assert frags[0][0] == q["start"] and frags[-1][1] == q["end"]
        prev_end = q["start"]
        for s, e in frags:
            assert q["start"] <= s < e <= q["end"]
            assert s >= prev_end, "fragments sorted and disjoint"
            prev_end = e
        assert text[q["speaker_start"]:q["speaker_end"]] == q["mention"], (aid, q["mention"])
        assert text[q["cue_start"]:q["cue_end"]] == q["cue"], (aid, q["cue"])
        # speaker and cue lie outside the quoted fragments
        for s, e in frags:
            assert q["speaker_end"] <= s or q["speaker_start"] >= e
            assert q["cue_end"] <= s or q["cue_start"] >= e
        assert isinstance(q["features"], list)
        assert set(q["features"]) <= REQUIRED_FEATURES - STRUCTURAL_FEATURES, q["features"]


def test_quote_span_shape_by_kind(all_quotes, texts):
    for aid, q in all_quotes:
        if q["kind"] == "direct":
            for s, e in q["fragments"]:
                frag = texts[aid][s:e]
                assert frag[0] in OPENING_MARKS and frag[-1] in CLOSING_MARKS, (aid, frag)
        elif q["kind"] == "mixed":
            assert q["text"][0] not in QUOTE_MARKS
            assert any(m in q["text"] for m in QUOTE_MARKS)
        else:
            assert not any(m in q["text"] for m in QUOTE_MARKS), (aid, q["text"])


def test_gold_quotes_sorted_and_disjoint(gold):
    for g in gold:
        spans = [(q["start"], q["end"]) for q in g["quotes"]]
        assert spans == sorted(spans)
        for (_, e1), (s2, _) in zip(spans, spans[1:]):
            assert e1 <= s2, g["id"]


def test_every_quote_mark_is_inside_a_gold_quote(gold, texts):
    for g in gold:
        text = texts[g["id"]]
        covered = [(s, e) for q in g["quotes"] for s, e in q["fragments"]]
        for i, ch in enumerate(text):
            if ch in QUOTE_MARKS:
                assert any(s <= i < e for s, e in covered), (g["id"], i, text[max(0, i - 40):i + 40])


def test_every_speech_cue_is_annotated(gold, texts):
    """Each speech verb outside quoted content belongs to a gold quote (gold is complete)."""
    for g in gold:
        text = texts[g["id"]]
        frags = [(s, e) for q in g["quotes"] for s, e in q["fragments"]]
        cues = {(q["cue_start"], q["cue_end"]) for q in g["quotes"]}
        for word in CUE_WORDS:
            for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, re.IGNORECASE):
                if any(s <= m.start() < e for s, e in frags):
                    continue
                assert m.span() in cues, (g["id"], text[max(0, m.start() - 40):m.end() + 40])


# ---------------------------------------------------------------- features


def test_feature_list_covers_required_features(all_quotes):
    tagged = {f for _, q in all_quotes for f in q["features"]}
    missing = (REQUIRED_FEATURES - STRUCTURAL_FEATURES) - tagged
    assert not missing, missing


def test_features_are_truthful(all_quotes, texts):
    mentions: dict[str, set[str]] = {}
    for _, q in all_quotes:
        if q["speaker_kind"] == "person" and " " in q["mention"]:
            mentions.setdefault(q["speaker"], set()).add(q["mention"])

    for aid, q in all_quotes:
        text, feats, qt = texts[aid], set(q["features"]), q["text"]
        if "direct" in feats:
            assert q["kind"] == "direct"
        if "split" in feats:
            assert len(q["fragments"]) >= 2
        if "multi_paragraph" in feats:
            assert "\n\n" in qt
            first_para = qt.split("\n\n")[0]
            assert first_para[-1] not in CLOSING_MARKS, "no closing mark before the paragraph break"
            assert qt.split("\n\n")[1][0] in OPENING_MARKS
        if "mixed" in feats:
            assert q["kind"] == "mixed"
        if "reported" in feats:
            assert q["kind"] == "indirect" and not any(m in qt for m in QUOTE_MARKS)
        if "pronoun_speaker" in feats:
            assert q["mention"].lower() in PRONOUNS
            surname = q["speaker"].split()[-1]
            assert surname in text[:q["speaker_start"]], "person named before the pronoun"
        if "surname_later" in feats:
            assert " " not in q["mention"] and q["mention"].lower() not in PRONOUNS
            assert q["speaker"].endswith(q["mention"])
            assert q["speaker"] in text[:q["speaker_start"]], "full name appears earlier"
        if "two_spellings" in feats:
            assert len(mentions[q["speaker"]]) >= 2
        if "organisation_speaker" in feats:
            assert q["speaker_kind"] == "organisation"
        if "unnamed_source" in feats:
            assert q["speaker_kind"] == "unnamed"
        if "emoji" in feats:
            assert any(_is_emoji(ch) for ch in qt)
            assert any(ord(ch) > 0xFFFF for ch in qt), "needs a non-BMP character (UTF-16 surrogates)"
        if "rtl_name" in feats:
            near = text[q["speaker_end"]:q["speaker_end"] + 40]
            assert any(_is_rtl(ch) for ch in near), (aid, near)
        if "colon_form" in feats:
            assert q["cue_end"] <= q["start"] and ":" in text[q["cue_end"]:q["start"]]
        if "according_to" in feats:
            assert q["cue"].lower() == "according to"
        if "straight_quotes" in feats:
            assert '"' in qt


def test_two_spellings_of_one_person(all_quotes):
    spellings: dict[str, set[str]] = {}
    for _, q in all_quotes:
        if "two_spellings" in q["features"]:
            spellings.setdefault(q["speaker"], set()).add(q["mention"])
    assert any(len(v) >= 2 for v in spellings.values())


def test_split_quote_with_she_said(all_quotes):
    assert any(
        "split" in q["features"] and q["mention"] == "she" and q["cue"] == "said"
        for _, q in all_quotes
    )


def test_curly_direct_quote_with_said(all_quotes):
    assert any(
        q["kind"] == "direct" and q["text"].startswith("“") and q["cue"] == "said"
        for _, q in all_quotes
    )


def test_no_quote_paragraph(gold, texts):
    found = []
    for g in gold:
        text = texts[g["id"]]
        pos = 0
        for para in text.split("\n\n"):
            start, end = pos, pos + len(para)
            pos = end + 2
            if any(m in para for m in QUOTE_MARKS):
                continue
            if any(q["start"] < end and q["end"] > start for q in g["quotes"]):
                continue
            found.append((g["id"], para))
    assert found


def test_rtl_scripts_present(texts):
    joined = "".join(texts.values())
    assert re.search("[\u0600-\u06FF]", joined), "Arabic script"
    assert re.search("[\u0590-\u05FF]", joined), "Hebrew script"


# ---------------------------------------------------------------- codebook


def test_codebook(codebook):
    topics = codebook["topics"]
    assert len(topics) >= 1
    assert len({t["name"] for t in topics}) == len(topics)
    for t in topics:
        assert t["name"].strip() and t["description"].strip()
        positions = t["positions"]
        assert len(positions) >= 2, t["name"]
        hotkeys = [p["hotkey"] for p in positions]
        assert len(set(hotkeys)) == len(hotkeys), t["name"]
        assert all(h in list("123456789") for h in hotkeys)
        assert len({p["label"] for p in positions}) == len(positions)
        assert len({p["order"] for p in positions}) == len(positions)
        assert all(isinstance(p["order"], int) for p in positions)
        colours = [p["colour"].lower() for p in positions]
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
        assert len(set(colours)) == len(colours), t["name"]
