"""Read queries of the annotation desk: the article list, an article's quotes and
suggestions, speaker completions, the registry table, the next article to do."""
from __future__ import annotations

import re

from sqlite_utils import Database

from annotator.store.db import dicts

STATUS_SQL = "coalesce((SELECT st.status FROM article_status st WHERE st.article_id = a.id " \
             "AND st.layer_id = :layer), 'todo')"


def _fts_query(text: str) -> str:
    """User words to an FTS5 query: every word must occur (prefix match on the last)."""
    words = re.findall(r"\w+", text)
    if not words:
        return ""
    parts = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
    return " AND ".join(parts)


REVIEW_FILTERS = {"reviewed": dict(reviewed=True), "not_reviewed": dict(reviewed=False),
                  "queue": dict(in_queue=True)}


def _filters(status: str | None, search: str | None) -> tuple[str, dict]:
    """``status``: my layer's status, or 'reviewed', 'not_reviewed', 'queue' (the reviewer's
    queue: every assigned analyst done, not reviewed yet)."""
    where, params = [], {}
    if status in REVIEW_FILTERS:
        from annotator.editing.workflow import where_sql
        sql, extra = where_sql(**REVIEW_FILTERS[status])
        where.append(sql)
        params.update(extra)
    elif status:
        where.append(f"{STATUS_SQL} = :status")
        params["status"] = status
    query = _fts_query(search or "")
    if query:
        where.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)")
        params["q"] = query
    return (" WHERE " + " AND ".join(where)) if where else "", params


def count_articles(db: Database, *, layer_id: int, status=None, search=None) -> int:
    where, params = _filters(status, search)
    return db.execute(f"SELECT count(*) FROM articles a{where}",
                      dict(params, layer=layer_id)).fetchone()[0]


def article_position(db: Database, article_id: int, *, layer_id: int, status=None,
                     search=None) -> int:
    """The row of ``article_id`` in the (id-ordered) list with these filters."""
    where, params = _filters(status, search)
    where = (where + " AND" if where else " WHERE") + " a.id < :target"
    return db.execute(f"SELECT count(*) FROM articles a{where}",
                      dict(params, layer=layer_id, target=article_id)).fetchone()[0]


ROW_SQL = (f"SELECT a.id, coalesce(a.title, a.source, '') AS title, "
           f"coalesce(a.outlet, '') AS outlet, coalesce(a.published, '') AS published, "
           f"{STATUS_SQL} AS status, "
           f"(SELECT count(*) FROM quotes q WHERE q.article_id = a.id AND q.layer_id = :layer "
           f"AND q.status = 'accepted') AS quotes, a.analyzed_at IS NOT NULL AS analyzed "
           f"FROM articles a")


def _rows(db: Database, sql: str, params: dict) -> list[dict]:
    rows = dicts(db.execute(sql, params))
    for r in rows:
        r["analyzed"] = bool(r["analyzed"])
    return rows


def list_articles(db: Database, *, layer_id: int, status=None, search=None, offset=0,
                  limit=256) -> list[dict]:
    """A page of the article list with my status and my quote count (for scripts; the
    desk reads its pages by id: ``rows_by_id`` and ``article_rows``)."""
    where, params = _filters(status, search)
    return _rows(db, f"{ROW_SQL}{where} ORDER BY a.id LIMIT :limit OFFSET :offset",
                 dict(params, layer=layer_id, limit=limit, offset=offset))


def rows_by_id(db: Database, ids, *, layer_id: int) -> list[dict]:
    """The list's rows of these articles (one page), in id order."""
    ids = ",".join(str(int(i)) for i in ids)
    return _rows(db, f"{ROW_SQL} WHERE a.id IN ({ids}) ORDER BY a.id",
                 {"layer": layer_id}) if ids else []


QUOTE_SQL = """SELECT q.id, q.uuid, q.kind, q.status, q.speaker_id, s.name AS speaker,
    q.speaker_start, q.speaker_end, q.cue_start, q.cue_end, q.topic_id, q.position_id,
    p.label AS position, p.colour, q.confidence, q.note, q.origin_uuid, q.start, q."end"
FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id
LEFT JOIN positions p ON p.id = q.position_id
WHERE q.article_id = ? AND q.layer_id = ? {extra} ORDER BY q.start, q.id"""


def _with_fragments(db: Database, quotes: list[dict]) -> list[dict]:
    if quotes:
        ids = ",".join(str(q["id"]) for q in quotes)
        frags: dict = {}
        for qid, s, e in db.execute(f'SELECT quote_id, start, "end" FROM quote_fragments '
                                    f"WHERE quote_id IN ({ids}) ORDER BY quote_id, ord"):
            frags.setdefault(qid, []).append((s, e))
        for q in quotes:
            q["fragments"] = frags.get(q["id"], [])
    return quotes


def article_quotes(db: Database, article_id: int, layer_id: int, *,
                   include_rejected: bool = False) -> list[dict]:
    """Quotes of one article in one layer, in text order, with their fragments (read on
    every key: ``execute`` with ``dicts``, faster than ``db.query``)."""
    extra = "" if include_rejected else "AND q.status != 'rejected'"
    return _with_fragments(db, dicts(db.execute(QUOTE_SQL.format(extra=extra),
                                                [article_id, layer_id])))


