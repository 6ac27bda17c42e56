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


def dies_after(monkeypatch, records: int):
    """Reading is interrupted (as by Ctrl+C) after ``records`` records; the real reader."""
    real = sources.read_file

    def dies_midway(*args, **kwargs):
        for n, rec in enumerate(real(*args, **kwargs)):
            if n == records:
                raise KeyboardInterrupt
            yield rec
    monkeypatch.setattr(sources, "read_file", dies_midway)
    return real


def test_every_imported_article_is_found(db, tmp_path):
    report = import_paths(db, [corpus(tmp_path / "a.jsonl", 25)], batch_size=4)
    assert report.imported == 25 and fts_ok(db)
    assert hits(db, "harbour") == list(range(2, 26, 2)) and len(hits(db, "market")) == 13
    import_paths(db, [corpus(tmp_path / "b.jsonl", 9, "quay")], batch_size=4)
    assert len(hits(db, "quay")) == 4 and hits(db, "harbour") == list(range(2, 26, 2))
    assert fts_ok(db)


def test_an_interrupted_import_leaves_the_index_whole(db, tmp_path, monkeypatch):
    path = corpus(tmp_path / "a.jsonl", 20)
    real = dies_after(monkeypatch, 13)
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


def merge_policy(db):
    return {k: v for k, v in db.execute("SELECT k, v FROM articles_fts_config "
                                        "WHERE k IN ('automerge', 'crisismerge')")}


def segments(db):
    return db.execute("SELECT count(DISTINCT segid) FROM articles_fts_idx").fetchone()[0]


def test_the_index_merges_sixteen_segments_of_a_level_at_a_time(db, tmp_path):
    """m010: FTS5's automerge 16 (not its default 4), crisismerge above it: segments are
    still merged (one per batch here), the index whole."""
    assert merge_policy(db) == {"automerge": 16, "crisismerge": 64}
    import_paths(db, [corpus(tmp_path / "b.jsonl", 120, "quay")], batch_size=1)
    assert segments(db) < 120 and fts_ok(db) and len(hits(db, "quay")) == 60


def test_an_older_project_gets_the_merge_policy(project_path, monkeypatch):
    from annotator.store import migrations as mig
    from annotator.store.db import open_project
    monkeypatch.setattr(mig.migrations, "_migrations",
                        [m for m in mig.migrations._migrations if m.name != "m010_fts_merge_policy"])
    old = open_project(project_path)
    assert merge_policy(old) == {}
    old.close()
    monkeypatch.undo()
    db = open_project(project_path)
    assert merge_policy(db) == {"automerge": 16, "crisismerge": 64}
    db.close()


def test_an_import_keeps_its_journals_in_memory_then_restores_the_settings(db, tmp_path,
                                                                           monkeypatch):
    from annotator.tasks import Task

    def settings():
        return [db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("cache_size",
                                                                          "temp_store")]
    before = settings()
    during = []
    task = Task(lambda *_: during.append(settings()))
    import_paths(db, [corpus(tmp_path / "a.jsonl", 10)], batch_size=4, task=task)
    assert during and all(s == [-131072, 2] for s in during) and settings() == before
    dies_after(monkeypatch, 5)
    with pytest.raises(KeyboardInterrupt):
        import_paths(db, [corpus(tmp_path / "b.jsonl", 10, "quay")], batch_size=4)
    assert settings() == before and fts_ok(db) and len(hits(db, "quay")) == 2


def hash_size(db):
    row = db.execute("SELECT v FROM articles_fts_config WHERE k = 'hashsize'").fetchone()
    return row and row[0]


def test_a_batch_of_new_postings_is_written_as_one_segment(db, tmp_path):
    """m011: FTS5 holds up to 32 MiB of a transaction's postings before it writes a segment
    (1 MiB by default, which cut a large batch into tens of segments to merge)."""
    assert hash_size(db) == 32 * 2**20
    path = tmp_path / "big.jsonl"
    # ~3 MiB of distinct terms in one batch: more than FTS5's default buffer
    path.write_text("".join(json.dumps({"text": " ".join(f"w{i}x{k}" for k in range(60))})
                            + "\n" for i in range(3000)))
    import_paths(db, [path], batch_size=5000)
    assert segments(db) == 1 and fts_ok(db) and hits(db, "w2999x59") == [3000]


def test_an_older_project_gets_the_larger_buffer(project_path, monkeypatch):
    from annotator.store import migrations as mig
    from annotator.store.db import open_project
    monkeypatch.setattr(mig.migrations, "_migrations", [
        m for m in mig.migrations._migrations if m.name != "m011_fts_batch_segments"])
    old = open_project(project_path)
    assert not hash_size(old)
    old.close()
    monkeypatch.undo()
    db = open_project(project_path)
    assert hash_size(db) == 32 * 2**20
    db.close()
