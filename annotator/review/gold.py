"""The reviewer's edits, as undoable commands (same snapshot mechanism as ``edits``).

- ``TakeIntoGold``: copy one layer's version of a quote into the gold layer (``origin_uuid``
  remembers it), optionally changed (speaker, position, fragments...), replacing the gold
  quotes that stood for the same unit, with a reason and a comment (one ``comments`` row on
  the gold quote, which the analysts whose quotes it overlaps see: ``comments.py``).
- ``AcceptAgreed``: every unit of an article on which the compared layers all agree, into
  gold in one command (units gold already holds are left alone).
- ``AddComment`` (a reply when ``parent_id`` is given) and ``ResolveComment``.

Writing gold needs a reviewer (``permissions.check_write``); anyone may comment or resolve.
"""
from __future__ import annotations

import uuid as uuid_mod

from sqlite_utils import Database

from annotator.review.alignment import MIN_OVERLAP, align_article
from annotator.editing.commands import Command
from annotator.editing.edits import COPIED
from annotator.editing.permissions import check_write
from annotator.editing.quotes import check_fields, check_fragments, insert_quote
from annotator.store.db import now

OVERRIDES = {"kind", "speaker_id", "speaker_start", "speaker_end", "cue_start", "cue_end",
             "topic_id", "position_id", "note"}


def gold_layer(db: Database) -> int:
    """The id of the gold layer (created when missing)."""
    from annotator.store.db import ensure_layer
    return ensure_layer(db, "gold", "gold")


def _gold_rows(article_id: int, gold_id: int) -> list:
    where = "article_id = ? AND layer_id = ?"
    return [("quotes", where, [article_id, gold_id]),
            ("quote_fragments", f"quote_id IN (SELECT id FROM quotes WHERE {where})",
             [article_id, gold_id])]


def _copy(db: Database, source: dict, frags, gold_id: int, uid: str, fields: dict) -> None:
    """Insert a gold copy of ``source`` (a gold quote taken again keeps its own origin)."""
    stamp = now()
    origin = source["origin_uuid"] if source["layer_id"] == gold_id else source["uuid"]
    row = {k: source[k] for k in COPIED}
    row.update(fields)
    row.update(uuid=uid, article_id=source["article_id"], layer_id=gold_id, status="accepted",
               origin_uuid=origin, created=stamp, updated=stamp)
    insert_quote(db, row, frags)


def _source(db: Database, uid: str) -> tuple[dict, list]:
    source = next(db.query(f"SELECT id, uuid, article_id, layer_id, origin_uuid, "
                           f"{', '.join(COPIED)} FROM quotes WHERE uuid = ?", [uid]), None)
    if source is None:
        raise ValueError(f"no quote {uid}")
    frags = db.execute('SELECT start, "end" FROM quote_fragments WHERE quote_id = ? ORDER BY ord',
                       [source["id"]]).fetchall()
    return source, [tuple(f) for f in frags]


def _add_comment(db: Database, *, article_id, quote_uuid, parent_id, author, body,
                 reason=None) -> int:
    return db.execute("INSERT INTO comments(article_id, quote_uuid, parent_id, author, body, "
                      "resolved, created, reason) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                      [article_id, quote_uuid, parent_id, author, body, now(),
                       reason or None]).lastrowid


class TakeIntoGold(Command):
    """Take the quote ``quote_uuid`` (any layer) into gold, replacing gold's quotes that came
    from ``replaces`` (the other quotes of the unit) or are among them."""
    label = "take into gold"

    def __init__(self, *, quote_uuid: str, actor: str, replaces=(), reason: str = "",
                 comment: str = "", fragments=None, gold_layer_id: int | None = None,
                 **fields):
        super().__init__(actor=actor)
        check_fields(fields, OVERRIDES)
        self.source_uuid, self.replaces = quote_uuid, set(replaces) | {quote_uuid}
        self.reason, self.comment = (reason or "").strip(), (comment or "").strip()
        self.fragments, self.fields = fragments, fields
        self.gold_layer_id = gold_layer_id
        self.uuid = str(uuid_mod.uuid4())
        self.article_id = None
        self.comment_id = None

    def target(self):
        return f"quote:{self.uuid}"

    def touched(self, db):
        if self.article_id is None:
            source, _frags = _source(db, self.source_uuid)
            self.article_id = source["article_id"]
            if self.gold_layer_id is None:
                self.gold_layer_id = gold_layer(db)
        return _gold_rows(self.article_id, self.gold_layer_id) + [
            ("comments", "quote_uuid = ?", [self.uuid])]

    def mutate(self, db):
        check_write(db, self.actor, self.gold_layer_id)
        source, frags = _source(db, self.source_uuid)
        if self.fragments is not None:
            length = db.execute("SELECT length(text) FROM articles WHERE id = ?",
                                [source["article_id"]]).fetchone()[0]
            frags = check_fragments(length, self.fragments)
        marks = ",".join("?" * len(self.replaces))
        db.execute(f"DELETE FROM quotes WHERE layer_id = ? AND article_id = ? AND "
                   f"(uuid IN ({marks}) OR origin_uuid IN ({marks}))",
                   [self.gold_layer_id, source["article_id"], *self.replaces, *self.replaces])
        _copy(db, source, frags, self.gold_layer_id, self.uuid, self.fields)
        if self.reason or self.comment:
            self.comment_id = _add_comment(
                db, article_id=source["article_id"], quote_uuid=self.uuid, parent_id=None,
                author=self.actor, body=self.comment or self.reason, reason=self.reason)


