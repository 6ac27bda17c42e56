"""The FTS index of imported articles is written at the end of each batch's transaction
(migration m007): searches find every article, an interrupted import leaves the index whole,
and articles written any other way are indexed row by row as before."""
import json

import pytest

from annotator.corpus import sources
from annotator.corpus.importing import import_paths


def fts_ok(db):
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    return db.execute("SELECT count(*) FROM _fts_deferred").fetchone()[0] == 0


def hits(db, word):
    return [r[0] for r in db.execute("SELECT rowid FROM articles_fts WHERE articles_fts "
                                     "MATCH ? ORDER BY rowid", [word])]


def corpus(path, n, word="harbour"):
    path.write_text("".join(json.dumps({"title": f"T{i}", "text": f"Article {i} on the "
                                        f"{word if i % 2 else 'market'}."}) + "\n"
                            for i in range(n)))
    return path


def test_every_imported_article_is_found(db, tmp_path):
    report = import_paths(db, [corpus(tmp_path / "a.jsonl", 25)], batch_size=4)
    assert report.imported == 25 and fts_ok(db)
    assert hits(db, "harbour") == list(range(2, 26, 2)) and len(hits(db, "market")) == 13
    import_paths(db, [corpus(tmp_path / "b.jsonl", 9, "quay")], batch_size=4)
    assert len(hits(db, "quay")) == 4 and hits(db, "harbour") == list(range(2, 26, 2))
    assert fts_ok(db)


def test_an_interrupted_import_leaves_the_index_whole(db, tmp_path, monkeypatch):
    path = corpus(tmp_path / "a.jsonl", 20)
    real = sources.read_file

    def dies_midway(*args, **kwargs):
        for n, rec in enumerate(real(*args, **kwargs)):
            if n == 13:
                raise KeyboardInterrupt
            yield rec
    monkeypatch.setattr(sources, "read_file", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        import_paths(db, [path], batch_size=5)
    assert fts_ok(db) and hits(db, "harbour") == [2, 4, 6, 8, 10]  # two whole batches
    monkeypatch.setattr(sources, "read_file", real)
    assert import_paths(db, [path]).imported == 10
    assert fts_ok(db) and hits(db, "harbour") == list(range(2, 21, 2))


def test_articles_written_outside_an_import_are_indexed_row_by_row(db):
    with db.atomic():
        db.execute("INSERT INTO articles(hash, text, title, imported_at) "
                   "VALUES ('h1', 'A lighthouse story.', 'L', 'now')")
    assert hits(db, "lighthouse") == [1] and fts_ok(db)
