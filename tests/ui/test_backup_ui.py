"""The window's safety net: the daily check and backup in a worker after opening, a damaged
project refused for edits with a message naming the last backup, File > Restore backup."""
import datetime as dt
import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox

from annotator.store import backups
from annotator.project import open_or_default
from annotator.store.db import open_project
from project_helpers import damage


@pytest.fixture
def make_window(qtbot):
    made = []

    def make(path):
        from ui.main_window import MainWindow
        db, path = open_or_default(path)
        win = MainWindow(db, path, analyst="tester")
        qtbot.addWidget(win)
        win.show()
        made.append((win, db))
        return win
    yield make
    for win, db in made:
        win.close()
        db.close()


def seeded(path):
    """A project with the sample corpus (as the default project has)."""
    from annotator.project import seed
    db = open_project(path)
    seed(db)
    db.close()


def check(win, qtbot):
    """Start the daily check and wait for its result to reach the window."""
    win.daily_result = None
    win.start_daily_check()
    qtbot.waitUntil(lambda: win.daily_result is not None, timeout=30000)
    return win.daily_result


def test_daily_check_makes_one_backup_off_the_ui_thread(make_window, qtbot, tmp_path):
    path = tmp_path / "p.quotebook"
    seeded(path)
    win = make_window(path)
    backup, damaged = check(win, qtbot)
    assert damaged == "" and backup
    assert [str(p) for p in backups.backup_paths(path)] == [backup]
    assert "Daily backup made" in win.statusBar().currentMessage()
    assert check(win, qtbot) == ("", "")   # one a day; the check alone found nothing


def test_a_damaged_project_is_refused_for_edits_and_names_the_backup(make_window, qtbot,
                                                                     tmp_path, monkeypatch):
    path = tmp_path / "p.quotebook"
    seeded(path)
    db = open_project(path)
    made = backups.make_backup(db, path, now=dt.datetime(2026, 2, 3, 4, 5, 6))
    db.execute("INSERT INTO _events(at, actor, action, target) VALUES ('x', 'y', 'z', 't')")
    db.close()
    damage(path, "idx_events_target")   # a page the window does not read to open
    shown = []
    monkeypatch.setattr(QMessageBox, "show", lambda box: shown.append(box.text()))
    win = make_window(path)
    assert made.name in check(win, qtbot)[1]
    assert shown and made.name in shown[0] and "damaged" in shown[0]
    failures = []
    win.session.failed.connect(failures.append)
    aid = win.db.execute("SELECT min(id) FROM articles").fetchone()[0]
    from annotator.editing.edits import SetArticleStatus
    before = win.db.execute("SELECT count(*) FROM article_status").fetchone()[0]
    ok = win.session.run(SetArticleStatus(article_id=aid, layer_id=win.session.layer_id,
                                          status="done", actor="tester"))
    assert not ok and failures and "damaged" in failures[0]
    assert win.db.execute("SELECT count(*) FROM article_status").fetchone()[0] == before
    assert win.session.undo_stack.count() == 0


def test_restore_backup_from_the_window(make_window, qtbot, tmp_path):
    path = tmp_path / "p.quotebook"
    seeded(path)
    db = open_project(path)
    made = backups.make_backup(db, path, now=dt.datetime(2026, 2, 3, 4, 5, 6))
    n = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    win = make_window(path)
    with win.db.atomic():   # a mistake made after the backup
        win.db.execute("DELETE FROM articles WHERE id > 1")
    win.restore_backup(made)
    qtbot.waitUntil(lambda: "Restored" in win.statusBar().currentMessage(), timeout=30000)
    assert made.name in win.statusBar().currentMessage()
    assert win.db.execute("SELECT count(*) FROM articles").fetchone()[0] == n
    asides = list(tmp_path.glob("p.before-restore-*.quotebook"))
    assert len(asides) == 1
    aside = open_project(asides[0], create=False)
    assert aside.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    aside.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_project_too_damaged_to_open_is_offered_its_last_backup(qtbot, tmp_path,
                                                                  monkeypatch):
    from ui import app
    path = tmp_path / "p.quotebook"
    seeded(path)
    db = open_project(path)
    db.execute("UPDATE articles SET analyzed_at = 'x'")   # no analysis process in the test
    n = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    made = backups.make_backup(db, path, now=dt.datetime(2026, 2, 3, 4, 5, 6))
    db.close()
    damage(path, "_sqlite_migrations")   # a page read to open any project
    asked = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: asked.append(box.text()) or QMessageBox.Yes)
    win = app.open_window(path, analyst="tester")
    assert win is not None
    assert asked and "damaged" in asked[0] and made.name in asked[0]
    assert win.db.execute("SELECT count(*) FROM articles").fetchone()[0] == n
    assert backups.quick_check(win.db) is None
    assert len(list(tmp_path.glob("p.before-restore-*.quotebook"))) == 1
    win.close()   # deleted on close: its connection is closed when it is gone
    qtbot.waitUntil(lambda: win not in app._windows)


def test_a_project_too_damaged_to_open_without_a_backup_is_said(tmp_path, monkeypatch):
    from ui import app
    path = tmp_path / "p.quotebook"
    seeded(path)
    damage(path, "_sqlite_migrations")
    said = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: said.append(box.text()) or 0)
    assert app.open_window(path, analyst="tester") is None
    assert len(said) == 1 and "no automatic backup" in said[0]
