"""``stats --by`` read from the counts the project keeps (``_quote_counts``) gives what
counting the quotes gives, after edits, merges and deletes too."""
import pytest

from annotator.insights.counts import counts
from annotator.selection import Selection
from annotator.store.db import open_project
from synthetic import build

EVERY_DATE = dict(date_from="2000-01-01")  # an article filter: the quotes are counted


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.quotebook"
    build(path, 40, 60)
    database = open_project(path)
    yield database
    database.close()


def both(db, by, **filters):
    kept = counts(db, Selection(**filters), by=by)
    counted = counts(db, Selection(**filters, **EVERY_DATE), by=by)
    return kept, counted


@pytest.mark.parametrize("by", [("speaker", "position"), ("topic",), ("layer", "status"),
                                ("speaker",), ("position", "status")])
def test_kept_counts_equal_counted_ones(db, by):
    kept, counted = both(db, by)
    assert kept == counted and sum(r["count"] for r in kept) > 0


def test_after_edits_merges_and_deletes(db):
    with db.atomic():
        db.execute("UPDATE quotes SET status = 'rejected' WHERE id % 5 = 0")
        db.execute("UPDATE quotes SET speaker_id = NULL WHERE id % 7 = 0")
        db.execute("UPDATE quotes SET position_id = NULL, topic_id = NULL WHERE id % 11 = 0")
        db.execute("DELETE FROM quotes WHERE id % 13 = 0")
        db.execute("UPDATE speakers SET merged_into = 2 WHERE id IN (3, 4)")
    for by in (("speaker", "position"), ("status", "topic"), ("speaker",)):
        kept, counted = both(db, by, statuses=("accepted", "rejected"))
        assert kept == counted
    kept, counted = both(db, ("speaker",))
    assert kept == counted
    names = [r["speaker"] for r in kept]
    assert "Speaker 1" in names and "Speaker 2" not in names  # merged: counted as Speaker 1
