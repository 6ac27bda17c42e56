"""An article's details edited as an undoable command, logged, checked field by field."""
import json

import pytest

from annotator.editing.article_details import EditArticleDetails, article_details


@pytest.fixture
def article(db):
    db["articles"].insert({"hash": "h1", "text": "A plain text.", "imported_at": "now",
                           "filename": "note.txt", "source": "note"})
    return db.execute("SELECT id FROM articles").fetchone()[0]


def test_details_set_undone_redone_and_logged(db, article):
    edit = EditArticleDetails(article_id=article, actor="ann", outlet=" The Ledger ",
                              published="2026-03-01", url="")
    edit.apply(db)
    assert article_details(db, article) == {"title": None, "outlet": "The Ledger",
                                            "author": None, "published": "2026-03-01",
                                            "url": None}
    edit.revert(db)
    assert article_details(db, article)["outlet"] is None
    edit.apply(db)
    assert article_details(db, article)["published"] == "2026-03-01"
    rows = db.execute("SELECT action, actor, before, after FROM _events WHERE target = ? "
                      "ORDER BY id", [f"article:{article}"]).fetchall()
    assert [r[0] for r in rows] == ["edit article details", "undo edit article details",
                                    "redo edit article details"]
    after = json.loads(rows[0][3])["articles"][0]
    assert after == {"id": article, "outlet": "The Ledger", "published": "2026-03-01",
                     "url": None}  # the changed details only, never the text


def test_a_new_title_is_found_by_search(db, article):
    EditArticleDetails(article_id=article, actor="ann", title="Lisgard crossing").apply(db)
    hits = db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'lisgard'")
    assert [r[0] for r in hits] == [article]


@pytest.mark.parametrize("fields, message", [
    ({"published": "14/01/2026"}, "date: '14/01/2026' is not a date in YYYY-MM-DD form"),
    ({"published": "2026-02-30"}, "date: '2026-02-30'"),
    ({"text": "new"}, "text: not an article detail"),
    ({}, "no article detail to change"),
])
def test_bad_details_are_refused_naming_the_field(db, article, fields, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        EditArticleDetails(article_id=article, actor="ann", **fields)
    assert article_details(db, article)["published"] is None


def test_a_missing_article_is_refused_and_nothing_is_logged(db):
    with pytest.raises(ValueError, match="no article 99"):
        EditArticleDetails(article_id=99, actor="ann", title="x").apply(db)
    assert db.execute("SELECT count(*) FROM _events").fetchone()[0] == 0
