"""Store one article's suggestions in the ``suggestions`` layer (inside the caller's
transaction): earlier suggestions of the article are replaced, so a re-run or a resumed
analysis never leaves duplicates; one an analyst has already decided on (accepted, rejected,
corrected) is kept, with the quotes made from it, and not proposed again."""
from __future__ import annotations

import uuid as uuid_mod

from sqlite_utils import Database

from annotator.editing.quotes import insert_quote
from annotator.store.db import ensure_layer
from annotator.nlp.speaker_matching import speaker_id_for

LAYER = "suggestions"


def _fragments(fragments, length: int) -> list[tuple[int, int]]:
    """Sorted, non-empty, non-overlapping fragments inside the text (what the schema needs)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted((max(0, int(s)), min(length, int(e))) for s, e in fragments):
        if e <= s:
            continue
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _span(span, length: int):
    return tuple(span) if span is not None and 0 <= span[0] < span[1] <= length else None


def as_rows(suggestions, length: int, text: str = "") -> list[dict]:
    """Plain dicts (no spaCy objects) of ``Suggestion`` objects for a text of ``length``
    characters, as ``doc_results`` keeps them (``text``: the mention's words too); a
    suggestion left without text is dropped."""
    rows = []
    for s in suggestions:
        fragments = _fragments(s.fragments, length)
        if fragments:
            mention = _span(s.mention, length)
            rows.append({"fragments": fragments, "kind": s.kind, "cue": _span(s.cue, length),
                         "mention": mention, "speaker": s.speaker,
                         "mention_text": text[mention[0]:mention[1]] if mention else "",
                         "speaker_kind": s.speaker_kind, "role": s.role,
                         "organisation": s.organisation, "confidence": s.confidence})
    return rows


def suggestions_layer(db: Database) -> int:
    """The id of the ``suggestions`` layer (created when missing)."""
    return ensure_layer(db, LAYER, "suggestions")


def replace_suggestions(db: Database, article_id: int, rows: list[dict], *, layer_id: int,
                        stamp: str, cache: dict | None = None) -> int:
    """Delete the article's earlier suggestions and insert ``rows``; return how many.

    A suggestion an analyst has decided on (accepted, rejected or corrected into a layer: a
    quote there remembers it as its ``origin_uuid``, or its own status is no longer
    ``suggested``) is kept as it is, and a new one over the same words is not proposed."""
    db.execute("DELETE FROM quotes WHERE article_id = ? AND layer_id = ? AND status = "
               "'suggested' AND NOT EXISTS (SELECT 1 FROM quotes d WHERE d.origin_uuid = "
               "quotes.uuid)", [article_id, layer_id])
    settled = db.execute(   # what is left: the suggestions an analyst has decided on
        'SELECT start, "end" FROM quotes WHERE article_id = ? AND layer_id = ?',
        [article_id, layer_id]).fetchall()
    count = 0
    for q in rows:
        start, end = q["fragments"][0][0], q["fragments"][-1][1]
        if any(s < end and start < e for s, e in settled):
            continue
        sid = speaker_id_for(db, q["speaker"], kind=q["speaker_kind"] or "person",
                             role=q["role"], organisation=q["organisation"], cache=cache,
                             mention=q.get("mention_text"))
        sp = q["mention"] or (None, None)
        cue = q["cue"] or (None, None)
        insert_quote(db, {"uuid": str(uuid_mod.uuid4()), "article_id": article_id,
                          "layer_id": layer_id, "kind": q["kind"], "speaker_id": sid,
                          "speaker_start": sp[0], "speaker_end": sp[1], "cue_start": cue[0],
                          "cue_end": cue[1], "status": "suggested",
                          "confidence": q["confidence"], "created": stamp, "updated": stamp},
                     q["fragments"])
        count += 1
    return count
