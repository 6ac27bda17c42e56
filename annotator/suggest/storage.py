"""Store one article's suggestions in the ``suggestions`` layer (inside the caller's
transaction): earlier suggestions of the article are replaced, so a re-run or a resumed
analysis never leaves duplicates."""
from __future__ import annotations

import uuid as uuid_mod

from sqlite_utils import Database

from ..store import ensure_layer
from .registry import speaker_id_for

LAYER = "suggestions"


def as_rows(suggestions) -> list[dict]:
    """Plain dicts (no spaCy objects) of ``Suggestion`` objects, as ``doc_results`` keeps."""
    return [{"fragments": [tuple(f) for f in s.fragments], "kind": s.kind, "cue": s.cue,
             "mention": s.mention, "speaker": s.speaker, "speaker_kind": s.speaker_kind,
             "role": s.role, "organisation": s.organisation, "confidence": s.confidence}
            for s in suggestions]


def suggestions_layer(db: Database) -> int:
    return ensure_layer(db, LAYER, "suggestions")


def replace_suggestions(db: Database, article_id: int, rows: list[dict], *, layer_id: int,
                        stamp: str, cache: dict | None = None) -> int:
    """Delete the article's earlier suggestions and insert ``rows``; return how many."""
    db.execute("DELETE FROM quotes WHERE article_id = ? AND layer_id = ? AND status = "
               "'suggested'", [article_id, layer_id])
    count = 0
    for q in rows:
        sid = speaker_id_for(db, q["speaker"], kind=q["speaker_kind"] or "person",
                             role=q["role"], organisation=q["organisation"], cache=cache)
        frags = sorted(q["fragments"])
        sp = q["mention"] or (None, None)
        cue = q["cue"] or (None, None)
        cur = db.execute(
            'INSERT INTO quotes(uuid, article_id, layer_id, start, "end", kind, speaker_id, '
            "speaker_start, speaker_end, cue_start, cue_end, status, confidence, created, "
            "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'suggested', ?, ?, ?)",
            [str(uuid_mod.uuid4()), article_id, layer_id, frags[0][0], frags[-1][1], q["kind"],
             sid, sp[0], sp[1], cue[0], cue[1], q["confidence"], stamp, stamp])
        db.conn.executemany(
            'INSERT INTO quote_fragments(quote_id, ord, start, "end") VALUES (?, ?, ?, ?)',
            [(cur.lastrowid, i, s, e) for i, (s, e) in enumerate(frags)])
        count += 1
    return count
