"""Suggestions > Re-suggest all articles: the analysis job with ``redo``, in the worker
process with the progress bar, decisions kept."""
from PySide6.QtCore import Qt

from annotator.editing import desk
from window_helpers import window  # noqa: F401 (fixture)


def _action(win, text):
    return next(a for a in win.findChildren(type(win.menuBar().actions()[0]))
                if a.text().replace("&", "") == text)


def test_resuggest_all_keeps_the_analysts_decisions(window, qtbot):
    resuggest = _action(window, "Re-suggest all articles (decisions kept)")
    assert not window.runner.running()
    with qtbot.waitSignal(window.runner.finished, timeout=120000):
        resuggest.trigger()   # the sample as shipped has no suggestions yet
    window.refresh()
    aid = window.annotation.article_id
    pending = [q["fragments"] for q in window.annotation.suggestions]
    assert pending
    window.article_view.setFocus()
    qtbot.keyClick(window.article_view, Qt.Key_A)   # accept the first suggestion
    mine = desk.article_quotes(window.db, aid, window.session.layer_id)
    stamps = dict(window.db.execute("SELECT id, analyzed_at FROM articles").fetchall())
    with qtbot.waitSignal(window.runner.finished, timeout=120000):
        resuggest.trigger()
    after = dict(window.db.execute("SELECT id, analyzed_at FROM articles").fetchall())
    assert all(after[i] > stamps[i] for i in stamps)   # every article, analysed ones too
    assert desk.article_quotes(window.db, aid, window.session.layer_id) == mine
    window.refresh()
    # the accepted one is not proposed again; the others are, afresh
    assert [q["fragments"] for q in window.annotation.suggestions] == pending[1:]