class AcceptAgreed(Command):
    """Every unit of the article on which ``layer_ids`` all agree, into gold (one command)."""
    label = "accept agreed units"

    def __init__(self, *, article_id: int, layer_ids, actor: str,
                 gold_layer_id: int | None = None, min_overlap: float = MIN_OVERLAP):
        super().__init__(actor=actor)
        self.article_id, self.layer_ids = article_id, list(layer_ids)
        self.gold_layer_id, self.min_overlap = gold_layer_id, min_overlap
        self.count = 0

    def target(self):
        return f"article:{self.article_id}"

    def touched(self, db):
        if self.gold_layer_id is None:
            self.gold_layer_id = gold_layer(db)
        return _gold_rows(self.article_id, self.gold_layer_id)

    def mutate(self, db):
        check_write(db, self.actor, self.gold_layer_id)
        layers = [lid for lid in self.layer_ids if lid != self.gold_layer_id]
        if len(layers) < 2:
            raise ValueError("accepting agreed units needs two layers or more besides gold")
        units = align_article(db, self.article_id, layers, min_overlap=self.min_overlap)
        have, spans = _gold_marks(db, self.article_id, self.gold_layer_id)
        self.count = 0
        for unit in units:
            if unit.status != "agree" or have & set(unit.uuids()):
                continue
            q = unit.quotes[layers[0]]
            if tuple(q["fragments"]) in spans:
                continue
            source, frags = _source(db, q["uuid"])
            _copy(db, source, frags, self.gold_layer_id, str(uuid_mod.uuid4()), {})
            self.count += 1


def _gold_fragments(db: Database, article_id: int, gold_id: int) -> list:
    out: dict = {}
    for qid, s, e in db.execute(
            'SELECT f.quote_id, f.start, f."end" FROM quote_fragments f JOIN quotes q ON '
            "q.id = f.quote_id WHERE q.article_id = ? AND q.layer_id = ? ORDER BY f.quote_id, "
            "f.ord", [article_id, gold_id]):
        out.setdefault(qid, []).append((s, e))
    return list(out.values())


def _gold_marks(db: Database, article_id: int, gold_id: int) -> tuple[set, set]:
    """What gold holds of an article: the uuids its quotes were taken from, and its quotes'
    fragments (a tuple of (start, end) each)."""
    have = {r[0] for r in db.execute(
        "SELECT origin_uuid FROM quotes WHERE layer_id = ? AND article_id = ? AND "
        "origin_uuid IS NOT NULL", [gold_id, article_id])}
    spans = {tuple(map(tuple, f)) for f in _gold_fragments(db, article_id, gold_id)}
    return have, spans


def settled_units(db: Database, article_id: int, units) -> list[bool]:
    """Per unit (``alignment.Unit``) of an article, whether gold already settles it: a gold
    quote was taken from one of its quotes, or has the fragments of one of them (coded in gold
    directly). Read only: no gold layer is made."""
    row = db.execute("SELECT id FROM layers WHERE kind = 'gold' ORDER BY id LIMIT 1").fetchone()
    if row is None or not units:
        return [False] * len(units)
    have, spans = _gold_marks(db, article_id, row[0])
    return [bool(have & set(u.uuids())) or
            any(tuple(map(tuple, q["fragments"])) in spans for q in u.present())
            for u in units]


class AddComment(Command):
    """A comment on an article or a quote; with ``parent_id``, a reply in that thread."""
    label = "comment"

    def __init__(self, *, body: str, actor: str, article_id: int | None = None,
                 quote_uuid: str | None = None, parent_id: int | None = None,
                 reason: str | None = None):
        super().__init__(actor=actor)
        self.body = (body or "").strip()
        if not self.body:
            raise ValueError("a comment needs some text")
        if article_id is None and quote_uuid is None and parent_id is None:
            raise ValueError("a comment is on an article, a quote or another comment")
        self.article_id, self.quote_uuid, self.parent_id = article_id, quote_uuid, parent_id
        self.reason, self.comment_id = reason, None
        if parent_id is not None:
            self.label = "reply"

    def touched(self, db):
        return [("comments", "id = ?", [self.comment_id])] if self.comment_id else []

    def mutate(self, db):
        article, quote = self.article_id, self.quote_uuid
        if self.parent_id is not None:
            row = db.execute("SELECT article_id, quote_uuid FROM comments WHERE id = ?",
                             [self.parent_id]).fetchone()
            if row is None:
                raise ValueError(f"no comment {self.parent_id}")
            article, quote = row
        elif article is None:
            row = db.execute("SELECT article_id FROM quotes WHERE uuid = ?", [quote]).fetchone()
            if row is None:
                raise ValueError(f"no quote {quote}")
            article = row[0]
        self.comment_id = _add_comment(db, article_id=article, quote_uuid=quote,
                                       parent_id=self.parent_id, author=self.actor,
                                       body=self.body, reason=self.reason)


class ResolveComment(Command):
    """Mark a comment thread resolved (or open again)."""

    def __init__(self, *, comment_id: int, actor: str, resolved: bool = True):
        super().__init__(actor=actor)
        self.comment_id, self.resolved = comment_id, resolved
        self.label = "resolve comment" if resolved else "reopen comment"

    def touched(self, db):
        return [("comments", "id = ?", [self.comment_id])]

    def mutate(self, db):
        if db.execute("SELECT 1 FROM comments WHERE id = ?", [self.comment_id]).fetchone() is None:
            raise ValueError(f"no comment {self.comment_id}")
        db.execute("UPDATE comments SET resolved = ? WHERE id = ?",
                   [int(self.resolved), self.comment_id])
