"""The desk's article list read from indexes (``article_rows``): every filter gives exactly
the rows that the plain SQL (COUNT and OFFSET) gives, at page boundaries too; the summary
counts of migration m006 on a project that already has data."""
import json

import pytest

from annotator.corpus.importing import import_paths
from annotator.editing import desk
from annotator.editing.article_rows import PAGE, ArticleRows, Span, Ids, article_total
from annotator.editing.edits import SetArticleStatus
from annotator.store.db import ensure_layer, open_project

N = 700  # more than two pages


def _corpus(path, n=N, start=0):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            word = "harbour" if i % 3 == 0 else "market"
            fh.write(json.dumps({"id": f"a{i}", "title": f"Article {i}",
                                 "text": f"Article {i} on the {word} and the town."}) + "\n")
    return path


@pytest.fixture
def listed(tmp_path):
    db = open_project(tmp_path / "list.quotebook")
    assert import_paths(db, [_corpus(tmp_path / "c.jsonl")]).imported == N
    alice = ensure_layer(db, "alice")
    for aid in range(1, N + 1):
        status = {0: "done", 1: "in_progress", 2: "skipped"}.get(aid % 7)
        if status or aid % 11 == 0:  # some explicit 'todo' rows too
            SetArticleStatus(article_id=aid, layer_id=alice, status=status or "todo",
                             actor="alice").apply(db)
    yield db, alice
    db.close()


def _reference(db, alice, status=None, search=None):
    """The ids as COUNT and OFFSET paging gave them."""
    n = desk.count_articles(db, layer_id=alice, status=status, search=search)
    ids = [r["id"] for r in desk.list_articles(db, layer_id=alice, status=status,
                                                search=search, limit=n + 1)]
    assert len(ids) == n
    return ids


