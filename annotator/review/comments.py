"""Read queries of review comments: an article's threads, and what an analyst should see.

A comment is on an article (``quote_uuid`` NULL) or on a quote; replies point to their
``parent_id``. The reviewer's reason and comment on settling a unit sit on the gold quote;
an analyst sees them on their own quotes, because the gold quote overlaps them.
"""
from __future__ import annotations

from sqlite_utils import Database

COLUMNS = ("id", "article_id", "quote_uuid", "parent_id", "author", "body", "resolved",
           "created", "reason")
FIELDS = ", ".join(f"c.{c}" for c in COLUMNS)
SELECT = f"SELECT {FIELDS} FROM comments c"


def _rows(cur) -> list[dict]:
    out = []
    for r in cur.fetchall():
        row = dict(zip(COLUMNS, r[:len(COLUMNS)]))
        row["resolved"] = bool(row["resolved"])
        if len(r) > len(COLUMNS):
            row["about_uuid"] = r[len(COLUMNS)]
        out.append(row)
    return out


def threaded(rows: list[dict]) -> list[dict]:
    """Comments in thread order: each root by time, its replies (depth-first) under it,
    with ``depth`` (0 for a root)."""
    children: dict = {}
    ids = {r["id"] for r in rows}
    for r in rows:
        parent = r["parent_id"] if r["parent_id"] in ids else None
        children.setdefault(parent, []).append(r)
    out = []

    def walk(parent, depth):
        for r in sorted(children.get(parent, []), key=lambda r: (r["created"], r["id"])):
            out.append(dict(r, depth=depth))
            walk(r["id"], depth + 1)
    walk(None, 0)
    return out


def article_comments(db: Database, article_id: int, *, include_resolved: bool = True
                     ) -> list[dict]:
    """Every comment of an article (on it or its quotes), in thread order."""
    extra = "" if include_resolved else " AND c.resolved = 0"
    return threaded(_rows(db.execute(f"{SELECT} WHERE c.article_id = ?{extra}", [article_id])))


def comments_for_layer(db: Database, layer_id: int, *, article_id: int | None = None,
                       include_resolved: bool = False) -> list[dict]:
    """Comments an analyst should see about their layer: on their own quotes, and on gold
    quotes (with their replies) that overlap one of their quotes or were copied from one.
    ``about_uuid`` is the analyst's quote concerned."""
    cond = "m.layer_id = :layer" + ("" if article_id is None else " AND m.article_id = :article")
    sql = f"""SELECT {FIELDS}, m.uuid FROM comments c JOIN quotes m ON m.uuid = c.quote_uuid
        WHERE {cond}
        UNION
        SELECT {FIELDS}, m.uuid FROM comments c JOIN quotes g ON g.uuid = c.quote_uuid
        JOIN layers l ON l.id = g.layer_id AND l.kind = 'gold'
        JOIN quotes m ON m.article_id = g.article_id AND m.layer_id = :layer
            AND m.status != 'rejected'
            AND (m.uuid = g.origin_uuid OR (m.start < g."end" AND g.start < m."end"))
        WHERE {cond} ORDER BY 1"""
    rows = _rows(db.execute(sql, {"layer": layer_id, "article": article_id}))
    seen, out = set(), []
    for r in rows:  # one row per comment: the first quote it is about
        if r["id"] not in seen:
            seen.add(r["id"])
            out.append(r)
    out = threaded(out)
    if not include_resolved:   # a resolved thread is hidden with its replies
        hidden, kept = set(), []
        for r in out:
            if (r["depth"] == 0 and r["resolved"]) or r["parent_id"] in hidden:
                hidden.add(r["id"])
            else:
                kept.append(r)
        out = kept
    return out


def open_count(db: Database, layer_id: int) -> int:
    """Unresolved comments about a layer's quotes (for a badge)."""
    return len([c for c in comments_for_layer(db, layer_id) if c["depth"] == 0])
