"""Quotes: one or more text fragments in one layer, with speaker, cue and position."""
from __future__ import annotations

from sqlite_utils import Database

from annotator.store.db import ensure_layer


def check_span(text_len: int, start: int, end: int, what: str) -> None:
    if not (0 <= start < end <= text_len):
        raise ValueError(f"{what} [{start}, {end}) is outside the article (0..{text_len})")


def add_quote(db: Database, *, article_id: int, layer: str, fragments, kind: str = "direct",
              speaker_id: int | None = None, speaker_span=None, cue_span=None,
              topic_id: int | None = None, position_id: int | None = None,
              status: str = "accepted", confidence: float | None = None, note: str = "",
              origin_uuid: str | None = None, actor: str | None = None) -> str:
    """Store a quote in one transaction (logged in ``_events``); return its uuid."""
    from annotator.editing.edits import AddQuote  # edits builds on this module's checks

    sp = speaker_span or (None, None)
    cue = cue_span or (None, None)
    cmd = AddQuote(article_id=article_id, layer_id=ensure_layer(db, layer), fragments=fragments,
                   actor=actor or layer, kind=kind, status=status, origin_uuid=origin_uuid,
                   speaker_id=speaker_id, speaker_start=sp[0], speaker_end=sp[1],
                   cue_start=cue[0], cue_end=cue[1], topic_id=topic_id,
                   position_id=position_id, confidence=confidence, note=note)
    cmd.apply(db)
    return cmd.uuid
