"""The JSONL, CSV, brat and Prodigy exports stream: memory does not grow with the corpus (the spaCy
export's shards: tests/core/export/test_export_spacy.py)."""
import tracemalloc

import pytest

from annotator.selection import Selection
from annotator.export import export
from annotator.store.db import open_project
from synthetic import build


@pytest.fixture(scope="module")
def big_project(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.quotebook"
    build(path, 2000, 120)  # 2,000 coded articles, one month after another
    return path


def peak_of(project, fmt, out, **filters) -> tuple[int, int]:
    db = open_project(project, create=False)
    try:
        tracemalloc.start()
        result = export(db, fmt, out, filters=Selection(**filters))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        db.close()
    return result.count, peak


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "brat", "prodigy"])
def test_four_times_the_articles_is_not_four_times_the_memory(big_project, tmp_path, fmt):
    n_quarter, quarter = peak_of(big_project, fmt, tmp_path / "q", date_to="2026-03-31")
    n_all, full = peak_of(big_project, fmt, tmp_path / "all")
    assert n_all == 4 * n_quarter
    assert full < 1.5 * quarter, (full, quarter)  # held in memory, it would be 4 times



def test_entities_are_read_by_article_not_by_scanning_the_layer_index(big_project, tmp_path):
    """The derived formats ask for the model's entities (``layer_id IS NULL``): read through
    the layer index, each chunk of 500 articles would scan every entity of the corpus."""
    db = open_project(big_project, create=False)
    seen = []
    try:
        with db.tracer(lambda sql, params: seen.append((sql, params))):
            export(db, "prodigy", tmp_path / "p.jsonl", filters=Selection())
        (sql, params), *_ = [(s, p) for s, p in seen if "FROM entities e" in s]
        plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN " + sql, params or []))
    finally:
        db.close()
    assert "idx_entities_article" in plan and "idx_entities_layer" not in plan, plan
