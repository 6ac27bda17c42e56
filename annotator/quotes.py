"""Quotes: one or more text fragments in one layer, with speaker, cue and position."""
from __future__ import annotations

import uuid as uuid_mod

from sqlite_utils import Database

from .store import ensure_layer, log_event, now

KINDS = ("direct", "indirect", "mixed")
STATUSES = ("suggested", "accepted", "rejected")


def check_span(text_len: int, start: int, end: int, what: str) -> None:
    if not (0 <= start < end <= text_len):
        raise ValueError(f"{what} [{start}, {end}) is outside the article (0..{text_len})")


def add_quote(db: Database, *, article_id: int, layer: str, fragments, kind: str = "direct",
              speaker_id: int | None = None, speaker_span=None, cue_span=None,
              topic_id: int | None = None, position_id: int | None = None,
              status: str = "accepted", confidence: float | None = None, note: str = "",
              origin_uuid: str | None = None, actor: str | None = None) -> str:
    """Store a quote in one transaction (logged in ``_events``); return its uuid."""
    row = db.execute("SELECT length(text) FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise ValueError(f"no article {article_id}")
    fragments = sorted((int(s), int(e)) for s, e in fragments)
    if not fragments:
        raise ValueError("a quote needs at least one fragment")
    for i, (s, e) in enumerate(fragments):
        check_span(row[0], s, e, f"fragment {i + 1}")
        if i and s < fragments[i - 1][1]:
            raise ValueError(f"fragments {i} and {i + 1} overlap")
    for span, what in ((speaker_span, "speaker mention"), (cue_span, "cue")):
        if span is not None:
            check_span(row[0], span[0], span[1], what)
    if kind not in KINDS:
        raise ValueError(f"quote kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if status not in STATUSES:
        raise ValueError(f"quote status must be one of {', '.join(STATUSES)}, not {status!r}")
    layer_id = ensure_layer(db, layer)
    uid = str(uuid_mod.uuid4())
    stamp = now()
    sp = speaker_span or (None, None)
    cue = cue_span or (None, None)
    with db.atomic():
        cur = db.execute(
            'INSERT INTO quotes(uuid, article_id, layer_id, start, "end", kind, speaker_id, '
            "speaker_start, speaker_end, cue_start, cue_end, topic_id, position_id, status, "
            "confidence, note, origin_uuid, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [uid, article_id, layer_id, fragments[0][0], fragments[-1][1], kind, speaker_id,
             sp[0], sp[1], cue[0], cue[1], topic_id, position_id, status, confidence, note,
             origin_uuid, stamp, stamp])
        db.conn.executemany(
            'INSERT INTO quote_fragments(quote_id, ord, start, "end") VALUES (?, ?, ?, ?)',
            [(cur.lastrowid, i, s, e) for i, (s, e) in enumerate(fragments)])
        log_event(db, actor=actor or layer, action="add_quote", target=f"quote:{uid}",
                  after={"article_id": article_id, "layer": layer, "fragments": fragments,
                         "kind": kind, "speaker_id": speaker_id, "status": status})
    return uid
