"""The JSONL, CSV, brat and spaCy exports stream: memory does not grow with the corpus."""
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


@pytest.mark.slow
def test_spacy_shards_keep_memory_flat(big_project, tmp_path, monkeypatch):
    """Four months of articles against one (spaCy is slow under tracemalloc: fewer articles)."""
    from annotator.export import spacy_docbin
    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 20)  # 9 and 34 shards
    n_month, month = peak_of(big_project, "spacy", tmp_path / "m", date_to="2026-01-31")
    n_four, four = peak_of(big_project, "spacy", tmp_path / "f", date_to="2026-04-30")
    assert n_four in (4 * n_month - 1, 4 * n_month)  # 167 and 667
    assert len(list((tmp_path / "f").glob("*.spacy"))) == -(-n_four // 20)
    assert four < 1.5 * month, (four, month)  # one DocBin of them all: 4 times
