"""Quote rows: one or more text fragments in one layer, with speaker, cue and position.

The one place that writes a quote (``insert_quote``) and its fragments; the commands in
``edits``, the gold layer, the suggestions, a merge and a native import all use it.
"""
from __future__ import annotations

from sqlite_utils import Database

from annotator.vocab import QUOTE_KINDS


def check_fields(fields: dict, allowed) -> None:
    """Refuse (``ValueError``) a quote field not in ``allowed`` and a kind not in the
    vocabulary, before anything is written."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown quote field(s): {', '.join(sorted(unknown))}")
    if "kind" in fields and fields["kind"] not in QUOTE_KINDS:
        raise ValueError(f"quote kind must be one of {', '.join(QUOTE_KINDS)}")


def check_span(text_len: int, start: int, end: int, what: str) -> None:
    if not (0 <= start < end <= text_len):
        raise ValueError(f"{what} [{start}, {end}) is outside the article (0..{text_len})")


def check_fragments(text_len: int, fragments) -> list[tuple[int, int]]:
    frags = sorted((int(s), int(e)) for s, e in fragments)
    if not frags:
        raise ValueError("a quote needs at least one fragment")
    for i, (s, e) in enumerate(frags):
        check_span(text_len, s, e, f"fragment {i + 1}")
        if i and s < frags[i - 1][1]:
            raise ValueError(f"fragments {i} and {i + 1} overlap")
    return frags


def write_fragments(db: Database, quote_id: int, frags) -> None:
    """Insert the fragment rows of a quote, in order."""
    db.conn.executemany('INSERT INTO quote_fragments(quote_id, ord, start, "end") '
                        "VALUES (?, ?, ?, ?)", [(quote_id, i, s, e) for i, (s, e) in
                                                enumerate(frags)])


def insert_quote(db: Database, row: dict, fragments) -> int:
    """Insert a quote (``row``: column -> value) and its sorted ``fragments`` inside the
    caller's transaction; ``start`` and ``end`` are the fragments' first and last offsets.
    Return the quote's id."""
    frags = list(fragments)
    if frags:
        row = dict(row, start=frags[0][0], end=frags[-1][1])
    cols = ", ".join(f'"{c}"' for c in row)
    quote_id = db.execute(f"INSERT INTO quotes ({cols}) VALUES ({', '.join('?' * len(row))})",
                          list(row.values())).lastrowid
    write_fragments(db, quote_id, frags)
    return quote_id
