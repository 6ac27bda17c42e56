"""The window when the project cannot be written: another program holds the write lock past
the busy timeout. Every edit says so, writes nothing, leaves the undo history as it was and
raises nothing into Qt; once the lock is gone the same key works."""
import sqlite3
import sys
from contextlib import contextmanager

import pytest
from window_helpers import main_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.editing import desk
from annotator.editing.codebook import codebook

LOCKED = "another program is writing to this project"


@pytest.fixture
def window(qtbot):
    with main_window(qtbot) as win:
        win.db.execute("PRAGMA busy_timeout = 50")  # the test's lock is not waited out for 10 s
        yield win


@contextmanager
def locked(path):
    """Another program writing: a second connection holding the write lock."""
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


@contextmanager
def refused(window, qtbot):
    """Around an action under the lock: no exception reached Qt, the message is in the status
    bar, the undo stack did not move and nothing was written (the project's data version is
    the same)."""
    stack = window.session.undo_stack
    before = (stack.count(), stack.index())
    window.statusBar().clearMessage()
    with locked(window.project_path) as other:
        version = other.execute("PRAGMA data_version").fetchone()[0]
        with qtbot.captureExceptions() as exceptions:
            yield
        assert exceptions == []
        assert LOCKED in window.statusBar().currentMessage()
        assert (stack.count(), stack.index()) == before
        assert other.execute("PRAGMA data_version").fetchone()[0] == version
    assert not window.db.conn.in_transaction  # rolled back, not left open


def open_source(win, source):
    aid = win.db.execute("SELECT id FROM articles WHERE source = ?", [source]).fetchone()[0]
    assert win.articles.select(aid)
    return aid


def my_quotes(win, aid):
    return desk.article_quotes(win.db, aid, win.session.layer_id)


def select(win, start, end):
    win.article_view.setFocus()
    win.article_view.select_span(start, end)


def test_tag_while_locked_then_again(window, qtbot):
    aid = open_source(window, "sample-01")
    text = window.annotation.text
    start = text.index("“We have waited")
    end = text.index("river,”") + 7
    select(window, start, end)
    with refused(window, qtbot):
        qtbot.keyClick(window.article_view, Qt.Key_Q)
    assert my_quotes(window, aid) == []
    assert window.quote_panel.list.count() == 0  # not shown as done
    select(window, start, end)
    qtbot.keyClick(window.article_view, Qt.Key_Q)  # the lock is gone: the same key works
    (q,) = my_quotes(window, aid)
    assert (q["start"], q["end"]) == (start, end)
    assert window.session.undo_stack.count() == 1
    assert window.quote_panel.list.count() == 1


def test_undo_redo_and_speaker_while_locked(window, qtbot):
    aid = open_source(window, "sample-01")
    text = window.annotation.text
    select(window, text.index("“We have waited"), text.index("river,”") + 7)
    qtbot.keyClick(window.article_view, Qt.Key_Q)
    edit = window.quote_panel.speaker_edit
    assert edit.hasFocus()
    qtbot.keyClicks(edit, "Anna Kovacs")
    with refused(window, qtbot):  # a macro: create the speaker (Shift+Enter) and set it
        qtbot.keyClick(edit, Qt.Key_Return, Qt.ShiftModifier)
    assert my_quotes(window, aid)[0]["speaker_id"] is None
    assert desk.speakers_table(window.db) == []
    assert edit.text() == "Anna Kovacs"  # kept to try again
    qtbot.keyClick(edit, Qt.Key_Return, Qt.ShiftModifier)
    assert my_quotes(window, aid)[0]["speaker"] == "Anna Kovacs"
    stack = window.session.undo_stack
    assert (stack.count(), stack.index()) == (2, 2)

    view = window.article_view
    with refused(window, qtbot):
        qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert my_quotes(window, aid)[0]["speaker"] == "Anna Kovacs"
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)  # undone: speaker and its creation
    assert my_quotes(window, aid)[0]["speaker_id"] is None
    assert desk.speakers_table(window.db) == []
    assert stack.index() == 1
    with refused(window, qtbot):
        qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert my_quotes(window, aid)[0]["speaker_id"] is None
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert my_quotes(window, aid)[0]["speaker"] == "Anna Kovacs"
    assert stack.index() == 2


def test_note_status_registry_and_codebook_while_locked(window, qtbot):
    aid = open_source(window, "sample-01")
    text = window.annotation.text
    select(window, text.index("“We have waited"), text.index("river,”") + 7)
    qtbot.keyClick(window.article_view, Qt.Key_Q)
    note = window.quote_panel.note_edit
    note.setFocus()
    qtbot.keyClicks(note, "check the date")
    with refused(window, qtbot):
        qtbot.keyClick(note, Qt.Key_Return)  # saved when the field is left (Enter here)
    assert not my_quotes(window, aid)[0]["note"]
    window.refresh()  # a redraw keeps what was typed: it was not saved
    assert note.text() == "check the date" and note.isModified()
    qtbot.keyClick(note, Qt.Key_Return)
    assert my_quotes(window, aid)[0]["note"] == "check the date"

    status = lambda: window.db.execute(  # noqa: E731
        "SELECT status FROM article_status WHERE article_id = ? AND layer_id = ?",
        [aid, window.session.layer_id]).fetchone()
    before = status()
    with refused(window, qtbot):
        qtbot.keyClick(window.article_view, Qt.Key_D, Qt.ControlModifier)  # done, next
    assert status() == before and window.annotation.article_id == aid

    from annotator.editing.speakers import add_speaker
    add_speaker(window.db, "Ana K")
    window.registry_dock.show()
    window.registry_dock.raise_()
    window.refresh()
    model = window.registry.model
    assert [r["name"] for r in model.rows] == ["Ana K"]
    with refused(window, qtbot):
        model.setData(model.index(0, 0), "Anna Kovacs")
    assert [r["name"] for r in desk.speakers_table(window.db)] == ["Ana K"]
    assert [r["name"] for r in model.rows] == ["Ana K"]  # the registry shows what is stored

    from ui.codebook_editor import CodebookEditor
    editor = CodebookEditor(window.session, window)
    qtbot.addWidget(editor)
    label = editor.data[0]["positions"][0]["label"]
    with refused(window, qtbot):
        editor.positions.item(0, 0).setText("Supports firmly")
    assert codebook(window.db)[0]["positions"][0]["label"] == label
    assert editor.positions.item(0, 0).text() == label  # shown as stored
    editor.positions.item(0, 0).setText("Supports firmly")
    assert codebook(window.db)[0]["positions"][0]["label"] == "Supports firmly"


def test_an_uncaught_exception_is_one_line_in_a_box(qtbot, capsys):
    from ui.app import show_unexpected
    try:
        raise sqlite3.OperationalError("database or disk is full")
    except sqlite3.OperationalError:
        show_unexpected(*sys.exc_info())
    box = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.isVisible())
    assert box.textFormat() == Qt.PlainText
    assert "\n" not in box.text() and "the disk is full" in box.text()
    assert "Traceback" in capsys.readouterr().err  # kept for a bug report
    try:
        raise KeyError("<b>x</b>")
    except KeyError:
        show_unexpected(*sys.exc_info())  # a second one while the box is open: stderr only
    assert [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()] == [box]
    box.close()
