"""The coding loop by keyboard (issue 11, part 1): one key for a right suggestion, N and J
from any state, a quote list whose order never surprises."""
from PySide6.QtCore import Qt

from annotator.editing import desk
from annotator.editing.edits import add_quote
from annotator.editing.registry import CreateSpeaker
from window_helpers import window  # noqa: F401 (fixture)


def press(qtbot, win, key, modifier=Qt.NoModifier, *, edit=True):
    """Press ``key`` in the article as an analyst would, and wait for what it causes: an edit
    on disk (``edit``) or a new current item of the quote list."""
    signal = win.session.changed if edit else win.quote_panel.currentChanged
    win.article_view.setFocus()
    with qtbot.waitSignal(signal, timeout=3000):
        qtbot.keyClick(win.article_view, key, modifier)


def seed(win):
    """Sample-03 with three pending suggestions, most confident in the middle of the text."""
    db = win.db
    aid = db.execute("SELECT id FROM articles WHERE source = 'sample-03'").fetchone()[0]
    text = db.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()[0]
    okafor = CreateSpeaker(name="Daniel Okafor", actor="tester")
    okafor.apply(db)

    def span(s, end_mark):
        start = text.index(s)
        return start, text.index(end_mark, start) + len(end_mark)

    def suggest(quote, end, cue, confidence, kind="direct", mention="Daniel Okafor"):
        m = text.index(mention)
        c = text.index(cue, m)
        return add_quote(db, article_id=aid, layer="suggestions", fragments=[span(quote, end)],
                         status="suggested", confidence=confidence, kind=kind,
                         speaker_id=okafor.speaker_id, speaker_span=(m, m + len(mention)),
                         cue_span=(c, c + len(cue)))

    s1 = suggest("“We came close", "walls.”", "said", 0.6)
    s2 = suggest("“The money", "after it,”", "added", 0.9)
    s3 = suggest("his delegation", "two weeks", "said", 0.7, kind="indirect",
                 mention="Okafor said")
    assert win.articles.select(aid)
    win.refresh()
    return aid, text, [s1, s2, s3]


def mine(win, aid, **kw):
    return desk.article_quotes(win.db, aid, win.session.layer_id, **kw)


def current(win):
    q = win.quote_panel.current()
    return q["uuid"] if q else None


def test_a_digit_on_a_suggestion_codes_it_and_moves_to_the_next_in_the_text(window, qtbot):
    aid, _text, (s1, s2, s3) = seed(window)
    assert current(window) == s1  # on opening: the first in the text, not the most confident
    suggestion = next(q for q in window.annotation.suggestions if q["uuid"] == s1)
    position = window.quote_panel.position_for_key("2")
    press(qtbot, window, Qt.Key_2)  # one key
    (q,) = mine(window, aid)
    assert q["origin_uuid"] == s1 and q["status"] == "accepted"
    assert q["position_id"] == position["id"] and q["topic_id"] is not None
    for field in ("speaker_id", "speaker_start", "speaker_end", "cue_start", "cue_end",
                  "kind", "fragments"):
        assert q[field] == suggestion[field], field
    assert current(window) == s2  # the next suggestion in the text
    # one undo step takes back the position and the accept
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert mine(window, aid, include_rejected=True) == []
    assert {q["uuid"] for q in window.annotation.suggestions} == {s1, s2, s3}
    assert current(window) == s1  # the suggestion is current again, to decide anew
    press(qtbot, window, Qt.Key_Z, Qt.ShiftModifier | Qt.ControlModifier)
    (q,) = mine(window, aid)
    assert (q["origin_uuid"], q["position_id"]) == (s1, position["id"])


def test_enter_accepts_without_a_position_and_r_rejects_and_moves_on(window, qtbot):
    aid, _text, (s1, s2, s3) = seed(window)
    assert current(window) == s1  # on opening, ready for the first key
    press(qtbot, window, Qt.Key_Return)
    (q,) = mine(window, aid)
    assert (q["origin_uuid"], q["position_id"]) == (s1, None)
    assert current(window) == s2
    press(qtbot, window, Qt.Key_R)
    assert current(window) == s3
    decided = {q["origin_uuid"]: q["status"] for q in mine(window, aid, include_rejected=True)}
    assert decided == {s1: "accepted", s2: "rejected"}
    press(qtbot, window, Qt.Key_3)  # the last one: coded, and the list stays on it
    assert window.annotation.suggestions == []
    assert current(window) == next(q["uuid"] for q in mine(window, aid)
                                   if q["origin_uuid"] == s3)
    # the quote list in text order: the accepted quotes where the suggestions were
    starts = [q["start"] for q in window.quote_panel.items]
    assert starts == sorted(starts) and len(starts) == 2