def _overlap(a: dict, b: dict) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a["fragments"]
               for s2, e2 in b["fragments"])


def pending_suggestions(db: Database, article_id: int, layer_id: int,
                        suggestions_layer_id: int | None) -> list[dict]:
    """The machine's suggestions for an article that this layer has not decided on yet, nor
    covered by a quote of its own (half of the suggestion or more inside one of its quotes)."""
    if suggestions_layer_id is None:
        return []
    extra = ("AND NOT EXISTS (SELECT 1 FROM quotes m WHERE m.layer_id = ? "
             "AND m.origin_uuid = q.uuid)")
    suggestions = _with_fragments(db, dicts(db.execute(
        QUOTE_SQL.format(extra=extra), [article_id, suggestions_layer_id, layer_id])))
    mine = article_quotes(db, article_id, layer_id, include_rejected=True)
    return [s for s in suggestions if not any(
        2 * _overlap(s, m) >= sum(e - b for b, e in s["fragments"]) for m in mine)]


def layer_id(db: Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM layers WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def speaker_names(db: Database, article_id: int | None = None) -> list[str]:
    """Completions for the speaker field: registry names and aliases, then the article's
    PERSON and ORG entities."""
    names = [r[0] for r in db.execute(
        "SELECT name FROM speakers WHERE merged_into IS NULL UNION "
        "SELECT alias FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
        "WHERE s.merged_into IS NULL ORDER BY 1")]
    if article_id is not None:
        text = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]
        seen = set(names)
        for s, e in db.execute('SELECT start, "end" FROM entities WHERE article_id = ? AND '
                               "removed = 0 AND label IN ('PERSON', 'ORG') ORDER BY start",
                               [article_id]):
            name = text[s:e]
            if name not in seen:
                seen.add(name)
                names.append(name)
    return names


def speakers_table(db: Database) -> list[dict]:
    """The registry: every current speaker with aliases, notes and number of quotes."""
    return list(db.query(
        "SELECT s.id, s.name, coalesce(s.role, '') AS role, "
        "coalesce(s.organisation, '') AS organisation, s.kind, "
        "coalesce(s.notes, '') AS notes, "
        "coalesce((SELECT group_concat(alias, '; ') FROM speaker_aliases a "
        "WHERE a.speaker_id = s.id), '') AS aliases, "
        "(SELECT count(*) FROM quotes q WHERE q.speaker_id = s.id AND q.status != 'rejected') "
        "AS quotes FROM speakers s WHERE s.merged_into IS NULL "
        "ORDER BY s.name COLLATE NOCASE"))


def entity_rows(db: Database, article_id: int) -> list[dict]:
    """An article's entities (the fastest dicts: thousands of rows at each article open)."""
    return [{"id": i, "start": s, "end": e, "label": label} for i, s, e, label in db.execute(
        'SELECT id, start, "end", label FROM entities WHERE article_id = ? AND removed = 0 '
        'ORDER BY start, "end"', [article_id]).fetchall()]


def next_article(db: Database, layer_id: int, after_id: int) -> int | None:
    """The next article (after ``after_id``, wrapping around) this layer has not done."""
    sql = (f"SELECT a.id FROM articles a WHERE {STATUS_SQL} IN ('todo', 'in_progress') "
           "AND a.id {op} :after ORDER BY a.id LIMIT 1")
    for op in (">", "<"):
        row = db.execute(sql.format(op=op), {"layer": layer_id, "after": after_id}).fetchone()
        if row:
            return row[0]
    return None


def layer_counts(db: Database, layer_id: int) -> dict:
    """My quotes and my done articles, for the status bar."""
    quotes = db.execute("SELECT coalesce(sum(n), 0) FROM _quote_counts WHERE layer_id = ? "
                        "AND status = 'accepted'", [layer_id]).fetchone()[0]
    done = db.execute("SELECT count(*) FROM article_status WHERE layer_id = ? AND status = 'done'",
                      [layer_id]).fetchone()[0]
    return {"quotes": quotes, "done": done}


def data_version(db: Database) -> int:
    """Changes when another connection commits to the project (to refresh the window)."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def layers(db: Database) -> list[dict]:
    """Every layer: analysts' by name, then gold and suggestions."""
    return list(db.query("SELECT id, name, kind FROM layers "
                         "ORDER BY kind = 'analyst' DESC, name"))


def quote_by_uuid(db: Database, uuid: str) -> dict | None:
    """Where a quote is: its article, layer and span."""
    return next(db.query('SELECT article_id, layer_id, start, "end" FROM quotes '
                         'WHERE uuid = ?', [uuid]), None)


def open_merge_proposals(db: Database) -> list[dict]:
    """Proposals that two current speakers are one, not settled yet (newest last)."""
    return list(db.query(
        "SELECT p.id, a.name AS speaker, b.name AS other, p.reason "
        "FROM speaker_merge_proposals p "
        "JOIN speakers a ON a.id = p.speaker_id JOIN speakers b ON b.id = p.other_id "
        "WHERE p.status = 'proposed' AND a.merged_into IS NULL AND b.merged_into IS NULL "
        "ORDER BY p.id"))
