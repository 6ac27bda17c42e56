"""The writing half of ``merge``: called inside ``apply_merge``'s transaction with a plan made
in that transaction. Also counts, for the plan, the statuses, comments and entities to bring."""
from __future__ import annotations

from sqlite_utils import Database

from annotator.editing.quotes import insert_quote
from annotator.editing.speakers import insert_speaker
from annotator.store.db import dicts, now

STEPS = 7   # plan, codebook and speakers, articles, entities, quotes, statuses, comments

ARTICLE_COLS = ("hash", "text", "title", "outlet", "author", "url", "published", "filename",
                "source_path", "source", "meta", "imported_at", "analyzed_at", "analyzed_model")
QUOTE_COLS = ("uuid", "article_id", "layer_id", "start", "end", "kind", "speaker_id",
              "speaker_start", "speaker_end", "cue_start", "cue_end", "topic_id", "position_id",
              "status", "confidence", "note", "origin_uuid", "created", "updated")



def has_column(conn, table: str, column: str) -> bool:
    """Whether ``table`` of ``conn`` (another project, maybe of an older schema) has ``column``."""
    return conn.execute("SELECT 1 FROM pragma_table_info(?) WHERE name = ?",
                        [table, column]).fetchone() is not None

def _q(cols) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def _usable(plan) -> list[int]:
    return [lid for lid, (_n, kind) in plan.layer_rows.items() if kind is not None]


def _our_statuses(db: Database) -> dict:
    return {(r["article_id"], r["layer_id"]): r for r in db.query(
        "SELECT article_id, layer_id, status, updated FROM article_status")}


def _status_changes(db, other, plan, articles: dict, layers: dict) -> list:
    """(our article, our layer, status, updated) rows to write; ids None when still new."""
    ours = _our_statuses(db)
    usable = set(_usable(plan))
    out = []
    for aid, lid, status, updated in other.execute(
            "SELECT article_id, layer_id, status, updated FROM article_status"):
        if lid not in usable:
            continue
        key = (articles.get(aid), layers.get(lid))
        have = ours.get(key) if None not in key else None
        if have is None or (have["status"] != status and updated > have["updated"]):
            out.append((aid, lid, status, updated))
    return out


def _comment_keys(db: Database) -> dict:
    return {(h, q, a, b, c): cid for cid, h, q, a, b, c in db.execute(
        "SELECT c.id, a.hash, c.quote_uuid, c.author, c.body, c.created FROM comments c "
        "JOIN articles a ON a.id = c.article_id")}


def _other_comments(other) -> list[dict]:
    reason = "c.reason" if has_column(other, "comments", "reason") else "NULL"
    return dicts(other.execute(
        f"SELECT c.id, a.hash, c.article_id, c.quote_uuid, c.parent_id, c.author, c.body, "
        f"c.resolved, c.created, {reason} AS reason FROM comments c "
        f"JOIN articles a ON a.id = c.article_id ORDER BY c.id"))


def _comment_key(c: dict) -> tuple:
    return c["hash"], c["quote_uuid"], c["author"], c["body"], c["created"]


def _entities(other, plan, new_articles: set, layers: dict):
    """Other entities to bring: all of a new article's, an existing article's analysts'."""
    usable = set(_usable(plan))
    for aid, start, end, label, lid, removed in other.execute(
            'SELECT article_id, start, "end", label, layer_id, removed FROM entities '
            "ORDER BY article_id, start"):
        if lid is not None and lid not in usable:
            continue
        if aid in new_articles or lid is not None:
            yield aid, start, end, label, lid, removed


def _entity_exists(db, art, start, end, label, layer) -> bool:
    return db.execute('SELECT 1 FROM entities WHERE article_id = ? AND start = ? AND "end" = ? '
                      "AND label = ? AND layer_id IS ?", [art, start, end, label, layer]
                      ).fetchone() is not None


