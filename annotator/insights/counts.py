"""Who says what, in numbers: the aggregates behind the Insights panel and ``stats --by``.

Every count is computed in SQL over the quotes an ``Selection`` chooses (layer, quote
status, topic, outlet, date range, article status; rejected quotes left out unless the filter
names statuses). A speaker counts as the speaker it was merged into (``network.CANON``), so the
speaker x position matrix holds exactly the two-mode weights of the discourse network.
Results are plain dicts and lists; the widgets only draw them.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import NamedTuple

from sqlite_utils import Database

from annotator.selection import ResolvedSelection, Selection, SelectionError
from annotator.insights.network import CANON
from annotator.insights.summary import QUOTES

ISO_DATE = ("iif(a.published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*', "
            "a.published, NULL)")  # "2020" or "14/01/2026" count as undated, never as year -4707
BUCKETS = {  # period of an article's published date: SQL expression over ``a``
    "week": f"date({ISO_DATE}, 'weekday 0', '-6 days')",    # the Monday of its week
    "month": f"strftime('%Y-%m', {ISO_DATE})",
    "year": f"strftime('%Y', {ISO_DATE})",
}
TOP = 10  # rows of the top speakers, outlets and topics
ARTICLE_DIMENSIONS = {"outlet", *BUCKETS}  # what only the articles know


class Dimension(NamedTuple):
    """What ``counts`` groups by: the SQL key, the SQL columns naming it, the join it needs
    and the header names of those columns."""
    key: str
    columns: str
    join: str
    headers: tuple


DIMENSIONS = {
    "speaker": Dimension(
        "c.root", "s.name, coalesce(s.role, ''), coalesce(s.organisation, '')",
        "JOIN speakers s ON s.id = c.root", ("speaker", "role", "organisation")),
    "position": Dimension(
        "q.position_id", "pt.name, p.label, p.value",
        "JOIN positions p ON p.id = q.position_id JOIN topics pt ON pt.id = p.topic_id",
        ("topic", "position", "value")),
    "topic": Dimension("q.topic_id", "t.name", "JOIN topics t ON t.id = q.topic_id", ("topic",)),
    "outlet": Dimension("a.outlet", "a.outlet", "", ("outlet",)),
    "layer": Dimension("q.layer_id", "l.name", "JOIN layers l ON l.id = q.layer_id", ("layer",)),
    "status": Dimension("q.status", "q.status", "", ("status",)),
    **{b: Dimension(expr, expr, "", (b,)) for b, expr in BUCKETS.items()},
}


def resolve(db: Database, filters: Selection | ResolvedSelection | None) -> ResolvedSelection:
    """The filter checked against the project (``SelectionError`` names a bad name)."""
    if isinstance(filters, ResolvedSelection):
        return filters
    return (filters or Selection()).with_default_statuses().resolve(db)


def _statement(f: ResolvedSelection, bucket: str, over_time: bool,
               matrix: bool = True, outlets: bool = False) -> tuple[str, list]:
    """One statement for the panel: ``sp`` (quotes by speaker x topic x position; a merged
    speaker counts as the one it was merged into) and, with ``over_time``, ``tp`` (by outlet x
    period x position), then every figure from those two small tables. The chosen articles
    (``arts``: id, outlet, period) are read once, and only when a filter or ``tp`` needs them."""
    a_where, params = f.article_where("a")
    q_where = f.quote_where("q")
    needs_articles = over_time or outlets or a_where != "1"
    sql = CANON + ",\nmerged AS MATERIALIZED (SELECT id, root FROM canon WHERE id != root)"
    if needs_articles:
        sql += f""",
arts AS MATERIALIZED (
    SELECT a.id AS id, coalesce(a.outlet, '') AS outlet, {BUCKETS[bucket]} AS period
    FROM articles a WHERE {a_where})"""
    parts = []
    if matrix:  # the chosen articles filter the speaker pass as a semi-join (cheaper)
        sp_where = (f"({q_where}) AND q.article_id IN (SELECT id FROM arts)" if a_where != "1"
                    else q_where)
        sql += f""",
