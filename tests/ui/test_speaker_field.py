"""Speakers are chosen, never duplicated by accident (issue 11, part 2): Enter takes the
highlighted completion, a name the registry resolves is that speaker, a click on a mention
resolves as the suggestions do, and a new speaker is an explicit choice."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.editing import desk
from annotator.editing.speakers import add_speaker
from window_helpers import window  # noqa: F401 (fixture)


def open_source(win, qtbot, source):
    win.activateWindow()   # the window's keys (Q) need it active: wait for it
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=2000)
    aid = win.db.execute("SELECT id FROM articles WHERE source = ?", [source]).fetchone()[0]
    assert win.articles.select(aid)
    return aid


def tag(win, qtbot, start, end):
    win.article_view.setFocus()
    win.article_view.select_span(start, end)
    qtbot.keyClick(win.article_view, Qt.Key_Q)


def key(qtbot, win, k, modifier=Qt.NoModifier):
    """A key as the analyst presses it: to the completion popup while it is open."""
    qtbot.keyClick(QApplication.activePopupWidget() or win.quote_panel.speaker_edit, k, modifier)


def speakers(win):
    return [r["name"] for r in desk.speakers_table(win.db)]


def the_quote(win, aid):
    (q,) = desk.article_quotes(win.db, aid, win.session.layer_id)
    return q


@pytest.fixture
def coding(window, qtbot):
    """sample-01 open, a quote tagged (Q), the keyboard in the speaker field."""
    reg = {"Wang Yi": add_speaker(window.db, "Wang Yi", role="Foreign Minister",
                                  organisation="China"),
           "Mike Pompeo": add_speaker(window.db, "Mike Pompeo", role="Secretary of State",
                                      organisation="United States", aliases=("Michael Pompeo",)),
           "Sergey Lavrov": add_speaker(window.db, "Sergey Lavrov", role="Foreign Minister",
                                        organisation="Russia")}
    window.refresh()
    aid = open_source(window, qtbot, "sample-01")
    text = window.annotation.text
    start = text.index("“We have waited")
    tag(window, qtbot, start, text.index("river,”") + 7)
    assert window.quote_panel.speaker_edit.hasFocus()
    return window, aid, reg


def test_enter_takes_the_highlighted_completion(coding, qtbot):
    win, aid, reg = coding
    before = speakers(win)
    qtbot.keyClicks(win.quote_panel.speaker_edit, "Wang")
    with qtbot.waitSignal(win.session.changed, timeout=2000):
        key(qtbot, win, Qt.Key_Return)
    assert the_quote(win, aid)["speaker_id"] == reg["Wang Yi"]
    assert speakers(win) == before                       # no new speaker "Wang"


@pytest.mark.parametrize("typed, name", [("wang yi", "Wang Yi"), ("MIKE POMPEO", "Mike Pompeo"),
                                         ("Michael Pompeo", "Mike Pompeo"),
                                         ("Pompeo", "Mike Pompeo"),
                                         ("Sergei Lavrov", "Sergey Lavrov")])
def test_a_name_the_registry_resolves_is_that_speaker(coding, qtbot, typed, name):
    win, aid, reg = coding
    before = speakers(win)
    qtbot.keyClicks(win.quote_panel.speaker_edit, typed)
    if QApplication.activePopupWidget():
        key(qtbot, win, Qt.Key_Escape)                   # the popup closed: the name alone
    with qtbot.waitSignal(win.session.changed, timeout=2000):
        key(qtbot, win, Qt.Key_Return)
    assert the_quote(win, aid)["speaker_id"] == reg[name]
    assert speakers(win) == before


def test_an_ambiguous_name_is_chosen_never_picked(coding, qtbot):
    win, aid, reg = coding
    wei = add_speaker(win.db, "Wang Wei", role="Spokesman", organisation="Xinhua")
    messages = []
    win.annotation.message.connect(messages.append)
    qtbot.keyClicks(win.quote_panel.speaker_edit, "Wang")
    popup = QApplication.activePopupWidget()
    labels = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert labels == ["Wang Wei \u2014 Spokesman, Xinhua", "Wang Yi \u2014 Foreign Minister, China",
                      "New speaker: Wang"]
    key(qtbot, win, Qt.Key_Return)                       # nothing highlighted: nothing set
    assert the_quote(win, aid)["speaker_id"] is None and "Wang Wei" in messages[-1]
    assert win.quote_panel.speaker_edit.text() == "Wang"
    key(qtbot, win, Qt.Key_Backspace)                    # the popup again
    qtbot.keyClicks(win.quote_panel.speaker_edit, "g")
    for _ in range(2):
        key(qtbot, win, Qt.Key_Down)                     # to Wang Yi
    with qtbot.waitSignal(win.session.changed, timeout=2000):
        key(qtbot, win, Qt.Key_Return)
    assert the_quote(win, aid)["speaker_id"] == reg["Wang Yi"]
    assert win.quote_panel.speaker_edit.text() == "Wang Yi"   # the name, not the label
    assert wei and "Wang" not in speakers(win)


def test_a_new_speaker_is_an_explicit_choice(coding, qtbot):
    win, aid, reg = coding
    messages = []
    win.annotation.message.connect(messages.append)
    qtbot.keyClicks(win.quote_panel.speaker_edit, "Anna Kovacs")
    if QApplication.activePopupWidget():
        key(qtbot, win, Qt.Key_Escape)
    key(qtbot, win, Qt.Key_Return)                       # Enter alone creates nothing
    assert the_quote(win, aid)["speaker_id"] is None and "Anna Kovacs" not in speakers(win)
    assert "Shift+Enter" in messages[-1]
    with qtbot.waitSignal(win.session.changed, timeout=2000):
        key(qtbot, win, Qt.Key_Return, Qt.ShiftModifier)
    assert the_quote(win, aid)["speaker"] == "Anna Kovacs"
    assert speakers(win).count("Anna Kovacs") == 1
    # undo takes back the speaker and its creation in one step
    win.article_view.setFocus()
    qtbot.keyClick(win.article_view, Qt.Key_Z, Qt.ControlModifier)
    assert the_quote(win, aid)["speaker_id"] is None and "Anna Kovacs" not in speakers(win)


def test_the_new_speaker_entry_of_the_completion_creates_one(coding, qtbot):
    win, aid, reg = coding
    qtbot.keyClicks(win.quote_panel.speaker_edit, "Anna Kovacs")
    popup = QApplication.activePopupWidget()
    assert popup.model().index(popup.model().rowCount() - 1, 0).data() == \
        "New speaker: Anna Kovacs"
    key(qtbot, win, Qt.Key_Up)                           # the last entry
    with qtbot.waitSignal(win.session.changed, timeout=2000):
        key(qtbot, win, Qt.Key_Return)
    assert the_quote(win, aid)["speaker"] == "Anna Kovacs"


def click_mention(win, qtbot, offset):
    view = win.article_view
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_qt(offset + 2))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier,
                     view.cursorRect(cursor).center())


def test_clicking_a_surname_after_q_gives_the_registered_speaker(window, qtbot):
    aid = open_source(window, qtbot, "sample-01")
    text = window.annotation.text
    kovacs = add_speaker(window.db, "Anna Kovacs", role="Foreign Minister",
                         organisation="Estmark")
    surname = text.index("Kovacs said the first")
    window.article_view.select_span(surname, surname + len("Kovacs"))
    window.annotation.add_entity("PERSON")
    before = speakers(window)
    tag(window, qtbot, text.index("“We have waited"), text.index("river,”") + 7)
    with qtbot.waitSignal(window.session.changed, timeout=2000):
        click_mention(window, qtbot, surname)
    q = the_quote(window, aid)
    assert q["speaker_id"] == kovacs and speakers(window) == before   # not a new "Kovacs"
    assert (q["speaker_start"], q["speaker_end"]) == (surname, surname + len("Kovacs"))


def test_clicking_a_surname_takes_the_articles_full_name(window, qtbot):
    aid = open_source(window, qtbot, "sample-01")
    text = window.annotation.text
    full = text.index("Anna Kovacs")
    surname = text.index("Kovacs said the first")
    for s, e in ((full, full + len("Anna Kovacs")), (surname, surname + len("Kovacs"))):
        window.article_view.select_span(s, e)
        window.annotation.add_entity("PERSON")
    tag(window, qtbot, text.index("“We have waited"), text.index("river,”") + 7)
    with qtbot.waitSignal(window.session.changed, timeout=2000):
        click_mention(window, qtbot, surname)
    assert the_quote(window, aid)["speaker"] == "Anna Kovacs"
    assert speakers(window) == ["Anna Kovacs"]


def test_clicking_an_ambiguous_surname_asks_which(window, qtbot):
    aid = open_source(window, qtbot, "sample-01")
    text = window.annotation.text
    add_speaker(window.db, "Anna Kovacs", role="Foreign Minister", organisation="Estmark")
    add_speaker(window.db, "Peter Kovacs", role="Mayor", organisation="Halvorsen")
    surname = text.index("Kovacs said the first")
    window.article_view.select_span(surname, surname + len("Kovacs"))
    window.annotation.add_entity("PERSON")
    messages = []
    window.annotation.message.connect(messages.append)
    tag(window, qtbot, text.index("“We have waited"), text.index("river,”") + 7)
    with qtbot.waitSignal(window.annotation.message, timeout=2000):
        click_mention(window, qtbot, surname)
    assert the_quote(window, aid)["speaker_id"] is None        # no silent pick
    assert "Anna Kovacs \u2014 Foreign Minister, Estmark" in messages[-1]
    assert "Peter Kovacs \u2014 Mayor, Halvorsen" in messages[-1]
    assert window.quote_panel.speaker_edit.hasFocus()
    assert window.quote_panel.speaker_edit.text() == "Kovacs"
    assert len(speakers(window)) == 2


def test_a_click_on_a_completion_takes_it(coding, qtbot):
    win, aid, reg = coding
    add_speaker(win.db, "Wang Wei", role="Spokesman", organisation="Xinhua")
    qtbot.keyClicks(win.quote_panel.speaker_edit, "Wang")
    popup = QApplication.activePopupWidget()
    index = popup.model().index(1, 0)
    assert index.data() == "Wang Yi \u2014 Foreign Minister, China"
    with qtbot.waitSignal(win.session.changed, timeout=2000):
        qtbot.mouseClick(popup.viewport(), Qt.LeftButton, Qt.NoModifier,
                         popup.visualRect(index).center())
    assert the_quote(win, aid)["speaker_id"] == reg["Wang Yi"]
    assert win.quote_panel.speaker_edit.text() == "Wang Yi"
