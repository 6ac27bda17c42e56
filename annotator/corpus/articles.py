"""Read articles and their analysis back, for the GUI and scripts."""
from __future__ import annotations

from sqlite_utils import Database

LIST_SQL = """SELECT a.id, coalesce(a.title, a.source, ''), coalesce(a.outlet, ''),
    coalesce(a.published, ''), a.analyzed_at IS NOT NULL,
    (SELECT count(*) FROM entities e WHERE e.article_id = a.id AND e.removed = 0)
FROM articles a ORDER BY a.id LIMIT ? OFFSET ?"""


def article_count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]


def article_page(db: Database, offset: int, limit: int) -> list[dict]:
    """One page of the article list, in import order."""
    return [dict(id=r[0], title=r[1], outlet=r[2], published=r[3], analyzed=bool(r[4]),
                 entities=r[5]) for r in db.execute(LIST_SQL, [limit, offset]).fetchall()]


def get_article(db: Database, article_id: int) -> dict | None:
    row = db.execute("SELECT id, hash, text, title, outlet, author, url, published, filename, "
                     "source, analyzed_model FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return None
    keys = ("id", "hash", "text", "title", "outlet", "author", "url", "published", "filename",
            "source", "analyzed_model")
    return dict(zip(keys, row))


def article_entities(db: Database, article_id: int) -> list[dict]:
    """The model's (and analysts') entities of one article, in text order."""
    return [dict(start=r[0], end=r[1], label=r[2]) for r in db.execute(
        'SELECT start, "end", label FROM entities WHERE article_id = ? AND removed = 0 '
        'ORDER BY start, "end"', [article_id]).fetchall()]