sp AS MATERIALIZED (
    SELECT coalesce(m.root, q.speaker_id) AS speaker, q.topic_id AS topic,
           q.position_id AS position, count(*) AS n
    FROM quotes q LEFT JOIN merged m ON m.id = q.speaker_id
    WHERE {sp_where} GROUP BY 1, 2, 3)"""
        parts.append(PANEL_SP)
    if over_time:
        sql += f""",
tp AS MATERIALIZED (
    SELECT arts.outlet AS outlet, arts.period AS period, q.position_id AS position,
           q.speaker_id IS NOT NULL AS spoken, count(*) AS n
    FROM quotes q JOIN arts ON arts.id = q.article_id
    WHERE {q_where} GROUP BY 1, 2, 3, 4)"""
        parts.append(PANEL_TP)
        if not matrix:  # the totals then come from this pass
            parts.append(TP_TOTAL)
    elif outlets:  # the top outlets alone: one lighter pass, grouped by outlet only
        sql += f""",
tpo AS MATERIALIZED (
    SELECT arts.outlet AS outlet, count(*) AS n FROM quotes q JOIN arts ON arts.id = q.article_id
    WHERE {q_where} GROUP BY 1)"""
        parts.append("""SELECT * FROM (SELECT 'outlet', outlet, NULL, n FROM tpo
    ORDER BY n DESC, outlet LIMIT {top})""")
    return sql + "\n" + "\nUNION ALL ".join(parts), params


def prepare(db: Database) -> None:
    """Tune a worker's own connection for aggregates over the whole corpus (a larger page
    cache: the second pass over 100,000 quotes then reads memory, not the file)."""
    db.execute("PRAGMA cache_size = -65536")


PANEL_SP = """SELECT 'cell', speaker, position, sum(n) FROM sp
    WHERE speaker IS NOT NULL GROUP BY speaker, position
UNION ALL SELECT * FROM (SELECT 'speaker', speaker, NULL, sum(n) AS m FROM sp
    WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY m DESC, speaker LIMIT {top})
UNION ALL SELECT * FROM (SELECT 'topic', topic, NULL, sum(n) AS m FROM sp
    WHERE topic IS NOT NULL GROUP BY topic ORDER BY m DESC, topic LIMIT {top})
UNION ALL SELECT 'total', coalesce(sum(n), 0), coalesce(sum(iif(speaker IS NULL, 0, n)), 0),
    coalesce(sum(iif(position IS NULL, 0, n)), 0) FROM sp"""
PANEL_TP = """SELECT 'time', position, period, sum(n) FROM tp
    WHERE position IS NOT NULL AND period IS NOT NULL GROUP BY position, period
UNION ALL SELECT * FROM (SELECT 'outlet', outlet, NULL, sum(n) AS m FROM tp
    GROUP BY outlet ORDER BY m DESC, outlet LIMIT {top})
UNION ALL SELECT 'undated', coalesce(sum(n), 0), NULL, NULL FROM tp WHERE period IS NULL"""
TP_TOTAL = """SELECT 'total', coalesce(sum(n), 0), coalesce(sum(iif(spoken, n, 0)), 0),
    coalesce(sum(iif(position IS NULL, 0, n)), 0) FROM tp"""


def _panel_rows(db: Database, f: ResolvedSelection, bucket: str, top: int, over_time: bool,
                matrix: bool, outlets: bool, in_memory: bool) -> list[tuple]:
    """The panel's figures as rows ``(kind, a, b, n)``: from the cube, or from SQL."""
    path = project_file(db)
    if in_memory and path is not None and db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = '_quote_changes'").fetchone():
        from annotator.insights.cube import cube_of, panel_counts
        cube = cube_of(path)
        with cube.lock:
            cube.refresh(db)
            return panel_counts(db, f, cube, bucket_sql=BUCKETS[bucket], top=top,
                                over_time=over_time, matrix=matrix, outlets=outlets)
    sql, params = _statement(f, bucket, over_time, matrix, outlets)
    return db.execute(sql.format(top=top), params).fetchall()


