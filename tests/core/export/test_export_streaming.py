"""The JSONL, CSV and brat exports stream: memory does not grow with the corpus (the spaCy
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
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "brat"])
def test_four_times_the_articles_is_not_four_times_the_memory(big_project, tmp_path, fmt):
    n_quarter, quarter = peak_of(big_project, fmt, tmp_path / "q", date_to="2026-03-31")
    n_all, full = peak_of(big_project, fmt, tmp_path / "all")
    assert n_all == 4 * n_quarter
    assert full < 1.5 * quarter, (full, quarter)  # held in memory, it would be 4 times

