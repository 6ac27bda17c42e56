"""The project file is safe to open in any process: only SQLite touches it, foreign files are
never written, damage is detected and reported with the last backup, backups come back."""
import datetime as dt
import hashlib
import json
import sqlite3
import subprocess
import sys
import threading

import pytest
from sqlite_utils import Database

from annotator.store import backups
from annotator.store.db import (APPLICATION_ID, ProjectDamaged, ProjectError, open_project)
from conftest import ROOT, cli_env
from project_helpers import damage


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args, input=None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, env=cli_env(), input=input,
                          timeout=120)


def make_project(path, n=30):
    db = open_project(path)
    with db.atomic():
        for i in range(n):
            db.execute("INSERT INTO articles(hash, text, title, outlet, imported_at) "
                       "VALUES (?, ?, ?, ?, '2026-01-01')",
                       [f"h{i}", f"Article {i}. " + "words of the text " * 200, f"T{i}",
                        f"outlet {i % 7}"])
    db.close()


# -- foreign files ---------------------------------------------------------------------------

@pytest.mark.parametrize("make", ["app_id_only", "tables", "tables_and_app_id", "user_version"])
def test_foreign_sqlite_file_is_never_written(tmp_path, make):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    if make in ("app_id_only", "tables_and_app_id"):
        conn.execute("PRAGMA application_id = 1234")
    if make == "user_version":
        conn.execute("PRAGMA user_version = 7")
    if make in ("tables", "tables_and_app_id"):
        conn.execute("CREATE TABLE things(a)")
        conn.execute("INSERT INTO things VALUES (1)")
        conn.commit()
    conn.close()
    before = digest(other)
    with pytest.raises(ProjectError, match="not a Quotebook project"):
        open_project(other)
    out = cli("stats", "--project", other)
    assert out.returncode == 1 and "not a Quotebook project" in out.stderr
    assert "Traceback" not in out.stderr
    out = cli("import", "--no-analyze", "--project", other, ROOT / "README.md")
    assert out.returncode == 1
    assert digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_empty_file_becomes_a_project(tmp_path):
    for path in (tmp_path / "zero.quotebook", tmp_path / "blank.quotebook"):
        if path.name.startswith("zero"):
            path.write_bytes(b"")
        else:
            sqlite3.connect(path).close()
        db = open_project(path)
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        db.close()


def test_open_never_reads_the_file_outside_sqlite(project_path, monkeypatch):
    """A second open in the process must not close a descriptor of the file (POSIX would
    drop the first connection's locks): the header is checked through SQLite only."""
    import builtins
    import io
    import os
    first = open_project(project_path)
    touched = []
    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

    def watch(real):
        def opener(file, *args, **kwargs):
            if str(file).startswith(str(project_path)):
                touched.append(file)
            return real(file, *args, **kwargs)
        return opener
    monkeypatch.setattr(builtins, "open", watch(real_open))
    monkeypatch.setattr(io, "open", watch(real_io_open))
    monkeypatch.setattr(os, "open", watch(real_os_open))
    second = open_project(project_path, create=False)
    second.close()
    monkeypatch.undo()
    assert touched == []
    first.close()