def count_statuses_comments_entities(db: Database, other, plan) -> None:
    layers = {k: v for k, v in plan.layers.items()}
    plan.statuses = len(_status_changes(db, other, plan, plan.articles, layers))
    keys = _comment_keys(db)
    plan.comments_new = sum(_comment_key(c) not in keys for c in _other_comments(other))
    new = set(plan.articles_new)
    plan.entities_new = sum(
        aid in new or layers.get(lid) is None or
        not _entity_exists(db, plan.articles[aid], s, e, label, layers[lid])
        for aid, s, e, label, lid, _r in _entities(other, plan, new, layers))


def _codebook(db: Database, other) -> tuple[dict, dict]:
    """Insert missing topics and positions; other topic/position ids -> ours."""
    value = "value" if has_column(other, "positions", "value") else "NULL"
    topics = {}
    for tid, name, desc, order in other.execute(
            'SELECT id, name, description, "order" FROM topics ORDER BY "order", id').fetchall():
        db.execute('INSERT OR IGNORE INTO topics(name, description, "order") VALUES (?, ?, ?)',
                   [name, desc, order])
        topics[tid] = db.execute("SELECT id FROM topics WHERE name = ?", [name]).fetchone()[0]
    positions = {}
    for pid, tid, label, hotkey, colour, order, val in other.execute(
            f'SELECT id, topic_id, label, hotkey, colour, "order", {value} FROM positions '
            'ORDER BY topic_id, "order", id').fetchall():
        ours = topics[tid]
        row = db.execute("SELECT id FROM positions WHERE topic_id = ? AND label = ?",
                         [ours, label]).fetchone()
        if row is not None:
            positions[pid] = row[0]
            continue
        if hotkey and db.execute("SELECT 1 FROM positions WHERE topic_id = ? AND hotkey = ?",
                                 [ours, hotkey]).fetchone():
            hotkey = None
        positions[pid] = db.execute('INSERT INTO positions(topic_id, label, hotkey, colour, '
                                    '"order", value) VALUES (?, ?, ?, ?, ?, ?)',
                                    [ours, label, hotkey, colour, order, val]).lastrowid
    return topics, positions


def _speakers(db: Database, other, plan) -> dict:
    """Insert new speakers and aliases; other speaker id -> ours."""
    stamp = now()
    mapping = {}
    known = {a.lower() for (a,) in db.execute(
        "SELECT name FROM speakers UNION SELECT alias FROM speaker_aliases")}
    aliases: dict = {}
    for sid, alias in other.execute("SELECT speaker_id, alias FROM speaker_aliases"):
        aliases.setdefault(sid, []).append(alias)
    for sid, target in plan.speakers.items():
        if isinstance(target, tuple):
            continue
        if target is None:
            name, role, org, kind = plan.speaker_rows[sid]
            target = insert_speaker(db, name, role=role, organisation=org, kind=kind,
                                    created=stamp, aliases=[a for a in aliases.get(sid, [])
                                                            if a.lower() not in known],
                                    notes=plan.speaker_notes.get(sid))
        mapping[sid] = target
    for sid, alias in plan.aliases_new:
        if alias != db.execute("SELECT name FROM speakers WHERE id = ?",
                               [mapping[sid]]).fetchone()[0]:
            db.execute("INSERT OR IGNORE INTO speaker_aliases(speaker_id, alias) VALUES (?, ?)",
                       [mapping[sid], alias])
    for sid, target in plan.speakers.items():
        if isinstance(target, tuple):
            mapping[sid] = mapping.get(target[1])
    for ours, notes in plan.notes_new:
        db.execute("UPDATE speakers SET notes = ? WHERE id = ?", [notes, ours])
    return mapping