def _positions(db: Database, f: ResolvedSelection) -> list[dict]:
    """The matrix's columns: the chosen topics' positions (every topic when none is chosen)."""
    where = (f"WHERE p.topic_id IN ({','.join(map(str, f.topic_ids))})" if f.topic_ids else "")
    return list(db.query(
        f"SELECT p.id, p.label, coalesce(p.colour, '') AS colour, p.value, t.name AS topic, "
        f"t.id AS topic_id FROM positions p JOIN topics t ON t.id = p.topic_id {where} "
        f'ORDER BY t."order", t.id, p."order", p.id'))


NO_POSITION = {"id": None, "label": "(no position)", "colour": "", "value": None, "topic": "",
               "topic_id": None}


def _columns(positions: list[dict], cells: dict, f: ResolvedSelection) -> list[dict]:
    """The matrix's columns: every position of the chosen topics, else of the topics with a
    coded quote in the view; then ``(no position)`` when some quote has none."""
    used = {p for counts in cells.values() for p in counts}
    coded = {c["topic_id"] for c in positions if c["id"] in used}
    columns = [c for c in positions if f.topic_ids or c["topic_id"] in coded]
    return columns + ([NO_POSITION] if None in used else [])


def _speakers(db: Database, ids) -> dict[int, dict]:
    if not ids:
        return {}
    return {r["id"]: r for r in db.query(
        f"SELECT id, name, coalesce(role, '') AS role, "
        f"coalesce(organisation, '') AS organisation, kind FROM speakers "
        f"WHERE id IN ({','.join(str(int(i)) for i in ids)})")}


def periods(first: str, last: str, bucket: str) -> list[str]:
    """Every period from ``first`` to ``last`` (as the SQL buckets name them), gaps included."""
    if bucket == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    if bucket == "month":
        y, m = map(int, first.split("-"))
        out = []
        while f"{y:04d}-{m:02d}" <= last:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    day, end = _dt.date.fromisoformat(first), _dt.date.fromisoformat(last)
    out = []
    while day <= end:
        out.append(day.isoformat())
        day += _dt.timedelta(days=7)
    return out


