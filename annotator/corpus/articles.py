"""Read an article back, for the GUI and scripts."""
from __future__ import annotations

from sqlite_utils import Database


def get_article(db: Database, article_id: int) -> dict | None:
    """The article's text and metadata, None when there is no such article."""
    rows = list(db.query("SELECT id, hash, text, title, outlet, author, url, published, "
                         "filename, source, analyzed_model FROM articles WHERE id = ?",
                         [article_id]))
    return rows[0] if rows else None


def article_entities(db: Database, article_id: int) -> list[dict]:
    """The model's (and analysts') entities of one article, in text order (``Project``)."""
    return list(db.query('SELECT start, "end", label FROM entities WHERE article_id = ? '
                         'AND removed = 0 ORDER BY start, "end"', [article_id]))
