"""Edits of an article's annotations: quotes, suggestions, entities, article status."""
from __future__ import annotations

import uuid as uuid_mod

from sqlite_utils import Database

from annotator.editing.commands import Command
from annotator.editing.learning import learn_correction, speaker_rows
from annotator.editing.permissions import check_write
from annotator.editing.quotes import (check_fields, check_fragments, check_span, insert_quote,
                                      write_fragments)
from annotator.store.db import ensure_layer, now
from annotator.vocab import ARTICLE_STATUSES, QUOTE_KINDS, QUOTE_STATUSES

QUOTE_FIELDS = {"kind", "speaker_id", "speaker_start", "speaker_end", "cue_start", "cue_end",
                "topic_id", "position_id", "status", "confidence", "note"}
COPIED = ("kind", "speaker_id", "speaker_start", "speaker_end", "cue_start", "cue_end",
          "topic_id", "position_id", "confidence", "note")


def _quote_rows(uid: str) -> list:
    return [("quotes", "uuid = ?", [uid]),
            ("quote_fragments", "quote_id IN (SELECT id FROM quotes WHERE uuid = ?)", [uid])]


def _text_length(db: Database, article_id: int) -> int:
    row = db.execute("SELECT length(text) FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise ValueError(f"no article {article_id}")
    return row[0]


def _replace_fragments(db: Database, quote_id: int, frags) -> None:
    db.execute("DELETE FROM quote_fragments WHERE quote_id = ?", [quote_id])
    write_fragments(db, quote_id, frags)
    db.execute('UPDATE quotes SET start = ?, "end" = ? WHERE id = ?',
               [frags[0][0], frags[-1][1], quote_id])


class AddQuote(Command):
    label = "add quote"

    def __init__(self, *, article_id: int, layer_id: int, fragments, actor: str,
                 kind: str = "direct", status: str = "accepted", origin_uuid=None, **fields):
        super().__init__(actor=actor)
        if kind not in QUOTE_KINDS:
            raise ValueError(f"quote kind must be one of {', '.join(QUOTE_KINDS)}, not {kind!r}")
        if status not in QUOTE_STATUSES:
            raise ValueError(f"quote status must be one of {', '.join(QUOTE_STATUSES)}, "
                             f"not {status!r}")
        unknown = set(fields) - QUOTE_FIELDS
        if unknown:
            raise ValueError(f"unknown quote field(s): {', '.join(sorted(unknown))}")
        self.uuid = str(uuid_mod.uuid4())
        self.article_id, self.layer_id, self.fragments = article_id, layer_id, fragments
        self.fields = dict(fields, kind=kind, status=status, origin_uuid=origin_uuid)

    def target(self):
        return f"quote:{self.uuid}"

    def touched(self, db):
        learns = self.fields.get("origin_uuid") is not None
        return _quote_rows(self.uuid) + (speaker_rows(self.fields.get("speaker_id"))
                                         if learns else [])

    def mutate(self, db):
        check_write(db, self.actor, self.layer_id)
        text_len = _text_length(db, self.article_id)
        frags = check_fragments(text_len, self.fragments)
        for a, b, what in (("speaker_start", "speaker_end", "speaker mention"),
                           ("cue_start", "cue_end", "cue")):
            if self.fields.get(a) is not None:
                check_span(text_len, self.fields[a], self.fields[b], what)
        stamp = now()
        insert_quote(db, dict(self.fields, uuid=self.uuid, article_id=self.article_id,
                              layer_id=self.layer_id, created=stamp, updated=stamp), frags)
        learn_correction(db, self.uuid)   # a quote made from a suggestion, another speaker


def add_quote(db: Database, *, article_id: int, layer: str, fragments, kind: str = "direct",
              speaker_id: int | None = None, speaker_span=None, cue_span=None,
              topic_id: int | None = None, position_id: int | None = None,
              status: str = "accepted", confidence: float | None = None, note: str = "",
              origin_uuid: str | None = None, actor: str | None = None) -> str:
    """Store a quote in one transaction (logged in ``_events``); return its uuid."""
    sp = speaker_span or (None, None)
    cue = cue_span or (None, None)
    cmd = AddQuote(article_id=article_id, layer_id=ensure_layer(db, layer), fragments=fragments,
                   actor=actor or layer, kind=kind, status=status, origin_uuid=origin_uuid,
                   speaker_id=speaker_id, speaker_start=sp[0], speaker_end=sp[1],
                   cue_start=cue[0], cue_end=cue[1], topic_id=topic_id,
                   position_id=position_id, confidence=confidence, note=note)
    cmd.apply(db)
    return cmd.uuid


def _quote_id(db: Database, uid: str, actor: str) -> tuple[int, int]:
    """The quote's id and article, once ``actor`` may change its layer."""
    row = next(db.query("SELECT id, article_id, layer_id FROM quotes WHERE uuid = ?",
                        [uid]), None)
    if row is None:
        raise ValueError(f"no quote {uid}")
    check_write(db, actor, row["layer_id"])
    return row["id"], row["article_id"]


class UpdateQuote(Command):
    """Change fields of a quote (speaker, mention, cue, topic, position, kind, note, status)
    and/or its fragments."""
    label = "edit quote"

    def __init__(self, *, uuid: str, actor: str, fragments=None, **fields):
        super().__init__(actor=actor)
        check_fields(fields, QUOTE_FIELDS)
        self.uuid, self.fields, self.fragments = uuid, fields, fragments
        if "position_id" in fields:
            self.label = "set position"
        elif "speaker_id" in fields:
            self.label = "set speaker"
        elif fragments is not None:
            self.label = "change quote span"

    def target(self):
        return f"quote:{self.uuid}"

    def touched(self, db):
        return _quote_rows(self.uuid) + speaker_rows(self.fields.get("speaker_id"))

    def mutate(self, db):
        quote_id, article_id = _quote_id(db, self.uuid, self.actor)
        if self.fragments is not None:
            _replace_fragments(db, quote_id, check_fragments(_text_length(db, article_id),
                                                            self.fragments))
        fields = dict(self.fields, updated=now())
        db.execute(f"UPDATE quotes SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
                   [*fields.values(), quote_id])
        if self.fields.get("speaker_id") is not None:
            learn_correction(db, self.uuid)


class DeleteQuote(Command):
    label = "delete quote"

    def __init__(self, *, uuid: str, actor: str):
        super().__init__(actor=actor)
        self.uuid = uuid

    def target(self):
        return f"quote:{self.uuid}"

    def touched(self, db):
        return _quote_rows(self.uuid)

    def mutate(self, db):
        _quote_id(db, self.uuid, self.actor)
        db.execute("DELETE FROM quotes WHERE uuid = ?", [self.uuid])


def _copy_suggestion(db: Database, suggestion_uuid: str, layer_id: int, status: str,
                     fields: dict | None = None) -> str:
    row = next(db.query(f"SELECT id, article_id, {', '.join(COPIED)} FROM quotes "
                        "WHERE uuid = ?", [suggestion_uuid]), None)
    if row is None:
        raise ValueError(f"no suggestion {suggestion_uuid}")
    frags = db.execute('SELECT start, "end" FROM quote_fragments WHERE quote_id = ? ORDER BY ord',
                       [row.pop("id")]).fetchall()
    uid = str(uuid_mod.uuid4())
    stamp = now()
    insert_quote(db, dict(row, **(fields or {}), uuid=uid, layer_id=layer_id, status=status,
                          origin_uuid=suggestion_uuid, created=stamp, updated=stamp), frags)
    return uid


class DecideSuggestion(Command):
    """Accept a suggestion into a layer (a copy that remembers its origin), or reject it (a
    'rejected' copy, so the suggestion no longer shows as pending for that layer). An accepted
    copy may take ``fields`` of its own (a position, a topic...): one edit, one undo step."""

    def __init__(self, *, suggestion_uuid: str, layer_id: int, actor: str, accept: bool = True,
                 **fields):
        super().__init__(actor=actor)
        check_fields(fields, QUOTE_FIELDS - {"status"})
        if fields and not accept:
            raise ValueError("a rejected suggestion takes no fields")
        self.suggestion_uuid, self.layer_id, self.fields = suggestion_uuid, layer_id, fields
        self.status = "accepted" if accept else "rejected"
        self.label = "accept suggestion" if accept else "reject suggestion"
        if "position_id" in fields:
            self.label = "accept suggestion with position"
        self.uuid = None

    def target(self):
        return f"quote:{self.suggestion_uuid}"

    def touched(self, db):
        where = "layer_id = ? AND origin_uuid = ?"
        return [("quotes", where, [self.layer_id, self.suggestion_uuid]),
                ("quote_fragments", f"quote_id IN (SELECT id FROM quotes WHERE {where})",
                 [self.layer_id, self.suggestion_uuid])] + \
            speaker_rows(self.fields.get("speaker_id"))

    def mutate(self, db):
        check_write(db, self.actor, self.layer_id)
        db.execute("DELETE FROM quotes WHERE layer_id = ? AND origin_uuid = ?",
                   [self.layer_id, self.suggestion_uuid])
        self.uuid = _copy_suggestion(db, self.suggestion_uuid, self.layer_id, self.status,
                                     self.fields)
        if "speaker_id" in self.fields:   # accepted with another speaker: the registry learns
            learn_correction(db, self.uuid)


class AcceptAllSuggestions(Command):
    """Accept every suggestion of an article that the layer has not decided on yet."""
    label = "accept all suggestions"

    def __init__(self, *, article_id: int, layer_id: int, suggestions_layer_id: int, actor: str):
        super().__init__(actor=actor)
        self.article_id, self.layer_id = article_id, layer_id
        self.suggestions_layer_id = suggestions_layer_id

    def target(self):
        return f"article:{self.article_id}"

    def touched(self, db):
        where = "article_id = ? AND layer_id = ?"
        return [("quotes", where, [self.article_id, self.layer_id]),
                ("quote_fragments", f"quote_id IN (SELECT id FROM quotes WHERE {where})",
                 [self.article_id, self.layer_id])]

    def mutate(self, db):
        from annotator.editing.desk import pending_suggestions  # the desk's own notion of "pending"
        check_write(db, self.actor, self.layer_id)
        pending = [q["uuid"] for q in pending_suggestions(
            db, self.article_id, self.layer_id, self.suggestions_layer_id)]
        for uid in pending:
            _copy_suggestion(db, uid, self.layer_id, "accepted")
        self.count = len(pending)


class SetArticleStatus(Command):
    label = "set article status"

    def __init__(self, *, article_id: int, layer_id: int, status: str, actor: str):
        super().__init__(actor=actor)
        if status not in ARTICLE_STATUSES:
            raise ValueError(f"article status must be one of {', '.join(ARTICLE_STATUSES)}")
        self.article_id, self.layer_id, self.status = article_id, layer_id, status
        self.label = f"mark article {status.replace('_', ' ')}"

    def target(self):
        return f"article:{self.article_id}"

    def touched(self, db):
        return [("article_status", "article_id = ? AND layer_id = ?",
                 [self.article_id, self.layer_id])]

    def mutate(self, db):
        check_write(db, self.actor, self.layer_id)
        db.execute("INSERT INTO article_status(article_id, layer_id, status, updated) "
                   "VALUES (?, ?, ?, ?) ON CONFLICT(article_id, layer_id) DO UPDATE SET "
                   "status = excluded.status, updated = excluded.updated",
                   [self.article_id, self.layer_id, self.status, now()])


def _check_entity(db: Database, entity_id: int, actor: str) -> None:
    """An analyst's entity is changed by that analyst only; the model's by anyone (a fix)."""
    row = db.execute("SELECT layer_id FROM entities WHERE id = ?", [entity_id]).fetchone()
    if row is None:
        raise ValueError(f"no entity {entity_id}")
    if row[0] is not None:
        check_write(db, actor, row[0])


class AddEntity(Command):
    label = "add entity"

    def __init__(self, *, article_id: int, start: int, end: int, label: str, layer_id: int,
                 actor: str):
        super().__init__(actor=actor)
        self.article_id, self.start, self.end, self.ent_label = article_id, start, end, label
        self.layer_id = layer_id
        self.entity_id = None

    def touched(self, db):
        return [("entities", "id = ?", [self.entity_id])] if self.entity_id else []

    def mutate(self, db):
        check_write(db, self.actor, self.layer_id)
        check_span(_text_length(db, self.article_id), self.start, self.end, "entity")
        self.entity_id = db.execute(
            'INSERT INTO entities(article_id, start, "end", label, layer_id) VALUES (?, ?, ?, ?, ?)',
            [self.article_id, self.start, self.end, self.ent_label, self.layer_id]).lastrowid


class RelabelEntity(Command):
    label = "relabel entity"

    def __init__(self, *, entity_id: int, label: str, actor: str):
        super().__init__(actor=actor)
        self.entity_id, self.new_label = entity_id, label

    def touched(self, db):
        return [("entities", "id = ?", [self.entity_id])]

    def mutate(self, db):
        _check_entity(db, self.entity_id, self.actor)
        db.execute("UPDATE entities SET label = ? WHERE id = ?", [self.new_label, self.entity_id])


class RemoveEntity(Command):
    """Remove an entity: an analyst's is deleted, the model's is struck out (kept, hidden)."""
    label = "remove entity"

    def __init__(self, *, entity_id: int, actor: str):
        super().__init__(actor=actor)
        self.entity_id = entity_id

    def touched(self, db):
        return [("entities", "id = ?", [self.entity_id])]

    def mutate(self, db):
        _check_entity(db, self.entity_id, self.actor)
        db.execute("DELETE FROM entities WHERE id = ? AND layer_id IS NOT NULL", [self.entity_id])
        db.execute("UPDATE entities SET removed = 1 WHERE id = ?", [self.entity_id])
