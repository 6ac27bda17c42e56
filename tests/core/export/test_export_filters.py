"""Each export filter: layer, status, article status, outlet, date range, topic, quoted only."""
import pytest

from annotator.selection import SelectionError, Selection, filter_choices
from annotator.export.jsonl import article_records
from export_helpers import coded  # noqa: F401 (fixture)


def select(db, **kw):
    """{source: [(layer, status, topic)]} of the chosen articles and quotes."""
    return {r["meta"]["source"]: [(q["layer"], q["status"], q["topic"]) for q in r["quotes"]]
            for r in article_records(db, filters=Selection(**kw))}


def test_no_filter_is_everything(coded):
    got = select(coded)
    assert len(got) == 11 and sum(map(len, got.values())) == 54


def test_layer(coded):
    got = select(coded, layers=("alice", "suggestions"))
    assert len(got) == 11  # quote filters keep every article (negatives for training)
    assert sorted(q[0] for qs in got.values() for q in qs) == ["alice", "alice", "suggestions"]


def test_status(coded):
    got = select(coded, statuses=("rejected", "suggested"))
    assert sorted(q[:2] for qs in got.values() for q in qs) == [("alice", "rejected"),
                                                               ("suggestions", "suggested")]


def test_article_status(coded):
    assert set(select(coded, layers=("alice",), article_statuses=("done",))) == {"sample-01"}
    assert set(select(coded, layers=("alice",), article_statuses=("in_progress",))) == \
        {"sample-02"}
    todo = select(coded, layers=("alice",), article_statuses=("todo",))
    assert len(todo) == 9 and "sample-01" not in todo and "tricky" in todo
    assert set(select(coded, article_statuses=("done",))) == {"sample-01", "tricky"}


def test_outlet(coded):
    assert set(select(coded, outlets=("Harbor Wire",))) == {"sample-02", "sample-05",
                                                           "sample-10"}
    assert set(select(coded, outlets=("Harbor Wire", "Unicode Times"))) == {
        "sample-02", "sample-05", "sample-10", "tricky"}


def test_date_range_is_inclusive(coded):
    assert set(select(coded, date_from="2026-06-02", date_to="2026-07-15")) == {
        "sample-06", "sample-07", "sample-08"}
    assert set(select(coded, date_from="2026-09-10")) == {"sample-10", "tricky"}
    assert set(select(coded, date_to="2026-01-14")) == {"sample-01"}


def test_topic_and_quoted_only(coded):
    topic = coded.execute('SELECT name FROM topics ORDER BY "order", id LIMIT 1 OFFSET 1'
                          ).fetchone()[0]
    got = select(coded, topics=(topic,))
    assert {q[2] for qs in got.values() for q in qs} == {topic}
    only = select(coded, topics=(topic,), quoted_only=True)
    assert set(only) == {s for s, qs in got.items() if qs} and "tricky" not in only
    assert set(select(coded, layers=("suggestions",), quoted_only=True)) == {"sample-03"}


def test_filters_combine(coded):
    got = select(coded, layers=("gold",), outlets=("Northern Ledger",), date_from="2026-02-01")
    assert set(got) == {"sample-06", "sample-09"}
    assert all(q[0] == "gold" for qs in got.values() for q in qs)


@pytest.mark.parametrize("kw, message", [
    ({"layers": ("carol",)}, "no layer 'carol' in this project .layers: alice, gold"),
    ({"topics": ("Weather",)}, "no topic 'Weather' in the codebook"),
    ({"outlets": ("Daily Nowhere",)}, "no article from outlet 'Daily Nowhere'"),
    ({"statuses": ("maybe",)}, "quote status must be one of"),
    ({"article_statuses": ("late",)}, "article status must be one of"),
    ({"date_from": "14/01/2026"}, "from date '14/01/2026' is not a date"),
    ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "the date range is empty"),
])
def test_bad_filters_are_named(coded, kw, message):
    with pytest.raises(SelectionError, match=message):
        Selection(**kw).resolve(coded)


def test_choices_for_the_dialog(coded):
    choices = filter_choices(coded)
    assert choices["layers"][0] == "gold" and set(choices["layers"]) == {"gold", "alice",
                                                                          "suggestions"}
    assert "Unicode Times" in choices["outlets"] and len(choices["topics"]) >= 2
    assert (choices["first_date"], choices["last_date"]) == ("2026-01-14", "2026-10-01")
