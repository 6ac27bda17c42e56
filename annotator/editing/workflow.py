"""The article workflow: per article and layer to do / in progress / done (/ skipped), per
article reviewed, and the reviewer's queue.

- A layer's status is its ``article_status`` row, ``todo`` without one.
- An article is *reviewed* when the gold layer's status for it is ``done`` (the reviewer marks
  it with ``edits.SetArticleStatus`` on the gold layer).
- The analysts *assigned* to an article are those whose layer has a status row for it other
  than ``skipped``, or a quote in it (not rejected): there is no assignment table.
- The reviewer's queue: articles not reviewed yet, with at least one assigned analyst, every
  assigned analyst ``done``.
- A layer *has work* on an article when it has a quote there (not rejected) or its status is
  ``in_progress`` or ``done``, unless it skipped the article (the scope of the agreement
  report, ``review.agreement.scope``). ``layers_with_work`` gives the layers with work on an
  article or on the corpus: what review mode, the agreement report and Insights compare by
  default (never a reviewer's own empty layer).

``where_sql`` gives the same conditions as SQL over an ``articles a`` alias, for lists that
page through many articles.
"""
from __future__ import annotations

from sqlite_utils import Database

from annotator.vocab import ARTICLE_STATUSES

ASSIGNED = """SELECT st.layer_id FROM article_status st JOIN layers l ON l.id = st.layer_id
    WHERE st.article_id = a.id AND l.kind = 'analyst' AND st.status != 'skipped'
    UNION SELECT q.layer_id FROM quotes q JOIN layers l ON l.id = q.layer_id
    WHERE q.article_id = a.id AND l.kind = 'analyst' AND q.status != 'rejected'"""
REVIEWED = """EXISTS (SELECT 1 FROM article_status g JOIN layers l ON l.id = g.layer_id
    WHERE g.article_id = a.id AND l.kind = 'gold' AND g.status = 'done')"""
ALL_DONE = f"""EXISTS ({ASSIGNED}) AND NOT EXISTS (SELECT 1 FROM ({ASSIGNED}) x
    WHERE coalesce((SELECT s.status FROM article_status s WHERE s.article_id = a.id
                    AND s.layer_id = x.layer_id), 'todo') NOT IN ('done', 'skipped'))"""
IN_QUEUE = f"({ALL_DONE}) AND NOT {REVIEWED}"


def where_sql(*, layer_id: int | None = None, status: str | None = None,
              reviewed: bool | None = None, in_queue: bool = False) -> tuple[str, dict]:
    """SQL conditions over ``articles a`` (joined with AND, '1' when none) and parameters:
    the layer's status, reviewed or not, in the reviewer's queue."""
    where, params = [], {}
    if status is not None:
        if status not in ARTICLE_STATUSES:
            raise ValueError(f"article status must be one of {', '.join(ARTICLE_STATUSES)}")
        if layer_id is None:
            raise ValueError("a status filter needs a layer")
        where.append("coalesce((SELECT st.status FROM article_status st WHERE st.article_id = "
                     "a.id AND st.layer_id = :wf_layer), 'todo') = :wf_status")
        params.update(wf_layer=layer_id, wf_status=status)
    if reviewed is not None:
        where.append(REVIEWED if reviewed else f"NOT {REVIEWED}")
    if in_queue:
        where.append(IN_QUEUE)
    return (" AND ".join(f"({w})" for w in where) or "1"), params


def article_ids(db: Database, **filters) -> list[int]:
    """Ids of the articles that pass ``where_sql(**filters)``, in id order."""
    where, params = where_sql(**filters)
    return [r[0] for r in db.execute(f"SELECT a.id FROM articles a WHERE {where} ORDER BY a.id",
                                     params)]