def _all_ids(rows):
    while not rows.complete:
        rows.fetch_more()
    return [i for p in range((len(rows) + PAGE - 1) // PAGE) for i in rows.page(p)]


@pytest.mark.parametrize("status", [None, "todo", "done", "in_progress", "skipped"])
@pytest.mark.parametrize("search", [None, "harbour", "market town", "zzzqqq"])
def test_every_filter_lists_the_rows_of_plain_sql(listed, status, search):
    db, alice = listed
    expected = _reference(db, alice, status, search)
    rows = ArticleRows(db, layer_id=alice, status=status, search=search)
    assert _all_ids(rows) == expected
    assert len(rows) == len(expected)
    for r in {0, PAGE - 1, PAGE, 2 * PAGE - 1, 2 * PAGE, len(expected) - 1}:
        if 0 <= r < len(expected):
            assert rows.ids[r] == expected[r]
            assert rows.row_of(expected[r]) == r
    outside = set(range(1, N + 1)) - set(expected)
    for aid in sorted(outside)[:20]:
        assert rows.row_of(aid) is None


def test_a_search_reads_its_first_page_then_more_and_up_to_an_article(listed):
    db, alice = listed
    expected = _reference(db, alice, None, "market")
    rows = ArticleRows(db, layer_id=alice, search="market")
    assert len(rows) == PAGE and not rows.complete and rows.page(0) == expected[:PAGE]
    deep = expected[-3]
    assert rows.row_of(deep, read=False) is None and len(rows) == PAGE  # not read yet
    assert rows.row_of(deep) == len(expected) - 3  # read up to it, no further
    assert len(rows) == len(expected) - 2 and not rows.complete
    assert rows.fetch_more() == 2 and rows.complete
    assert list(rows.ids.ids) == expected


def test_the_review_filters_list_the_rows_of_plain_sql(listed):
    db, alice = listed
    for status in ("reviewed", "not_reviewed", "queue"):
        rows = ArticleRows(db, layer_id=alice, status=status)
        assert _all_ids(rows) == _reference(db, alice, status)


def test_span_rows_and_ids_agree_at_every_row():
    without = Ids([3, 4, 10, 11, 12, 20])
    span = Span(1, 25, without)
    kept = [i for i in range(1, 26) if i not in without.ids]
    assert len(span) == len(kept)
    assert [span[r] for r in range(len(kept))] == kept
    assert [span.index(i) for i in kept] == list(range(len(kept)))
    assert all(span.index(i) is None for i in without.ids) and span.index(26) is None
    assert span.slice(2, 9) == kept[2:9] and span.slice(15, 40) == kept[15:]
    with pytest.raises(IndexError):
        span[len(kept)]


def test_a_corpus_with_gaps_in_its_ids_is_listed_from_the_ids(listed):
    db, alice = listed
    with db.atomic():  # an article deleted by another tool leaves a gap in the ids
        db.execute("DELETE FROM articles WHERE id IN (5, 300)")
    assert article_total(db) == N - 2
    for status in (None, "todo", "done"):
        rows = ArticleRows(db, layer_id=alice, status=status)
        assert _all_ids(rows) == _reference(db, alice, status)
        assert rows.row_of(5) is None


def test_new_articles_and_statuses_show_on_the_next_read(listed, tmp_path):
    db, alice = listed
    import_paths(db, [_corpus(tmp_path / "more.jsonl", 30, start=N)])
    SetArticleStatus(article_id=N + 5, layer_id=alice, status="done", actor="alice").apply(db)
    assert article_total(db) == N + 30
    for status in (None, "todo", "done"):
        assert _all_ids(ArticleRows(db, layer_id=alice, status=status)) == \
            _reference(db, alice, status)


def test_summary_counts_are_filled_on_a_project_with_data(tmp_path):
    """An existing project (schema m004) with articles, entities and quotes upgrades; the
    counts then follow every write."""
    from annotator.store import migrations as mig
    from annotator.store.db import APPLICATION_ID, connect
    from annotator.editing.edits import add_quote
    path = tmp_path / "old.quotebook"
    db = connect(path)
    with db.atomic():
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    mig.migrations.apply(db, stop_before="m005_article_status_by_layer")
    assert "_counts" not in db.table_names()
    with db.atomic():  # as an older version wrote them
        db.conn.executemany("INSERT INTO articles(hash, text, title, imported_at) "
                            "VALUES (?, ?, ?, 'then')",
                            [(f"h{i}", f"Article {i} on the town.", f"Article {i}")
                             for i in range(40)])
        db.execute("UPDATE articles SET analyzed_at = 'x', analyzed_model = 'm 1' WHERE id < 11")
        db.conn.executemany('INSERT INTO entities(article_id, start, "end", label) VALUES (?,?,?,?)',
                       [(1, 0, 4, "ORG"), (2, 0, 4, "ORG"), (2, 5, 8, "PERSON")])
    add_quote(db, article_id=1, layer="alice", fragments=[(0, 7)])
    add_quote(db, article_id=2, layer="alice", fragments=[(0, 7)])
    db.close()
    db = open_project(path)
    from annotator.insights.stats import project_stats
    stats = project_stats(db)
    assert stats["articles"] == 40 and stats["analyzed"] == 10
    assert stats["pending_analysis"] == 30 and stats["models"] == {"m 1": 10}
    assert stats["entities"] == 3 and stats["entities_by_label"] == {"ORG": 2, "PERSON": 1}
    assert stats["layers"]["alice"]["quotes"] == 2
    with db.atomic():
        db.execute("UPDATE entities SET removed = 1 WHERE label = 'PERSON'")
        db.execute("UPDATE articles SET analyzed_at = NULL, analyzed_model = NULL WHERE id = 1")
        db.execute("UPDATE quotes SET status = 'rejected' WHERE article_id = 1")
    stats = project_stats(db)
    assert stats["entities_by_label"] == {"ORG": 2} and stats["analyzed"] == 9
    assert stats["models"] == {"m 1": 9}
    assert stats["layers"]["alice"]["by_status"] == {"accepted": 1, "rejected": 1}
    assert stats == _stats_by_scan(db)
    db.close()


def _stats_by_scan(db):
    """The counts of ``project_stats`` by scanning the tables."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    layers = {}
    for name, kind, status, n in db.execute(
            "SELECT l.name, l.kind, q.status, count(q.id) FROM layers l "
            "LEFT JOIN quotes q ON q.layer_id = l.id GROUP BY l.id, q.status ORDER BY l.name"):
        entry = layers.setdefault(name, {"kind": kind, "quotes": 0, "by_status": {}})
        if status is not None:
            entry["quotes"] += n
            entry["by_status"][status] = n
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "analyzed": one("SELECT count(*) FROM articles WHERE analyzed_at IS NOT NULL"),
        "pending_analysis": one("SELECT count(*) FROM articles WHERE analyzed_at IS NULL"),
        "models": dict(db.execute("SELECT analyzed_model, count(*) FROM articles WHERE "
                                  "analyzed_model IS NOT NULL GROUP BY 1").fetchall()),
        "entities": one("SELECT count(*) FROM entities WHERE removed = 0"),
        "entities_by_label": dict(db.execute(
            "SELECT label, count(*) FROM entities WHERE removed = 0 GROUP BY label "
            "ORDER BY count(*) DESC, label").fetchall()),
        "layers": layers,
        "speakers": one("SELECT count(*) FROM speakers WHERE merged_into IS NULL"),
        "topics": one("SELECT count(*) FROM topics"),
        "positions": one("SELECT count(*) FROM positions"),
    }
