"""The Insights counts from the quotes' columns in memory equal the SQL counts, for every
filter, and stay equal through edits (quotes added, recoded, deleted; an article's outlet
and date edited; speakers merged; article statuses set) made after the columns were read;
migration m008 on a project that already has quotes."""
import random

import pytest

from annotator.editing.codebook import load_codebook
from annotator.editing.quotes import insert_quote
from annotator.editing.speakers import insert_speaker
from annotator.insights.counts import panel_data
from annotator.project import DEFAULT_CODEBOOK
from annotator.selection import Selection
from annotator.store.db import ensure_layer, now, open_project

OUTLETS = ["Wire", "Daily", "", None]
DATES = ["2024-01-15", "2024-02-29T10:00", "2024-03-03", "2025-01-05", "2024", None,
         "14/01/2024", "2024-13-40", "2023-12-31 evening"]


def fill(db, rnd, quotes=600):
    stamp = now()
    load_codebook(db, DEFAULT_CODEBOOK)
    layers = [ensure_layer(db, "gold"), ensure_layer(db, "alice"), ensure_layer(db, "bob")]
    positions = db.execute("SELECT topic_id, id FROM positions").fetchall()
    with db.atomic():
        articles = [db.execute("INSERT INTO articles(hash, text, outlet, published, "
                               "imported_at) VALUES (?, ?, ?, ?, ?)",
                               [f"h{i}", "x" * 80, rnd.choice(OUTLETS), rnd.choice(DATES),
                                stamp]).lastrowid for i in range(60)]
        speakers = [insert_speaker(db, f"S{i}", created=stamp) for i in range(25)]
        for n in range(quotes):
            topic, pid = rnd.choice(positions)
            coded = rnd.random()
            insert_quote(db, {
                "uuid": f"q{n}-{rnd.random()}", "article_id": rnd.choice(articles),
                "layer_id": rnd.choice(layers),
                "speaker_id": rnd.choice(speakers) if rnd.random() < 0.85 else None,
                "topic_id": topic if coded < 0.9 else None,
                "position_id": pid if coded < 0.75 else None,
                "status": rnd.choice(["accepted", "accepted", "suggested", "rejected"]),
                "created": stamp, "updated": stamp}, [(n % 70, n % 70 + 5)])
        for a in articles[:40]:
            for layer in layers[:2]:
                if rnd.random() < 0.6:
                    db.execute("INSERT INTO article_status(article_id, layer_id, status, "
                               "updated) VALUES (?, ?, ?, ?)",
                               [a, layer, rnd.choice(["todo", "in_progress", "done",
                                                      "skipped"]), stamp])
    return articles, speakers


def selections(db):
    topic = db.execute('SELECT name FROM topics ORDER BY "order" LIMIT 1').fetchone()[0]
    return [Selection(), Selection(layers=("gold",)), Selection(layers=("alice", "bob")),
            Selection(statuses=("rejected",)), Selection(topics=(topic,)),
            Selection(outlets=("Wire",)), Selection(outlets=("",)),
            Selection(date_from="2024-02-01", date_to="2024-12-31"),
            Selection(date_to="2024-02-29"), Selection(article_statuses=("done",)),
            Selection(article_statuses=("todo", "skipped")),
            Selection(layers=("alice",), article_statuses=("todo",)),
            Selection(layers=("gold",), outlets=("Daily",), date_from="2024-01-01",
                      quoted_only=True)]


def same(db):
    for f in selections(db):
        for kw in (dict(), dict(over_time=False), dict(matrix=False),
                   dict(over_time=False, outlets=True), dict(bucket="week"),
                   dict(bucket="year", top=3)):
            assert panel_data(db, f, **kw) == panel_data(db, f, in_memory=False, **kw), (f, kw)


