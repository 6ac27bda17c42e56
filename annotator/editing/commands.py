"""Edits as command objects: each applies itself in one transaction, logs an ``_events`` row,
and can be reverted and re-applied (the UI wraps them for ``QUndoStack``).

A command names the rows it touches (``touched``); ``apply`` snapshots them before and after the
change, so ``revert`` and redo restore exact rows (same ids, same uuids) whatever the change was.
Every ``apply``/``revert`` returns a ``Change`` saying which articles to redraw.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from annotator.store.db import log_event

# primary key columns; tables in parent-before-child order (inserts in order, deletes reversed)
KEYS = {
    "speakers": ("id",), "speaker_aliases": ("speaker_id", "alias"),
    "speaker_merge_proposals": ("id",), "topics": ("id",),
    "positions": ("id",), "layers": ("id",), "quotes": ("id",),
    "quote_fragments": ("quote_id", "ord"), "entities": ("id",),
    "article_status": ("article_id", "layer_id"), "comments": ("id",),
}
ORDER = list(KEYS)

Snapshot = dict  # table -> {pk tuple: row dict}


@dataclass
class Change:
    """What an edit changed, for the GUI to redraw."""
    articles: set = field(default_factory=set)
    tables: set = field(default_factory=set)
    quote_uuid: str | None = None   # the quote the edit was about (to select it)


def _q(name: str) -> str:
    return f'"{name}"'


def snapshot(db: Database, selectors) -> Snapshot:
    """The rows that ``selectors`` [(table, where, params)] match, keyed by primary key."""
    snap: Snapshot = {}
    for table, where, params in selectors:
        cur = db.execute(f"SELECT * FROM {table} WHERE {where}", params)
        cols = [d[0] for d in cur.description]
        rows = snap.setdefault(table, {})
        for values in cur.fetchall():
            row = dict(zip(cols, values))
            rows[tuple(row[k] for k in KEYS[table])] = row
    return snap


def by_keys(snap: Snapshot) -> list:
    """Selectors for exactly the rows of ``snap`` (to see what became of them)."""
    out = []
    for table, rows in snap.items():
        keys = KEYS[table]
        where = " AND ".join(f"{_q(k)} = ?" for k in keys)
        out += [(table, where, list(pk)) for pk in rows]
    return out


# columns that hold another table's id: a row re-created under a new id takes them along
REFS = {
    "speakers": [("speakers", "merged_into"), ("speaker_aliases", "speaker_id"),
                 ("speaker_merge_proposals", "speaker_id"),
                 ("speaker_merge_proposals", "other_id"), ("quotes", "speaker_id")],
    "topics": [("positions", "topic_id"), ("quotes", "topic_id")],
    "positions": [("quotes", "position_id")],
    "layers": [("entities", "layer_id"), ("quotes", "layer_id"), ("article_status", "layer_id")],
    "quotes": [("quote_fragments", "quote_id")],
    "comments": [("comments", "parent_id")],
}


def _renumber(snaps, table: str, old: int, new: int) -> None:
    """Point every row of ``snaps`` at ``table``'s row ``new`` instead of ``old``."""
    for snap in snaps:
        rows = snap.get(table, {})
        if (old,) in rows:
            rows[(new,)] = dict(rows.pop((old,)), id=new)
        for child, col in REFS.get(table, []):
            rows = snap.get(child, {})
            for pk in [pk for pk, row in rows.items() if row.get(col) == old]:
                row = dict(rows.pop(pk), **{col: new})
                rows[tuple(row[k] for k in KEYS[child])] = row


def _insert(db: Database, table: str, row: dict):
    cols = list(row)
    return db.execute(f"INSERT INTO {table} ({', '.join(map(_q, cols))}) VALUES "
                      f"({', '.join('?' * len(cols))})", [row[c] for c in cols])