def review_queue(db: Database, *, limit: int | None = None) -> list[dict]:
    """The reviewer's queue: id, title, the assigned analysts (all done), in id order."""
    sql = (f"SELECT a.id, coalesce(a.title, a.source, '') FROM articles a WHERE {IN_QUEUE} "
           f"ORDER BY a.id" + (f" LIMIT {int(limit)}" if limit else ""))
    out = []
    for aid, title in db.execute(sql).fetchall():
        out.append({"id": aid, "title": title, "analysts": assigned(db, aid)})
    return out


def assigned(db: Database, article_id: int) -> list[str]:
    """Names of the analysts assigned to an article (see the module docstring)."""
    sql = ASSIGNED.replace("a.id", ":article")
    return [r[0] for r in db.execute(
        f"SELECT name FROM layers WHERE id IN ({sql}) ORDER BY name", {"article": article_id})]


def layer_status(db: Database, article_id: int, layer_id: int) -> str:
    """The layer's status of the article: ``todo`` without a row."""
    row = db.execute("SELECT status FROM article_status WHERE article_id = ? AND layer_id = ?",
                     [article_id, layer_id]).fetchone()
    return row[0] if row else "todo"


def article_state(db: Database, article_id: int) -> dict:
    """Per layer status (every analyst and gold layer; ``todo`` without a row), the assigned
    analysts, whether it is reviewed and whether it waits in the reviewer's queue."""
    statuses = {name: status for name, status in db.execute(
        "SELECT l.name, coalesce(st.status, 'todo') FROM layers l LEFT JOIN article_status st "
        "ON st.layer_id = l.id AND st.article_id = ? WHERE l.kind IN ('analyst', 'gold') "
        "ORDER BY l.kind, l.name", [article_id])}
    flags = next(db.query(f"SELECT {REVIEWED} AS reviewed, {IN_QUEUE} AS in_queue "
                          f"FROM articles a WHERE a.id = ?", [article_id]), None)
    if flags is None:
        raise ValueError(f"no article {article_id}")
    return {"statuses": statuses, "assigned": assigned(db, article_id),
            "reviewed": bool(flags["reviewed"]), "in_queue": bool(flags["in_queue"])}


def counts(db: Database) -> dict:
    """Articles reviewed, waiting for review, and per analyst layer the number done."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    done = dict(db.execute(
        "SELECT l.name, count(st.article_id) FROM layers l LEFT JOIN article_status st ON "
        "st.layer_id = l.id AND st.status = 'done' WHERE l.kind = 'analyst' GROUP BY l.id "
        "ORDER BY l.name").fetchall())
    return {"reviewed": one(f"SELECT count(*) FROM articles a WHERE {REVIEWED}"),
            "in_queue": one(f"SELECT count(*) FROM articles a WHERE {IN_QUEUE}"),
            "done": done}


def layers_with_work(db: Database, *, article_id: int | None = None,
                     kinds=("analyst",)) -> list[dict]:
    """The layers (id, name, kind) of ``kinds`` that have work on ``article_id``, or on any
    article when it is None (see the module docstring); analysts' by name first, then gold
    and the suggestions. One query, each layer looked at until its first piece of work."""
    kinds = tuple(kinds)
    if not kinds:
        return []
    on_q = on_s = ""
    params: list = []
    if article_id is not None:
        on_q, on_s = " AND q.article_id = ?", " AND s.article_id = ?"
        params = [article_id, article_id]
    marks = ",".join("?" * len(kinds))
    return list(db.query(
        f"""SELECT l.id, l.name, l.kind FROM layers l WHERE l.kind IN ({marks}) AND (
            EXISTS (SELECT 1 FROM quotes q WHERE q.layer_id = l.id AND q.status != 'rejected'
                    {on_q} AND NOT EXISTS (SELECT 1 FROM article_status k
                        WHERE k.article_id = q.article_id AND k.layer_id = l.id
                        AND k.status = 'skipped'))
            OR EXISTS (SELECT 1 FROM article_status s WHERE s.layer_id = l.id
                       AND s.status IN ('in_progress', 'done'){on_s}))
        ORDER BY l.kind != 'analyst', l.kind, l.name""",
        [*kinds, *params]))