def panel_data(db: Database, filters: Selection | ResolvedSelection | None = None, *,
               bucket: str = "month", top: int = TOP, over_time: bool = True,
               matrix: bool = True, outlets: bool = False, in_memory: bool = True) -> dict:
    """Everything the Insights panel shows.

    ``matrix``: ``columns`` (the positions of the chosen topics, else of the topics coded
    in the view, then ``NO_POSITION``, id None, when a quote has no position) and ``rows``
    (speakers with role, organisation, ``counts`` {position id or None: n} and ``total``,
    every quote of the speaker, as the top speakers count), ``max`` (of the positions' cells); ``time``: ``periods`` and ``series``
    (one per position with quotes: ``counts`` aligned with the periods); ``top``: speakers,
    outlets and topics with counts; ``totals``: quotes, with a speaker, coded, undated.
    Without ``over_time`` (only the matrix is on screen) ``time``, the top outlets and
    ``undated`` are None, and the pass over the articles is left out; without ``matrix``
    (only the time chart is on screen) ``matrix`` and the top speakers and topics are None,
    and the pass by speaker is left out. ``outlets`` counts the top outlets without the time
    chart (the Top tab). ``in_memory``: counted from the quotes' columns in memory
    (``cube``, for a project file), else by one SQL statement.
    """
    if not (matrix or over_time):
        raise ValueError("panel_data needs the matrix, the time chart or both")
    if bucket not in BUCKETS:
        raise SelectionError(f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")
    f = resolve(db, filters)
    cells: dict[int, dict[int, int]] = {}
    times: dict[int, dict[str, int]] = {}
    tops: dict[str, list] = {"speaker": [], "outlet": [], "topic": []}
    totals = {"undated": None}
    for kind, a, b, n in _panel_rows(db, f, bucket, int(top), over_time, matrix, outlets,
                                     in_memory):
        if kind == "cell":
            cells.setdefault(a, {})[b] = n
        elif kind == "time":
            times.setdefault(a, {})[b] = n
        elif kind == "total":
            totals.update(quotes=a, with_speaker=b, coded=n)
        elif kind == "undated":
            totals["undated"] = a
        else:
            tops[kind].append((a, n))
    positions = _positions(db, f)
    columns = _columns(positions, cells, f)
    speakers = _speakers(db, set(cells) | {k for k, _ in tops["speaker"]})
    rows = [dict(speakers[sid], counts=counts, total=sum(counts.values()))
            for sid, counts in cells.items()]
    rows.sort(key=lambda r: (-r["total"], r["name"].lower()))
    stamps = sorted({p for series in times.values() for p in series})
    axis = periods(stamps[0], stamps[-1], bucket) if stamps else []
    series = [dict(position_id=c["id"], label=c["label"], topic=c["topic"],
                   colour=c["colour"], counts=[times[c["id"]].get(p, 0) for p in axis])
              for c in positions if c["id"] in times]
    topic_names = dict(db.execute("SELECT id, name FROM topics").fetchall())
    return {
        "matrix": {"columns": columns, "rows": rows,
                   "max": max((n for r in rows for p, n in r["counts"].items()
                               if p is not None), default=0)}
        if matrix else None,
        "time": {"bucket": bucket, "periods": axis, "series": series} if over_time else None,
        "top": {
            "speakers": [dict(key=k, label=speakers[k]["name"], count=n,
                              detail=speakers[k]["organisation"]) for k, n in tops["speaker"]]
            if matrix else None,
            "outlets": [dict(key=k, label=k or "(no outlet)", count=n) for k, n in tops["outlet"]]
            if over_time or outlets else None,
            "topics": [dict(key=k, label=topic_names.get(k, "?"), count=n)
                       for k, n in tops["topic"]] if matrix else None},
        "totals": totals,
    }


def counts(db: Database, filters: Selection | ResolvedSelection | None = None, *,
           by=("speaker", "position")) -> list[dict]:
    """Quote counts grouped by ``by`` (names of ``DIMENSIONS``), most first; a quote without
    a value for one of the dimensions (no speaker, no position...) is not counted. Without
    article filters or dimensions (outlet, periods) they are read from the summary the
    project keeps (``summary.QUOTES``), else counted over the quotes and their articles.
    ``by=("speaker", "position")`` gives the cells of the speaker x position matrix."""
    by = tuple(by)
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown or not by or len(set(by)) != len(by):
        raise SelectionError(f"--by takes distinct names among {', '.join(DIMENSIONS)}"
                          + (f" (not {', '.join(unknown)})" if unknown else ""))
    f = resolve(db, filters)
    a_where, params = f.article_where("a")
    keys = [DIMENSIONS[d].key for d in by]
    cols = ", ".join(DIMENSIONS[d].columns for d in by)
    joins = " ".join(DIMENSIONS[d].join for d in by)
    notnull = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    if a_where == "1" and not set(by) & ARTICLE_DIMENSIONS:  # the counts the project keeps
        source, n = f"{QUOTES} q", "sum(q.n)"
    else:
        source, n = "quotes q JOIN articles a ON a.id = q.article_id", "count(*)"
    sql = CANON + (f" SELECT {cols}, {n} AS n FROM {source} "
                   f"LEFT JOIN canon c ON c.id = q.speaker_id {joins} "
                   f"WHERE {f.quote_where('q')} AND {a_where} AND {notnull} "
                   f"GROUP BY {', '.join(keys)} ORDER BY n DESC, {cols}")
    headers = [h for d in by for h in DIMENSIONS[d].headers] + ["count"]
    return [dict(zip(headers, row)) for row in db.execute(sql, params)]


def quotes_behind(db: Database, filters: Selection | ResolvedSelection | None = None, *,
                  speaker: int | None = None, position: int | None = None,
                  topic: int | None = None, outlet: str | None = None,
                  period: str | None = None, bucket: str = "month", coded: bool = False,
                  uncoded: bool = False, limit: int = 500) -> dict:
    """The quotes behind a number: those of the filter with this (canonical) speaker,
    position, topic, outlet and/or period (``coded``: only quotes with a position;
    ``uncoded``: only those without).
    ``{"total": n, "quotes": [...]}`` with each quote's
    article, uuid, speaker, position and text (fragments joined by ' … ')."""
    f = resolve(db, filters)
    a_where, params = f.article_where("a")
    extra = []
    for value, condition in ((speaker, "q.speaker_id IN (SELECT id FROM canon WHERE root = ?)"),
                             (position, "q.position_id = ?"), (topic, "q.topic_id = ?"),
                             (outlet, "coalesce(a.outlet, '') = ?")):
        if value is not None:
            extra.append(condition)
            params.append(value)
    if coded or uncoded:
        extra.append(f"q.position_id IS {'NOT ' if coded else ''}NULL")
    if period is not None:
        extra.append(f"{BUCKETS[bucket]} = ?")
        params.append(period)
    where = " AND ".join([f.quote_where("q"), a_where] + extra)
    total = db.execute(CANON + f" SELECT count(*) FROM quotes q JOIN articles a ON "
                               f"a.id = q.article_id WHERE {where}", params).fetchone()[0]
    rows = list(db.query(
        CANON + f""" SELECT q.id, q.article_id, q.uuid, coalesce(a.title, a.source, '') AS title,
            coalesce(a.outlet, '') AS outlet,
            substr(coalesce(a.published, ''), 1, 10) AS published,
            coalesce(s.name, '') AS speaker, coalesce(t.name, '') AS topic,
            coalesce(p.label, '') AS position, q.status, a.text
        FROM quotes q JOIN articles a ON a.id = q.article_id
        LEFT JOIN canon c ON c.id = q.speaker_id LEFT JOIN speakers s ON s.id = c.root
        LEFT JOIN topics t ON t.id = q.topic_id LEFT JOIN positions p ON p.id = q.position_id
        WHERE {where} ORDER BY a.published, a.id, q.start LIMIT ?""",
        params + [int(limit)]))
    frags: dict[int, list] = {}
    if rows:
        ids = ",".join(str(r["id"]) for r in rows)
        for qid, s, e in db.execute(f'SELECT quote_id, start, "end" FROM quote_fragments '
                                    f"WHERE quote_id IN ({ids}) ORDER BY quote_id, ord"):
            frags.setdefault(qid, []).append((s, e))
    for r in rows:
        text = r.pop("text")
        r["text"] = " … ".join(text[s:e] for s, e in frags.get(r.pop("id"), []))
    return {"total": total, "quotes": rows}


def network_data(db: Database, filters: Selection | ResolvedSelection | None = None, *,
                 min_weight: int = 1, top: int | None = None, speakers: int | None = None):
    """The discourse network (``network.discourse_network``) for drawing: ties lighter than
    ``min_weight`` left out, at most the ``top`` heaviest ties of each graph, only the
    ``speakers`` most quoted."""
    from annotator.insights.network import discourse_network
    return discourse_network(db, resolve(db, filters), min_weight=min_weight, top=top,
                             speakers=speakers)


def project_file(db: Database) -> Path | None:
    """The file of ``db`` (for a worker thread's own connection); None when in memory."""
    for _seq, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None