def test_counts_in_memory_equal_the_sql_through_edits(db):
    rnd = random.Random(11)
    articles, speakers = fill(db, rnd)
    same(db)  # read once; every edit below is caught up with from the change log
    with db.atomic():
        db.execute("UPDATE quotes SET position_id = NULL WHERE id % 7 = 0")
        db.execute("UPDATE quotes SET status = 'rejected' WHERE id % 11 = 0")
        db.execute("DELETE FROM quotes WHERE id % 13 = 0")
        db.execute("UPDATE articles SET outlet = 'Daily', published = '2024-03-09' "
                   "WHERE id = ?", [articles[0]])
        db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?",
                   [speakers[0], speakers[1]])
        db.execute("UPDATE article_status SET status = 'done' WHERE article_id % 3 = 0")
    fill_more = random.Random(12)
    with db.atomic():
        for n in range(50):
            insert_quote(db, {"uuid": f"new{n}", "article_id": fill_more.choice(articles),
                              "layer_id": 1, "speaker_id": fill_more.choice(speakers),
                              "status": "accepted", "created": now(), "updated": now()},
                         [(1, 4)])
    same(db)


def test_migration_adds_the_change_log_to_a_project_with_quotes(project_path):
    db = open_project(project_path)
    fill(db, random.Random(3), quotes=200)
    want = panel_data(db, Selection(), in_memory=False)
    # the project as a version before m008 left it: no log, no triggers, not applied
    with db.atomic():
        for name in ("quotes_changed_insert", "quotes_changed_update", "quotes_changed_delete",
                     "articles_placed", "quote_changes_pruned"):
            db.execute(f"DROP TRIGGER {name}")
        db.execute("DROP TABLE _quote_changes")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_quote_changes'")
    db.close()
    db = open_project(project_path)
    try:
        assert db.execute("SELECT count(*) FROM _quote_changes").fetchone()[0] == 0
        assert panel_data(db, Selection()) == want
        db.execute("UPDATE quotes SET status = 'rejected' WHERE id <= 20")
        db.conn.commit()
        assert db.execute("SELECT count(DISTINCT quote_id) FROM _quote_changes"
                          ).fetchone()[0] == 20
        assert panel_data(db, Selection()) == panel_data(db, Selection(), in_memory=False)
    finally:
        db.close()


@pytest.mark.slow
def test_the_log_is_pruned_and_a_pruned_cube_reads_everything_again(db):
    rnd = random.Random(5)
    fill(db, rnd, quotes=100)
    panel_data(db, Selection())
    for _ in range(11):  # 110,000 changes
        with db.atomic():
            db.conn.executemany("INSERT INTO _quote_changes(quote_id) VALUES (?)",
                                [(1,)] * 10_000)
    lo, hi = db.execute("SELECT min(seq), max(seq) FROM _quote_changes").fetchone()
    assert lo > 1000 and hi - lo < 110_000  # the oldest entries went
    db.execute("UPDATE quotes SET status = 'rejected' WHERE id <= 30")
    db.conn.commit()
    assert panel_data(db, Selection()) == panel_data(db, Selection(), in_memory=False)


def test_a_restored_older_file_is_read_again(db, project_path, tmp_path):
    """A backup put back (an older state of the log) is never taken for the current one."""
    from annotator.store.db import backup
    fill(db, random.Random(8), quotes=150)
    older = backup(db, tmp_path / "older.quotebook")
    panel_data(db, Selection())
    db.execute("DELETE FROM quotes WHERE id % 2 = 0")
    db.conn.commit()
    assert panel_data(db, Selection()) == panel_data(db, Selection(), in_memory=False)
    import sqlite3
    src = sqlite3.connect(str(older))
    src.backup(db.conn)  # the restore: the older content into the same file
    src.close()
    assert panel_data(db, Selection())["totals"]["quotes"] == \
        panel_data(db, Selection(), in_memory=False)["totals"]["quotes"]
    assert panel_data(db, Selection()) == panel_data(db, Selection(), in_memory=False)
