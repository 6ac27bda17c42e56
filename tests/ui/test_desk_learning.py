"""Learning in the window: a suggestion accepted with another speaker teaches the registry
(one undo step forgets it); Suggestions > Re-suggest all articles: the analysis job with
``redo``, in the worker process with the progress bar, decisions kept."""
import re

from PySide6.QtCore import Qt

from annotator.editing import desk
from annotator.editing.edits import add_quote
from annotator.editing.speakers import add_speaker
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


def test_accepting_a_suggestion_with_another_speaker_learns_and_undo_forgets(window, qtbot):
    aid = window.annotation.article_id
    text = window.db.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()[0]
    name = re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text)
    wrong = add_speaker(window.db, "Somebody Else")
    add_quote(window.db, article_id=aid, layer="suggestions", fragments=[(0, 20)],
              status="suggested", speaker_id=wrong, speaker_span=name.span())
    window.refresh()
    window.article_view.setFocus()
    assert window.quote_panel.is_suggestion(window.quote_panel.current())
    window.annotation.set_speaker("Ada Lovelace")   # staged, taken on accepting
    qtbot.keyClick(window.article_view, Qt.Key_Return)
    ada = window.db.execute("SELECT id FROM speakers WHERE name = 'Ada Lovelace'").fetchone()[0]
    aliases = lambda: [r[0] for r in window.db.execute(  # noqa: E731
        "SELECT alias FROM speaker_aliases WHERE speaker_id = ?", [ada])]
    assert aliases() == [name.group()]
    qtbot.keyClick(window.article_view, Qt.Key_Z, Qt.ControlModifier)   # one step
    assert window.db.execute("SELECT count(*) FROM speaker_aliases WHERE alias = ?",
                             [name.group()]).fetchone()[0] == 0
    assert window.quote_panel.is_suggestion(window.quote_panel.current())
