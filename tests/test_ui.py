"""The minimal window: article list, plain-text view with highlights, analysis in a worker."""
import subprocess
import sys

import pytest

from annotator.offsets import Utf16Map
from annotator.project import open_or_default
from conftest import ROOT, cli_env


@pytest.fixture
def window(qtbot, tmp_path):
    from ui.main_window import MainWindow
    db, path = open_or_default(None)
    win = MainWindow(db, path, analyst="tester")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.runner.shutdown()
    db.close()


def select_source(win, source):
    for row in range(win.articles.rowCount()):
        aid = win.articles.row(row)["id"]
        if win.db.execute("SELECT source FROM articles WHERE id = ?", [aid]).fetchone()[0] == source:
            win.article_list.selectRow(row)
            return aid
    raise AssertionError(source)


def test_lists_the_sample_articles(window):
    assert window.articles.rowCount() == 10
    assert window.findChild(type(window.article_list), "articleList") is window.article_list
    assert window.article_view.objectName() == "articleView"
    assert "10 articles" in window.counts.text() and "tester" in window.counts.text()


def test_html_like_text_shows_literally(window):
    aid = select_source(window, "sample-05")
    text = window.db.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()[0]
    assert "<b>" in text
    assert window.article_view.toPlainText() == text


def test_analysis_in_worker_then_highlights_with_exact_offsets(window, qtbot):
    with qtbot.waitSignal(window.runner.finished, timeout=120000) as blocker:
        window.start_analysis()
        assert window.progress.isVisible()
    assert blocker.args[0] is True, blocker.args
    assert "10 analysed" in window.counts.text()
    aid = select_source(window, "sample-06")  # has emoji and right-to-left names
    text = window.article_view.text
    assert any(ord(c) > 0xFFFF for c in text)
    selections = window.article_view.extraSelections()
    entities = window.db.execute('SELECT start, "end" FROM entities WHERE article_id = ? '
                                 'ORDER BY start, "end"', [aid]).fetchall()
    assert len(selections) == len(entities) > 0
    doc_text = window.article_view.toPlainText()
    for sel, (start, end) in zip(selections, entities):
        assert sel.cursor.selectedText() == text[start:end]
        m = Utf16Map(text)
        assert (sel.cursor.selectionStart(), sel.cursor.selectionEnd()) == (m.to_qt(start),
                                                                           m.to_qt(end))
    assert doc_text == text


def test_app_starts_from_main_py_and_exits_cleanly(tmp_path):
    env = cli_env()
    env.update(QT_QPA_PLATFORM="offscreen", QUOTEBOOK_QUIT_AFTER_MS="1500")
    project = tmp_path / "gui.quotebook"
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--project", str(project),
                          "--analyst", "smoke"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert project.exists()
