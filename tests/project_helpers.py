"""Helpers shared by the tests of the project file and of the window's safety net."""
import sqlite3


def damage(path, index="idx_articles_outlet"):
    """Overwrite one b-tree page of an index of a closed project (a test of damage only)."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                        [index]).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\x0d" + b"\xff" * 60)


def analyze_file(path, **kw):
    """``analysis.analyze`` on its own connection to the project at ``path`` (as the
    analysis worker process does)."""
    from annotator.nlp.analysis import analyze
    from annotator.store.db import open_project
    db = open_project(path, create=False)
    try:
        return analyze(db, **kw)
    finally:
        db.close()