def _articles(db: Database, other, plan) -> dict:
    articles = dict(plan.articles)
    cols = _q(ARTICLE_COLS)
    for aid in plan.articles_new:
        row = other.execute(f"SELECT {cols} FROM articles WHERE id = ?", [aid]).fetchone()
        articles[aid] = db.execute(f"INSERT INTO articles({cols}) VALUES "
                                   f"({', '.join('?' * len(ARTICLE_COLS))})", row).lastrowid
    return articles


def _copy_quotes(db: Database, other, plan, ids: dict) -> None:
    usable = _usable(plan)
    if not usable:
        return
    mine = {u for (u,) in db.execute("SELECT uuid FROM quotes")}
    maps = {"article_id": ids["articles"], "layer_id": ids["layers"],
            "speaker_id": ids["speakers"], "topic_id": ids["topics"],
            "position_id": ids["positions"]}
    for values in dicts(other.execute(f"SELECT id, {_q(QUOTE_COLS)} FROM quotes WHERE "
                                      f"layer_id IN ({','.join(map(str, usable))}) ORDER BY id")):
        qid = values.pop("id")
        if values["uuid"] in mine:
            continue
        for col, mapping in maps.items():
            if values[col] is not None:
                values[col] = mapping.get(values[col])
        insert_quote(db, values, other.execute('SELECT start, "end" FROM quote_fragments '
                                               "WHERE quote_id = ? ORDER BY ord", [qid]))


def _step(task, done: int, note: str) -> None:
    """Between two steps: stop when cancelled (the caller's transaction rolls back)."""
    task.check()
    task.progress(done, STEPS, note)


def write(db: Database, other, plan, task) -> None:
    """Carry out ``plan`` (inside the caller's transaction), reporting to ``task``."""
    _step(task, 1, "codebook and speakers")
    stamp = now()
    layers = {}
    for lid, (name, kind) in plan.layer_rows.items():
        if kind is None:
            continue
        layers[lid] = plan.layers[lid] or db.execute(
            "INSERT INTO layers(name, kind, created) VALUES (?, ?, ?)",
            [name, kind, stamp]).lastrowid
    topics, positions = _codebook(db, other)
    speakers = _speakers(db, other, plan)
    new_articles = set(plan.articles_new)
    statuses = _status_changes(db, other, plan, plan.articles, plan.layers)
    entities = list(_entities(other, plan, new_articles, layers))
    _step(task, 2, "articles")
    articles = _articles(db, other, plan)
    _step(task, 3, "entities")
    for aid, start, end, label, lid, removed in entities:
        art, layer = articles[aid], layers.get(lid)
        if aid in new_articles or not _entity_exists(db, art, start, end, label, layer):
            db.execute('INSERT INTO entities(article_id, start, "end", label, layer_id, removed) '
                       "VALUES (?, ?, ?, ?, ?, ?)", [art, start, end, label, layer, removed])
    _step(task, 4, "quotes")
    _copy_quotes(db, other, plan, {"articles": articles, "layers": layers,
                                   "speakers": speakers, "topics": topics,
                                   "positions": positions})
    _step(task, 5, "statuses")
    for aid, lid, status, updated in statuses:
        db.execute("INSERT INTO article_status(article_id, layer_id, status, updated) VALUES "
                   "(?, ?, ?, ?) ON CONFLICT(article_id, layer_id) DO UPDATE SET "
                   "status = excluded.status, updated = excluded.updated",
                   [articles[aid], layers[lid], status, updated])
    _step(task, 6, "comments")
    keys = _comment_keys(db)
    comment_ids: dict = {}
    for c in _other_comments(other):
        key = _comment_key(c)
        if key in keys:
            comment_ids[c["id"]] = keys[key]
            continue
        comment_ids[c["id"]] = db.execute(
            "INSERT INTO comments(article_id, quote_uuid, parent_id, author, body, resolved, "
            "created, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [articles[c["article_id"]], c["quote_uuid"], comment_ids.get(c["parent_id"]),
             c["author"], c["body"], c["resolved"], c["created"], c["reason"]]).lastrowid
