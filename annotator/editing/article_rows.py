"""The desk's article list at any size: which article is on row r, and on which row an
article is, without COUNT or OFFSET over the corpus.

A list is a sorted sequence of article ids, read from indexes once per refresh:

- every article: the id range (articles are never renumbered; the number of articles comes
  from ``_counts``, kept by triggers), or the ids themselves when the range has gaps;
- my status ``done``, ``in_progress``, ``skipped``: the ids from the index on
  ``article_status(layer_id, status, article_id)``; ``todo`` is every article but my others;
- a search: the FTS index's matches in rowid order, read 256 at a time from the last id
  read (keyset paging), so the first rows come at once however many articles match;
- the review filters: the ids that pass them, in one pass.

A page of rows is then read by its ids (``desk.rows_by_id``).
"""
from __future__ import annotations

from array import array
from bisect import bisect_left

from sqlite_utils import Database

from annotator.editing.desk import REVIEW_FILTERS, _fts_query

PAGE = 256
OTHER_STATUSES = ("in_progress", "done", "skipped")


class Ids:
    """A sorted list of ids (an ``array``, 8 bytes an id)."""

    def __init__(self, ids=()):
        self.ids = array("q", ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, row: int) -> int:
        return self.ids[row]

    def index(self, article_id: int) -> int | None:
        i = bisect_left(self.ids, article_id)
        return i if i < len(self.ids) and self.ids[i] == article_id else None

    def slice(self, start: int, stop: int) -> list[int]:
        return list(self.ids[start:stop])


class Span:
    """The ids ``first`` .. ``last``, every one of them, less the sorted ``without``."""

    def __init__(self, first: int, last: int, without: Ids | None = None):
        self.first, self.last = first, last
        self.without = without or Ids()

    def __len__(self) -> int:
        return max(0, self.last - self.first + 1) - len(self.without)

    def __getitem__(self, row: int) -> int:
        if not 0 <= row < len(self):
            raise IndexError(row)
        lo, hi = self.first + row, self.last  # the smallest id with ``row`` ids kept below it
        while lo < hi:
            mid = (lo + hi) // 2
            if mid - self.first - bisect_left(self.without.ids, mid + 1) >= row:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def index(self, article_id: int) -> int | None:
        if not self.first <= article_id <= self.last or self.without.index(article_id) is not None:
            return None
        return article_id - self.first - bisect_left(self.without.ids, article_id)

    def slice(self, start: int, stop: int) -> list[int]:
        out, stop = [], min(stop, len(self))
        if start >= stop:
            return out
        article_id, skip = self[start], bisect_left(self.without.ids, self[start])
        while len(out) < stop - start:
            if skip < len(self.without) and self.without.ids[skip] == article_id:
                skip += 1
            else:
                out.append(article_id)
            article_id += 1
        return out


def article_total(db: Database) -> int:
    """The number of articles (``_counts``, kept by triggers: no scan)."""
    row = db.execute("SELECT n FROM _counts WHERE key = 'articles'").fetchone()
    return row[0] if row else 0


def _all(db: Database) -> Ids | Span:
    # two statements: SQLite looks up a lone min() or max() in the index, both at once it scans
    first = db.execute("SELECT min(id) FROM articles").fetchone()[0]
    last = db.execute("SELECT max(id) FROM articles").fetchone()[0]
    if first is None:
        return Ids()
    if last - first + 1 == article_total(db):
        return Span(first, last)
    return Ids(r[0] for r in db.execute("SELECT id FROM articles ORDER BY id"))


def _with_status(db: Database, layer_id: int, statuses) -> Ids:
    marks = ",".join("?" * len(statuses))
    return Ids(r[0] for r in db.execute(
        f"SELECT article_id FROM article_status WHERE layer_id = ? AND status IN ({marks}) "
        f"ORDER BY article_id", [layer_id, *statuses]))


