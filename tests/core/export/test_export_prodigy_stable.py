"""The Prodigy export's bytes, against expectations stored before it was made faster.

The fixture is deterministic: the coded export project (sample corpus, gold and analyst layers,
the tricky Unicode article) with quote uuids set from their row ids, plus an article whose
annotations cut into tokens, start and end on spaces, and whose text needs JSON escapes.
``QUOTEBOOK_WRITE_EXPECTED=1`` rewrites the stored (gzipped) files (only after a deliberate format change).
"""
import gzip
import os
from pathlib import Path

import pytest

from annotator.editing.quotes import insert_quote
from annotator.export.prodigy import export_prodigy
from annotator.selection import Selection
from annotator.store.db import ensure_layer
from export_helpers import coded_project, span

EXPECTED = Path(__file__).parent / "data"

AWKWARD = ('Lead  "quoted" text\\with back\tslash.\x0bOdd:re-elected co-chair said "yes", '
           'twice.  Trailing space  \nMr.Smith(ok) said\u2028new line on 2026-12-01, don\'t.\n'
           '\x00 end  ')


def add_awkward_article(db) -> int:
    """An article whose spans cut tokens and sit on spaces, with escapes in its text."""
    t = AWKWARD
    aid = db.execute("INSERT INTO articles(hash, text, title, outlet, author, url, published, "
                     "filename, source, imported_at) VALUES ('awkward', ?, 'Awkward \"one\"', "
                     "'Edge Post', 'A. Writer', 'https://example.org/a?b=1&c=\\\\', "
                     "'2026-12-02', 'awkward.jsonl', 'awkward', '2026-12-02T00:00:00')",
                     [t]).lastrowid
    gold, bob = ensure_layer(db, "gold"), ensure_layer(db, "bob")
    smith = span(t, "Smith")
    with db.atomic():
        db.conn.executemany(
            'INSERT INTO entities(article_id, start, "end", label, layer_id, removed) '
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(aid, *smith, "PERSON", None, 0),                       # inside "Mr.Smith(ok)"
             (aid, *span(t, "elected"), "EVENT", None, 0),           # after an infix
             (aid, t.index("co-chair"), t.index("co-chair") + 5, "ROLE", bob, 0),  # ends inside
             (aid, *span(t, "Lead"), "ORG", None, 1),                # struck out
             (aid, *span(t, "2026-12"), "DATE", None, 0)])
        row = {"article_id": aid, "layer_id": gold, "kind": "direct", "status": "accepted",
               "created": "2026-12-02T00:00:00", "updated": "2026-12-02T00:00:00"}
        said = span(t, "said")
        insert_quote(db, dict(row, uuid="a1", speaker_start=smith[0], speaker_end=smith[1],
                              cue_start=said[0], cue_end=said[1]),
                     [span(t, '"yes", '), span(t, "twice.  ")])       # ends on spaces
        insert_quote(db, dict(row, uuid="a2", kind="indirect"),                 # starts on a space
                     [(t.index("Trailing") - 1, t.index("Trailing") + 14)])
        insert_quote(db, dict(row, uuid="a3", kind="mixed", speaker_start=0, speaker_end=4),
                     [span(t, "text\\with back\tsl")])               # mention without speaker
        insert_quote(db, dict(row, uuid="a4", status="rejected"), [span(t, '"quoted"')])
        insert_quote(db, dict(row, uuid="a5", layer_id=bob, status="suggested", confidence=0.5),
                     [span(t, "new line on 2026")])
        insert_quote(db, dict(row, uuid="a6", layer_id=bob), [span(t, "\x00 end ")])
    return aid


@pytest.fixture
def stable(db, tmp_path):
    coded_project(db, tmp_path)
    add_awkward_article(db)
    with db.atomic():
        db.execute("UPDATE quotes SET uuid = printf('q-%04d', id)")
    return db


CASES = {
    "prodigy_all.jsonl": Selection(),
    "prodigy_gold_bob.jsonl": Selection(layers=("gold", "bob")),
    "prodigy_every_status.jsonl": Selection(
        statuses=("accepted", "suggested", "rejected")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_byte_identical_to_the_stored_expectation(stable, tmp_path, name):
    out = tmp_path / name
    export_prodigy(stable, out, filters=CASES[name])
    got = out.read_bytes()
    if os.environ.get("QUOTEBOOK_WRITE_EXPECTED"):
        (EXPECTED / f"{name}.gz").write_bytes(gzip.compress(got, mtime=0))
    want = gzip.decompress((EXPECTED / f"{name}.gz").read_bytes())
    assert got.count(b"\n") > 10
    for n, (a, b) in enumerate(zip(got.splitlines(), want.splitlines()), 1):
        assert a == b, f"{name}:{n} differs"
    assert got == want


def test_the_hashed_text_is_json_dumps_sorted_whatever_the_strings():
    import json
    import random
    from annotator.export.prodigy import hashed_json
    rnd = random.Random(14)
    alphabet = ['a', 'Z', ' ', ',', ':', ', ', ': ', '"', '\\', '\n', '\x00', '\x1f', 'é',
                '\u2028', '🇮🇱', '{', ']', '\\"', '0']
    word = lambda: "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 5)))  # noqa: E731
    fast = 0
    for _ in range(300):
        spans = []
        for _ in range(rnd.randint(0, 6)):
            span = {"start": rnd.randint(0, 99), "end": rnd.randint(0, 99),
                    "token_start": 1, "token_end": 2,
                    "label": word() if rnd.random() < 0.3 else "QUOTE"}
            if rnd.random() < 0.5:
                span.update(quote_id="q-1", speaker=rnd.choice([None, "Ann", word()]),
                            speaker_id=rnd.choice([None, 3]), topic=word())
            spans.append(span)
        keys = ("start", "end", "token_start", "token_end", "label")
        relations = [{"head": a["token_end"], "child": b["token_end"], "label": "CUE",
                      "head_span": {k: a[k] for k in keys},
                      "child_span": {k: b[k] for k in keys}}
                     for a, b in zip(spans, spans[1:])]
        want = json.dumps([12345, spans, relations], ensure_ascii=False, sort_keys=True)
        assert hashed_json(12345, spans, relations) == want
        strings = "".join(v for s in spans for v in s.values() if isinstance(v, str))
        fast += "," not in strings and ":" not in strings
    assert 30 < fast < 270  # both ways: orjson's text spaced out, and json's
    assert hashed_json(1, [{"label": "\ud800"}], []) == \
        json.dumps([1, [{"label": "\ud800"}], []], ensure_ascii=False, sort_keys=True)


def test_the_offsets_tokenizer_starts_afresh_past_its_vocabulary_limit(monkeypatch):
    from annotator.export import tokens
    text = "Fresh words: " + " ".join(f"w{i}x" for i in range(500)) + "."
    want = tokens.aligned_tokens(text, {13}, {len(text)})
    monkeypatch.setattr(tokens, "VOCAB_LIMIT", 1000)  # a blank vocabulary has ~800 words
    first = tokens.offsets_tokenizer()
    assert tokens.aligned_tokens(text, {13}, {len(text)}) == want
    assert len(first.vocab) > 1000
    second = tokens.offsets_tokenizer()
    assert second is not first and len(second.vocab) < 1000
    assert tokens.aligned_tokens(text, {13}, {len(text)}) == want