def test_cli_beside_an_open_connection_keeps_the_wal(project_path):
    """The window's pattern: a connection open, a worker's second open and close in the same
    process, then a CLI command; the CLI must not checkpoint away the WAL under us."""
    db = open_project(project_path)
    worker = open_project(project_path, create=False)
    worker.close()
    db.execute("INSERT INTO topics(name) VALUES ('kept')")
    assert cli("stats", "--project", project_path).returncode == 0
    assert (project_path.parent / (project_path.name + "-wal")).exists()
    db.execute("INSERT INTO topics(name) VALUES ('kept too')")
    out = cli("stats", "--project", project_path, "--format", "json")
    assert json.loads(out.stdout)["topics"] == 2
    db.close()
    check = sqlite3.connect(project_path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


# -- writers wait ----------------------------------------------------------------------------

def test_a_second_writer_waits_for_the_first(project_path):
    first = open_project(project_path)
    second = open_project(project_path, create=False)
    first.execute("INSERT INTO topics(name) VALUES ('a')")
    second.execute("SELECT count(*) FROM topics").fetchone()
    started, done = threading.Event(), threading.Event()

    def write():
        db = open_project(project_path, create=False)  # one connection per thread
        started.set()
        with db.atomic():
            n = db.execute("SELECT count(*) FROM topics").fetchone()[0]
            db.execute("INSERT INTO topics(name) VALUES (?)", [f"t{n}"])
        db.close()
        done.set()

    with first.atomic():   # a writer holds the project...
        first.execute("INSERT INTO topics(name) VALUES ('b')")
        thread = threading.Thread(target=write)
        thread.start()
        assert started.wait(10)
        assert not done.wait(0.3)   # ...the other waits (read then write, no upgrade error)
    thread.join(20)
    assert done.is_set()
    assert sorted(r[0] for r in first.execute("SELECT name FROM topics")) == ["a", "b", "t2"]
    first.close()
    second.close()


def test_a_lock_held_too_long_is_an_error_and_nothing_is_written(project_path):
    db = open_project(project_path)
    db.execute("PRAGMA busy_timeout = 100")
    holder = sqlite3.connect(project_path)
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        with db.atomic():
            db.execute("INSERT INTO topics(name) VALUES ('x')")
    holder.rollback()
    holder.close()
    assert db.execute("SELECT count(*) FROM topics").fetchone()[0] == 0
    assert not db.conn.in_transaction
    db.close()


# -- damage ----------------------------------------------------------------------------------

def test_damage_is_found_with_the_daily_backup_and_named_with_the_last_backup(tmp_path):
    path = tmp_path / "p.quotebook"
    make_project(path)
    db = open_project(path)
    made = backups.make_backup(db, path, now=dt.datetime(2026, 1, 2, 3, 4, 5))
    db.close()
    assert made.name == "p.backup-20260102-030405.quotebook"
    damage(path)
    db = open_project(path, create=False)   # opening stays fast: no full check
    assert backups.due(path)
    with pytest.raises(ProjectDamaged) as err:
        backups.make_backup(db, path)
    assert "p.backup-20260102-030405.quotebook" in str(err.value)
    assert "no longer written" in str(err.value)
    with pytest.raises(ProjectDamaged):   # the connection refuses every write from now on
        with db.atomic():
            db.execute("INSERT INTO topics(name) VALUES ('x')")
    with pytest.raises(ProjectDamaged):
        db.execute("INSERT INTO topics(name) VALUES ('x')")
    db.close()
    assert backups.backup_paths(path) == [made]   # the good backup was not rotated out
    out = cli("import", "--no-analyze", "--project", path, ROOT / "README.md")
    assert out.returncode == 1 and "damaged" in out.stderr and "Traceback" not in out.stderr
    assert "p.backup-20260102-030405.quotebook" in out.stderr


def test_corruption_reported_by_sqlite_stops_writes(tmp_path):
    path = tmp_path / "p.quotebook"
    make_project(path)
    damage(path)
    db = open_project(path, create=False)
    with pytest.raises(sqlite3.DatabaseError):
        db.execute("SELECT outlet FROM articles INDEXED BY idx_articles_outlet "
                   "WHERE outlet > ''").fetchall()
    assert db.damaged
    with pytest.raises(ProjectDamaged):
        with db.atomic():
            pass
    db.close()


def test_corruption_found_by_a_dict_query_stops_writes(tmp_path):
    path = tmp_path / "p.quotebook"
    make_project(path)
    damage(path)
    db = open_project(path, create=False)
    with pytest.raises(sqlite3.DatabaseError):
        list(db.query("SELECT outlet FROM articles INDEXED BY idx_articles_outlet "
                      "WHERE outlet > ''"))
    assert db.damaged
    with pytest.raises(ProjectDamaged):
        with db.atomic():
            pass
    db.close()


# -- backups ---------------------------------------------------------------------------------

def test_one_backup_a_day_and_the_last_three_kept(tmp_path):
    path = tmp_path / "p.quotebook"
    make_project(path, n=3)
    db = open_project(path)
    for day in range(1, 6):
        backups.make_backup(db, path, now=dt.datetime(2026, 3, day, 9, 0, 0))
    db.close()
    names = [p.name for p in backups.backup_paths(path)]
    assert names == [f"p.backup-202603{d:02d}-090000.quotebook" for d in (5, 4, 3)]
    assert backups.due(path, today=dt.date(2026, 3, 6))
    assert not backups.due(path, today=dt.date(2026, 3, 5))
    copy = open_project(backups.backup_paths(path)[0], create=False)
    assert copy.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    copy.close()


def test_cli_writes_make_the_daily_backup_once(tmp_path):
    path = tmp_path / "p.quotebook"
    make_project(path, n=2)
    src = tmp_path / "a.txt"
    src.write_text("A new article, said someone.")
    assert cli("stats", "--project", path).returncode == 0
    assert backups.backup_paths(path) == []          # reading makes no backup
    assert cli("import", "--no-analyze", "--project", path, src).returncode == 0
    assert len(backups.backup_paths(path)) == 1
    src.write_text("Another article.")
    assert cli("import", "--no-analyze", "--project", path, src).returncode == 0
    assert len(backups.backup_paths(path)) == 1      # at most once a day
    first = open_project(backups.backup_paths(path)[0], create=False)
    assert first.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    first.close()


def test_restore_brings_a_backup_back_and_keeps_the_current_file_aside(tmp_path):
    path = tmp_path / "p.quotebook"
    make_project(path, n=4)
    db = open_project(path)
    backups.make_backup(db, path, now=dt.datetime(2026, 5, 1, 8, 0, 0))
    db.execute("DELETE FROM articles WHERE id > 1")    # the mistake to undo
    watcher = open_project(path, create=False)          # another window still open
    out = cli("restore", "--project", path, "--list")
    assert out.returncode == 0 and "p.backup-20260501-080000.quotebook" in out.stdout
    out = cli("restore", "--project", path)
    assert out.returncode == 0, out.stderr
    assert watcher.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    asides = list(tmp_path.glob("p.before-restore-*.quotebook"))
    assert len(asides) == 1
    assert not list(tmp_path.glob("p.backup-*-wal")) and not list(tmp_path.glob("p.backup-*-shm"))
    old = open_project(asides[0], create=False)
    assert old.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    old.close()
    with db.atomic():   # the project is writable as before
        db.execute("INSERT INTO topics(name) VALUES ('after')")
    db.close()
    watcher.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def test_restore_refuses_a_damaged_backup_and_a_missing_one(tmp_path):
    path = tmp_path / "p.quotebook"
    make_project(path, n=2)
    out = cli("restore", "--project", path)
    assert out.returncode == 1 and "no automatic backup" in out.stderr
    db = open_project(path)
    made = backups.make_backup(db, path)
    db.close()
    damage(made)
    before = digest(path)
    out = cli("restore", "--project", path, "--backup", made)
    assert out.returncode == 1 and "damaged" in out.stderr and "Traceback" not in out.stderr
    assert digest(path) == before


def test_restore_of_a_damaged_project(tmp_path):
    path = tmp_path / "p.quotebook"
    make_project(path, n=5)
    db = open_project(path)
    backups.make_backup(db, path)
    db.close()
    damage(path)
    out = cli("restore", "--project", path)
    assert out.returncode == 0, out.stderr
    db = open_project(path, create=False)
    assert backups.quick_check(db) is None
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    db.close()