def _status_where(status: str | None, alias: str) -> tuple[str, dict]:
    """SQL over the article id ``alias`` for my status or a review filter ('1' for none)."""
    if status is None:
        return "1", {}
    if status in REVIEW_FILTERS:
        from annotator.editing.workflow import where_sql
        sql, params = where_sql(**REVIEW_FILTERS[status])
        return f"EXISTS (SELECT 1 FROM articles a WHERE a.id = {alias} AND {sql})", params
    if status == "todo":
        return (f"NOT EXISTS (SELECT 1 FROM article_status st WHERE st.article_id = {alias} "
                f"AND st.layer_id = :layer AND st.status != 'todo')"), {}
    return (f"EXISTS (SELECT 1 FROM article_status st WHERE st.article_id = {alias} "
            f"AND st.layer_id = :layer AND st.status = :status)"), {"status": status}


class ArticleRows:
    """The ids of one article list (my layer, a status or review filter, a search), in id
    order. ``complete`` is False while a search has more matches to read (``fetch_more``)."""

    def __init__(self, db: Database, *, layer_id: int, status: str | None = None,
                 search: str | None = None):
        self.db, self.layer_id, self.status = db, layer_id, status
        self.query = _fts_query(search or "")
        self.complete = True
        if self.query:
            self.ids, self.complete = Ids(), False
            self.fetch_more()
        elif status is None:
            self.ids = _all(db)
        elif status in REVIEW_FILTERS:
            from annotator.editing.workflow import article_ids
            self.ids = Ids(article_ids(db, **REVIEW_FILTERS[status]))
        elif status == "todo":
            every = _all(db)
            others = _with_status(db, layer_id, OTHER_STATUSES)
            self.ids = (Span(every.first, every.last, others) if isinstance(every, Span) else
                        Ids(i for i in every.ids if others.index(i) is None))
        else:
            self.ids = _with_status(db, layer_id, (status,))

    def __len__(self) -> int:
        return len(self.ids)

    def next_matches(self, limit: int = PAGE, *, through: int | None = None) -> list[int]:
        """The next ``limit`` matches of the search after those read (every one up to the id
        ``through`` when given), not yet added (``extend``)."""
        if self.complete:
            return []
        where, params = _status_where(self.status, "f.rowid")
        after = self.ids[len(self.ids) - 1] if len(self.ids) else 0
        bound = "AND f.rowid <= :through" if through is not None else ""
        rows = [r[0] for r in self.db.execute(
            f"SELECT f.rowid FROM articles_fts f WHERE articles_fts MATCH :q AND "
            f"f.rowid > :after {bound} AND {where} ORDER BY f.rowid"
            + ("" if through is not None else " LIMIT :limit"),
            dict(params, q=self.query, after=after, limit=limit, through=through,
                 layer=self.layer_id))]
        if through is None and len(rows) < limit:
            self.complete = True
        return rows

    def extend(self, ids: list[int]) -> None:
        self.ids.ids.extend(ids)

    def fetch_more(self, limit: int = PAGE, *, through: int | None = None) -> int:
        """Read and add the next matches of the search (``next_matches``); how many."""
        ids = self.next_matches(limit, through=through)
        self.extend(ids)
        return len(ids)

    def unread(self, article_id: int) -> bool:
        """Whether ``article_id`` may be a match of the search not read yet."""
        return not self.complete and (not len(self.ids) or
                                      article_id > self.ids[len(self.ids) - 1])

    def row_of(self, article_id: int, *, read: bool = True) -> int | None:
        """The row of ``article_id``, None when it is not in the list. A search reads its
        matches up to it (unless not ``read``)."""
        if read and self.index(article_id) is None and self.unread(article_id):
            self.fetch_more(through=article_id)
        return self.index(article_id)

    def index(self, article_id: int) -> int | None:
        """The row of ``article_id`` among the ids read, else None."""
        return self.ids.index(article_id)

    def page(self, number: int) -> list[int]:
        """The ids of page ``number`` (PAGE rows)."""
        return self.ids.slice(number * PAGE, (number + 1) * PAGE)
