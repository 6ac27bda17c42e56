"""Several connections and processes on one project (issue 10): the window beside the CLI,
worker threads that open their own connection, two analysts plus an import at once, undo/redo
after another writer, a lock held past the busy timeout.

Every wait is bounded: processes are waited on by their output or exit, with a timeout.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from annotator.editing.edits import AddQuote, add_quote
from annotator.project import SAMPLE_CORPUS, open_or_default
from annotator.corpus.importing import import_paths
from annotator.store.db import ProjectError, ensure_layer, open_project
from conftest import ROOT, cli_env

WRITER = ROOT / "tests" / "writer_proc.py"
MAIN = ROOT / "main.py"


# -- helpers --------------------------------------------------------------------------------
def make_project(path):
    """A project with the default codebook and the 10 sample articles (not analysed)."""
    db, _ = open_or_default(path)
    import_paths(db, [SAMPLE_CORPUS])
    return db


def cli(*args, timeout=60):
    return subprocess.run([sys.executable, str(MAIN), *map(str, args)], cwd=ROOT,
                          env=cli_env(), capture_output=True, text=True, timeout=timeout)


FRESH = r"""
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
out = [conn.execute(sql).fetchall() for sql in json.loads(sys.argv[2])]
conn.close()
print(json.dumps(out))
"""


def fresh(path, *sqls):
    """Run read queries in a new process (no lock or descriptor of ours is involved)."""
    r = subprocess.run([sys.executable, "-c", FRESH, str(path), json.dumps(sqls)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def integrity(path) -> str:
    (rows,) = fresh(path, "PRAGMA integrity_check")
    return "; ".join(r[0] for r in rows)


class Proc:
    """A subprocess whose stdout lines are collected by a thread, to wait on them."""

    def __init__(self, args, **kw):
        self.p = subprocess.Popen([sys.executable, *map(str, args)], cwd=ROOT, env=cli_env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  **kw)
        self.lines: list[str] = []
        self._q: queue.Queue = queue.Queue()
        self._t = threading.Thread(target=self._read, daemon=True)
        self._t.start()
        self.stderr = ""

    def _read(self):
        for line in self.p.stdout:
            self._q.put(line.rstrip("\n"))
        self._q.put(None)

    def _drain(self, timeout):
        try:
            item = self._q.get(timeout=timeout)
        except queue.Empty:
            return True
        if item is None:
            self._q.put(None)
            return False
        self.lines.append(item)
        return True

    def wait_for(self, pred, timeout=30.0):
        """Until ``pred(lines)`` holds; fails on timeout or if the process ends first."""
        end = time.monotonic() + timeout
        while not pred(self.lines):
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out; last lines {self.lines[-5:]}")
            if not self._drain(min(left, 0.5)) and not pred(self.lines):
                self.finish(5)
                raise AssertionError(f"process ended early ({self.p.returncode}): "
                                     f"{self.lines[-5:]} {self.stderr[-2000:]}")
        return self.lines

    def count(self, tag):
        return sum(1 for line in self.lines if line.startswith(tag + " "))

    def finish(self, timeout=60.0):
        """Wait for the exit and every line."""
        try:
            self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait(10)
            raise
        finally:
            self._t.join(10)
            while self._drain(0):
                pass
            if self.p.stderr and not self.p.stderr.closed:
                self.stderr = self.p.stderr.read()
                self.p.stderr.close()
        return self.p.returncode

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
        try:
            self.finish(10)
        except Exception:  # noqa: BLE001 - cleanup only
            pass


def acked(lines):
    return [line.split()[1] for line in lines if line.startswith("ACK ")]


def noted(lines):
    return {line.split()[1]: line.split()[2] for line in lines if line.startswith("NOTE ")}


def fds_to_deleted(path):
    """Descriptors of this process on a project file that was deleted (e.g. its -wal)."""
    out = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(path)) and target.endswith("(deleted)"):
            out.append(target)
    return out


# -- 1. the window, its workers and the CLI -------------------------------------------------
def test_window_edits_survive_a_worker_open_and_a_cli_command(qtbot, tmp_path, monkeypatch):
    """Window open; File > Import a .txt (a job) and the Export dialog each open a
    second connection in the process; then the CLI runs `stats`; then the window edits.
    The edits must be in the file for every other process, the -wal the window has open must
    still be the project's, and the file must pass integrity_check after quitting."""
    from ui import main_window as mw
    from ui.export_dialog import ExportDialog

    path = tmp_path / "p.quotebook"
    db = make_project(path)
    aid = db.execute("SELECT min(id) FROM articles").fetchone()[0]
    ensure_layer(db, "suggestions")
    for k in range(3):  # three suggestions to accept in the window
        add_quote(db, article_id=aid, layer="suggestions", fragments=[(k * 60, k * 60 + 40)],
                  status="suggested", actor="analysis")
    warnings = []
    monkeypatch.setattr(mw.QMessageBox, "warning", lambda *a, **k: warnings.append(a))
    win = mw.MainWindow(db, path, analyst="tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    monkeypatch.setattr(win, "start_analysis", lambda: None)  # no model load here
    reports = []
    original_done = win._import_done
    monkeypatch.setattr(win, "_import_done", lambda r: (reports.append(r), original_done(r)))
    txt = tmp_path / "new.txt"
    txt.write_text("Minister speaks\n\n“We will reopen the crossing,” the minister said on "
                   "Tuesday, adding that talks would resume soon.\n", encoding="utf-8")
    try:
        win.import_paths([txt])  # File > Import: a job with its own connection
        qtbot.waitUntil(lambda: bool(reports or warnings), timeout=30000)
        assert not warnings and reports[0].imported == 1
        win.import_job.wait(10000)
        dialog = ExportDialog(path, win)  # File > Export: reads its choices on a connection
        dialog.close()
        dialog.deleteLater()

        wal = path.with_name(path.name + "-wal")
        assert wal.exists()
        wal_inode = wal.stat().st_ino
        r = cli("stats", "--project", path)
        assert r.returncode == 0, r.stderr

        assert win.articles.select(aid)
        qtbot.waitUntil(lambda: win.annotation.article_id == aid, timeout=5000)
        assert win.annotation.accept_all()
        layer = win.session.layer_id
        others = [row[0] for row in db.execute("SELECT id FROM articles WHERE id != ? "
                                               "ORDER BY id LIMIT 5", [aid])]
        for other in others:
            assert win.session.run(AddQuote(article_id=other, layer_id=layer,
                                            fragments=[(0, 25)], actor="tester"))
        in_window = db.execute("SELECT count(*) FROM quotes WHERE layer_id = ?",
                               [layer]).fetchone()[0]
        assert in_window == 3 + len(others)

        r = cli("stats", "--project", path, "--format", "json")
        assert r.returncode == 0, r.stderr
        seen = {
            "stats: tester's quotes": json.loads(r.stdout)["layers"].get("tester", {}).get(
                "quotes", 0),
            "-wal still the one the window has open": wal.exists()
            and wal.stat().st_ino == wal_inode,
            "window descriptors on deleted project files": fds_to_deleted(path),
        }
        assert seen == {"stats: tester's quotes": in_window,
                        "-wal still the one the window has open": True,
                        "window descriptors on deleted project files": []}
    finally:
        win.close()
        db.close()
    assert integrity(path) == "ok"
    (rows,) = fresh(path, "SELECT count(*) FROM quotes q JOIN layers l ON l.id = q.layer_id "
                          "WHERE l.name = 'tester'")
    assert rows[0][0] == 3 + 5


# -- 2. kill -9 of an editor that opened a second connection like a worker -------------------
def test_kill_during_edits_keeps_every_acknowledged_edit(tmp_path):
    path = tmp_path / "k.quotebook"
    make_project(path).close()
    editor = Proc([WRITER, "edit", path, "--analyst", "ana", "--count", "2000",
                   "--seconds", "40", "--second-open"])
    try:
        editor.wait_for(lambda ls: any(line.startswith("READY") for line in ls), 30)
        editor.wait_for(lambda ls: len(acked(ls)) >= 10, 30)
        for _ in range(2):  # the CLI beside the editing process, twice
            r = cli("stats", "--project", path)
            assert r.returncode == 0, r.stderr
            n = len(acked(editor.lines))
            editor.wait_for(lambda ls: len(acked(ls)) >= n + 30, 30)
        os.kill(editor.p.pid, signal.SIGKILL)
        editor.finish(15)
    finally:
        editor.kill()
    assert editor.p.returncode == -signal.SIGKILL
    assert not [line for line in editor.lines if line.startswith("FAIL")]
    uuids, notes = acked(editor.lines), noted(editor.lines)
    assert len(uuids) >= 70
    rows, check = fresh(path, "SELECT uuid, note FROM quotes", "PRAGMA integrity_check")
    stored = dict(rows)
    lost = [u for u in uuids if u not in stored]
    assert not lost, f"{len(lost)} of {len(uuids)} acknowledged quotes lost"
    wrong = {u: n for u, n in notes.items() if stored[u] != n}
    assert not wrong, f"{len(wrong)} of {len(notes)} acknowledged notes lost"
    assert check == [["ok"]]


# -- 3. two analysts, an import and an analysis at once -------------------------------------
def write_articles(path, n):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = (f"Article {i}. “We will not accept plan {i},” said Minister Anna Berg "
                    f"on Monday in Lisgard. Officials of the Harbour Office told reporters "
                    f"that trade fell by {i % 40} percent. " * 3)
            fh.write(json.dumps({"id": f"bulk-{i}", "title": f"Bulk {i}", "outlet": "Ledger",
                                 "published": "2026-02-01", "text": text}) + "\n")


@pytest.mark.slow
def test_two_analysts_an_import_and_an_analysis_at_once(tmp_path):
    path = tmp_path / "w.quotebook"
    make_project(path).close()
    jsonl = tmp_path / "bulk.jsonl"
    write_articles(jsonl, 300)
    stop = tmp_path / "stop"
    editors = {name: Proc([WRITER, "edit", path, "--analyst", name, "--count", "3000",
                           "--seconds", "50", "--until", stop, "--min", "40"])
               for name in ("alice", "bob")}
    procs = list(editors.values())
    try:
        for ed in editors.values():
            ed.wait_for(lambda ls: any(line.startswith("READY") for line in ls), 30)
        importer = Proc([MAIN, "import", jsonl, "--no-analyze", "--project", path])
        analysis = Proc([WRITER, "analyze", path, "--seconds", "12"])
        procs += [importer, analysis]
        codes = {"import": importer.finish(60), "analysis": analysis.finish(60)}
        stop.touch()
        for name, ed in editors.items():
            codes[name] = ed.finish(60)
    finally:
        for p in procs:
            p.kill()
    failures = {name: [line for line in ed.lines if line.startswith("FAIL")]
                for name, ed in editors.items()}
    seen = {"exit codes": codes,
            "failed edits": {name: len(f) for name, f in failures.items()},
            "import errors": (importer.lines + importer.stderr.strip().splitlines())[-1:]
            if codes["import"] else [],
            "analysis errors": analysis.lines[-1:] if codes["analysis"] else []}
    assert seen == {"exit codes": {"import": 0, "analysis": 0, "alice": 0, "bob": 0},
                    "failed edits": {"alice": 0, "bob": 0},
                    "import errors": [], "analysis errors": []}, \
        [f[:2] for f in failures.values()]
    assert any(line.startswith("ANALYZED") for line in analysis.lines)
    counts = {}
    for name, ed in editors.items():
        uuids, notes = acked(ed.lines), noted(ed.lines)
        assert len(uuids) >= 40
        (rows,) = fresh(path, f"SELECT q.uuid, q.note FROM quotes q JOIN layers l "
                              f"ON l.id = q.layer_id WHERE l.name = '{name}'")
        stored = dict(rows)
        counts[name] = (len(stored), sorted(stored) == sorted(uuids),
                        all(stored.get(u) == n for u, n in notes.items()))
        assert counts[name] == (len(uuids), True, True)
    (articles,) = fresh(path, "SELECT count(*) FROM articles")
    assert articles[0][0] == 10 + 300
    assert integrity(path) == "ok"


# -- 4. undo/redo after another writer took the row id --------------------------------------
def quote_rows(db, uuid):
    row = db.execute("SELECT * FROM quotes WHERE uuid = ?", [uuid]).fetchone()
    if row is None:
        return None
    cols = [d[0] for d in db.execute("SELECT * FROM quotes LIMIT 0").description]
    quote = dict(zip(cols, row))
    frags = db.execute('SELECT ord, start, "end" FROM quote_fragments WHERE quote_id = ? '
                       "ORDER BY ord", [quote["id"]]).fetchall()
    return quote, frags


@pytest.fixture
def two_connections(tmp_path):
    path = tmp_path / "u.quotebook"
    first = make_project(path)
    second = open_project(path, create=False)
    yield path, first, second
    second.close()
    first.close()


def test_redo_after_another_writer_took_the_id_restores_the_quote(two_connections):
    path, db, other = two_connections
    aid = db.execute("SELECT min(id) FROM articles").fetchone()[0]
    layer = ensure_layer(db, "ana")
    cmd = AddQuote(article_id=aid, layer_id=layer, fragments=[(10, 30), (50, 70)],
                   actor="ana", note="mine")
    cmd.apply(db)
    mine, mine_frags = quote_rows(db, cmd.uuid)
    cmd.revert(db)
    assert quote_rows(db, cmd.uuid) is None
    theirs_uuid = add_quote(other, article_id=aid, layer="bob", fragments=[(100, 140)],
                            note="theirs")
    theirs = quote_rows(other, theirs_uuid)
    assert theirs[0]["id"] == mine["id"]  # the row id was taken meanwhile
    total = db.execute("SELECT count(*) FROM quotes").fetchone()[0]

    cmd.apply(db)  # redo
    back, back_frags = quote_rows(db, cmd.uuid)
    same = lambda q: {k: v for k, v in q.items() if k != "id"}  # noqa: E731
    assert same(back) == same(mine)
    assert back_frags == mine_frags
    assert quote_rows(db, theirs_uuid) == theirs  # the other writer's quote is untouched
    assert db.execute("SELECT count(*) FROM quotes").fetchone()[0] == total + 1


def test_undo_after_such_a_redo_removes_only_that_quote(two_connections):
    path, db, other = two_connections
    aid = db.execute("SELECT min(id) FROM articles").fetchone()[0]
    cmd = AddQuote(article_id=aid, layer_id=ensure_layer(db, "ana"), fragments=[(10, 30)],
                   actor="ana")
    cmd.apply(db)
    cmd.revert(db)
    theirs_uuid = add_quote(other, article_id=aid, layer="bob", fragments=[(100, 140)])
    theirs = quote_rows(other, theirs_uuid)
    cmd.apply(db)
    cmd.revert(db)  # undo again: the re-created quote goes, the other writer's stays
    assert quote_rows(db, cmd.uuid) is None
    assert quote_rows(db, theirs_uuid) == theirs
    cmd.apply(db)
    assert quote_rows(db, cmd.uuid) is not None


# -- 5. a lock held past the busy timeout; a lock released within it -------------------------
def nothing_of(db, uuid):
    return (db.execute("SELECT count(*) FROM quotes WHERE uuid = ?", [uuid]).fetchone()[0],
            db.execute("SELECT count(*) FROM quote_fragments WHERE quote_id NOT IN "
                       "(SELECT id FROM quotes)").fetchone()[0],
            db.execute("SELECT count(*) FROM _events WHERE target = ?",
                       [f"quote:{uuid}"]).fetchone()[0])


def test_edit_behind_a_lock_held_too_long_fails_cleanly(two_connections):
    path, db, _ = two_connections
    aid = db.execute("SELECT min(id) FROM articles").fetchone()[0]
    layer = ensure_layer(db, "ana")
    holder = sqlite3.connect(str(path), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE articles SET title = title WHERE id = ?", [aid])
        with db.ensure_autocommit_on():
            db.execute("PRAGMA busy_timeout = 300")
        cmd = AddQuote(article_id=aid, layer_id=layer, fragments=[(10, 30)], actor="ana")
        t = time.monotonic()
        with pytest.raises((sqlite3.OperationalError, ProjectError)) as caught:
            cmd.apply(db)
        waited = time.monotonic() - t
        assert "lock" in str(caught.value).lower() or "busy" in str(caught.value).lower()
        assert waited >= 0.25, f"gave up after {waited:.3f} s without waiting for the lock"
        assert not db.conn.in_transaction
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert nothing_of(db, cmd.uuid) == (0, 0, 0)
    again = AddQuote(article_id=aid, layer_id=layer, fragments=[(10, 30)], actor="ana")
    again.apply(db)  # the project is usable afterwards
    assert nothing_of(db, again.uuid)[0] == 1


def test_edit_waits_for_a_writer_that_finishes_within_the_busy_timeout(two_connections):
    """Two writers: the second waits for the first (deferred read-then-write must not give up
    at once with 'database is locked')."""
    path, db, _ = two_connections
    aid = db.execute("SELECT min(id) FROM articles").fetchone()[0]
    layer = ensure_layer(db, "ana")
    holder = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE articles SET title = 'changed' WHERE id = ?", [aid])
    release = threading.Timer(0.4, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        cmd = AddQuote(article_id=aid, layer_id=layer, fragments=[(10, 30)], actor="ana")
        cmd.apply(db)
    finally:
        release.join(5)
        holder.close()
    assert nothing_of(db, cmd.uuid)[0] == 1
    assert db.execute("SELECT title FROM articles WHERE id = ?", [aid]).fetchone()[0] == \
        "changed"