def test_n_after_r_when_my_quote_comes_first(window, qtbot):
    aid, text, (s1, s2, s3) = seed(window)
    add_quote(window.db, article_id=aid, layer="tester", fragments=[(0, 12)])
    window.refresh()
    window.quote_panel.select_uuid(s3)
    press(qtbot, window, Qt.Key_R)  # the last in the text: on to the first again
    assert current(window) == s1
    window.quote_panel.list.setCurrentRow(-1)  # no row current: N goes on from s1's place
    press(qtbot, window, Qt.Key_N, edit=False)
    assert current(window) == s2


def test_n_and_j_after_delete_and_undo_and_on_reopening_a_coded_article(window, qtbot):
    aid, text, (s1, s2, s3) = seed(window)
    first = add_quote(window.db, article_id=aid, layer="tester", fragments=[(0, 12)])
    window.refresh()
    # reopening a coded article: the first suggestion is current, though my quote comes first
    other = window.db.execute("SELECT id FROM articles WHERE source = 'sample-01'").fetchone()[0]
    assert window.articles.select(other)
    assert window.articles.select(aid)
    assert current(window) == s1 and window.quote_panel.items[0]["uuid"] == first
    window.quote_panel.list.setCurrentRow(-1)  # nothing current, my quote the first row
    press(qtbot, window, Qt.Key_N, edit=False)
    assert current(window) == s2  # on from where it was
    window.quote_panel.select_uuid(s1)
    # Del of my quote: N goes on from where it was
    press(qtbot, window, Qt.Key_J, Qt.ShiftModifier, edit=False)
    assert current(window) == first
    press(qtbot, window, Qt.Key_Delete)
    assert mine(window, aid) == []
    press(qtbot, window, Qt.Key_N, edit=False)
    assert current(window) == s1
    # Ctrl+Z of a tagged quote: N and J still move
    window.article_view.select_span(0, 12)
    press(qtbot, window, Qt.Key_Q)
    window.article_view.setFocus()
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)  # the quote tagged by Q
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)  # the deletion: my quote is back
    assert [q["uuid"] for q in mine(window, aid)] == [first]
    press(qtbot, window, Qt.Key_N, edit=False)
    assert window.quote_panel.is_suggestion(window.quote_panel.current())
    window.quote_panel.list.setCurrentRow(-1)
    press(qtbot, window, Qt.Key_J, edit=False)
    assert current(window) is not None


def test_f1_help_names_the_one_key_accept():
    from ui.shortcuts import KEYS
    text = " ".join(t for _k, t in KEYS.values())
    assert "suggestion" in KEYS["positions"][1] and "Enter" in {k for k, _t in KEYS.values()}
    assert "next suggestion" in text.lower()


def test_s_t_k_change_a_suggestion_before_the_digit_accepts_it(window, qtbot):
    aid, _text, (s1, s2, s3) = seed(window)
    assert current(window) == s1
    first_topic = window.quote_panel.current_topic()
    window.article_view.setFocus()
    qtbot.keyClick(window.article_view, Qt.Key_S)
    edit = window.quote_panel.speaker_edit
    assert edit.hasFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Anna Kovacs")
    qtbot.keyClick(edit, Qt.Key_Return, Qt.ShiftModifier)   # a new speaker: an explicit choice
    assert window.article_view.hasFocus() and mine(window, aid) == []  # not accepted yet
    qtbot.keyClick(window.article_view, Qt.Key_T)
    topic = window.quote_panel.current_topic()
    assert topic != first_topic
    qtbot.keyClick(window.article_view, Qt.Key_K)
    position = window.quote_panel.position_for_key("1")
    press(qtbot, window, Qt.Key_1)
    (q,) = mine(window, aid)
    assert (q["origin_uuid"], q["speaker"], q["topic_id"], q["position_id"], q["kind"]) == \
        (s1, "Anna Kovacs", topic, position["id"], "indirect")
    assert current(window) == s2
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)  # one step: quote and new speaker
    assert mine(window, aid) == []
    assert [r["name"] for r in desk.speakers_table(window.db)] == ["Daniel Okafor"]


def test_shift_t_cycles_topics_backwards(window, qtbot):
    seed(window)
    box = window.quote_panel.topic_box
    assert box.count() >= 3
    start = box.currentIndex()
    window.article_view.setFocus()
    qtbot.keyClick(window.article_view, Qt.Key_T, Qt.ShiftModifier)
    assert box.currentIndex() == (start - 1) % box.count()
    qtbot.keyClick(window.article_view, Qt.Key_T)
    assert box.currentIndex() == start


def test_suggestions_that_arrive_after_opening_are_ready_for_the_first_key(window, qtbot):
    aid = window.db.execute("SELECT id FROM articles WHERE source = 'sample-03'").fetchone()[0]
    window.db.execute("DELETE FROM quotes WHERE article_id = ? AND layer_id = (SELECT id FROM "
                      "layers WHERE name = 'suggestions')", [aid])
    window.db.conn.commit()
    assert window.articles.select(aid)
    assert current(window) is None and window.annotation.suggestions == []
    _aid, _text, (s1, _s2, _s3) = seed(window)  # as the analysis ending would, then a refresh
    assert current(window) == s1