def restore(db: Database, target: Snapshot, other: Snapshot) -> None:
    """Make the touched rows look like ``target``: rows only in ``other`` are deleted.

    A row re-created after another writer took its id gets a new id (its uuid, and every
    reference to it in the snapshots, follow), so undo and redo never fail on a taken id.
    """
    for table in reversed(ORDER):
        gone = set(other.get(table, {})) - set(target.get(table, {}))
        for pk in gone:
            where = " AND ".join(f"{_q(k)} = ?" for k in KEYS[table])
            db.execute(f"DELETE FROM {table} WHERE {where}", list(pk))
    for table in ORDER:
        present = other.get(table, {})
        for pk, row in list(target.get(table, {}).items()):
            row = target[table].get(pk, row)
            if pk not in present:
                if KEYS[table] == ("id",) and db.execute(
                        f"SELECT 1 FROM {table} WHERE id = ?", [row["id"]]).fetchone():
                    new = _insert(db, table, {k: v for k, v in row.items() if k != "id"})
                    _renumber((target, other), table, row["id"], new.lastrowid)
                else:
                    _insert(db, table, row)
                continue
            cols = list(row)
            insert = (f"INSERT INTO {table} ({', '.join(map(_q, cols))}) VALUES "
                      f"({', '.join('?' * len(cols))})")
            updates = [c for c in cols if c not in KEYS[table]]
            conflict = ", ".join(_q(k) for k in KEYS[table])
            action = ("DO UPDATE SET " + ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in updates)
                      if updates else "DO NOTHING")
            db.execute(f"{insert} ON CONFLICT({conflict}) {action}", [row[c] for c in cols])


def _changed(before: Snapshot, after: Snapshot) -> dict:
    """table -> rows (old or new) that differ between the two snapshots."""
    out = {}
    for table in set(before) | set(after):
        b, a = before.get(table, {}), after.get(table, {})
        rows = [b.get(pk) or a.get(pk) for pk in set(b) | set(a) if b.get(pk) != a.get(pk)]
        if rows:
            out[table] = rows
    return out


class Command:
    """Base class: subclasses set ``label`` and implement ``touched`` and ``mutate``."""

    label = "edit"

    def __init__(self, *, actor: str):
        self.actor = actor
        self.before: Snapshot | None = None
        self.after: Snapshot | None = None

    def touched(self, db: Database) -> list:
        """[(table, where, params)] selecting every row the command may change or create."""
        raise NotImplementedError

    def mutate(self, db: Database) -> None:
        raise NotImplementedError

    def target(self) -> str | None:
        return None

    def _change(self) -> Change:
        changed = _changed(self.before or {}, self.after or {})
        articles = {row["article_id"] for table in ("quotes", "entities", "article_status",
                                                    "comments") for row in changed.get(table, [])}
        return Change(articles=articles, tables=set(changed),
                      quote_uuid=getattr(self, "uuid", None))

    def apply(self, db: Database) -> Change:
        """Do (or redo) the edit in one transaction."""
        redo = self.after is not None
        with db.atomic():
            if redo:
                restore(db, self.after, self.before)
            else:
                selectors = self.touched(db)
                self.before = snapshot(db, selectors)
                self.mutate(db)
                self.after = snapshot(db, selectors + self.touched(db) + by_keys(self.before))
            self._log(db, "redo" if redo else "", self.before, self.after)
        return self._change()

    def revert(self, db: Database) -> Change:
        """Undo the edit in one transaction."""
        with db.atomic():
            restore(db, self.before, self.after)
            self._log(db, "undo", self.after, self.before)
        return self._change()

    def _log(self, db: Database, how: str, before: Snapshot, after: Snapshot) -> None:
        flat = lambda s: {t: list(rows.values()) for t, rows in s.items() if rows}  # noqa: E731
        action = f"{how} {self.label}".strip()
        log_event(db, actor=self.actor, action=action, target=self.target(),
                  before=flat(before), after=flat(after))

