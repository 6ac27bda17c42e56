"""Counts kept by the project itself (migration m006): triggers update them in the same
transaction as the rows they count, so reading them never scans the corpus.

``_counts`` holds one number per key: ``articles``, ``analyzed``, ``model:NAME VERSION``,
``entities:LABEL`` (entities not removed). ``_quote_counts`` holds the number of quotes per
layer, status, speaker, topic and position (0 for none); ``QUOTES`` reads it as rows shaped
like ``quotes q`` (NULL for none, ``q.n`` quotes each), so that a ``Selection``'s
``quote_where`` and the ``counts`` dimensions apply to it unchanged.
"""
from __future__ import annotations

from sqlite_utils import Database

QUOTES = ("(SELECT layer_id, status, nullif(speaker_id, 0) AS speaker_id, "
          "nullif(topic_id, 0) AS topic_id, nullif(position_id, 0) AS position_id, n "
          "FROM _quote_counts WHERE n > 0)")
"""The quotes grouped, as a table expression with the columns of ``quotes`` it keeps."""


def counter(db: Database, key: str) -> int:
    row = db.execute("SELECT n FROM _counts WHERE key = ?", [key]).fetchone()
    return row[0] if row else 0


def counters(db: Database, prefix: str) -> dict[str, int]:
    """The keys starting with ``prefix`` (without it) and their counts, most first."""
    return {key[len(prefix):]: n for key, n in db.execute(
        "SELECT key, n FROM _counts WHERE key > ? AND key < ? AND n > 0 "
        "ORDER BY n DESC, key", [prefix, prefix + "\U0010ffff"])}


def layer_quote_counts(db: Database) -> list[tuple]:
    """(layer name, kind, status or None, quotes) of every layer, by name."""
    return db.execute(
        "SELECT l.name, l.kind, c.status, coalesce(c.n, 0) FROM layers l LEFT JOIN "
        "(SELECT layer_id, status, sum(n) AS n FROM _quote_counts GROUP BY 1, 2 "
        "HAVING sum(n) > 0) c ON c.layer_id = l.id ORDER BY l.name, c.status").fetchall()
