"""What the article view draws: the current quote stands out over everything, and a speaker's
colour never looks like an entity label's (issue 11, Deliver 5)."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextFormat

from annotator.editing.edits import AddEntity

from test_coding_keys import current, press, seed
from ui.article_view import LABEL_COLOURS, SPEAKER_COLOURS, speaker_colour
from window_helpers import window  # noqa: F401 (fixture)


def luminance(colour: QColor) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green())
            + 0.0722 * channel(colour.blue()))


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def drawn(view, offset: int, prop) -> list:
    """The extra selections over the character at ``offset`` that set ``prop``, in order."""
    qt = view.offsets.to_qt(offset)
    return [QTextCharFormat(s.format) for s in view.extraSelections()
            if s.cursor.selectionStart() <= qt < s.cursor.selectionEnd()
            and s.format.hasProperty(prop)]


def test_the_current_suggestion_stands_out_over_entities(window, qtbot):
    aid, text, _ = seed(window)
    walls = text.index("sea walls")  # an entity inside the first quote
    assert window.session.run(AddEntity(article_id=aid, start=walls, end=walls + 9,
                                        label="LOC", layer_id=window.session.layer_id,
                                        actor="tester"))
    window.refresh()  # the entity drawn
    view, uid = window.article_view, current(window)  # the first suggestion, on opening
    suggestion = next(q for q in view.suggestions if q["uuid"] == uid)
    (start, end), = suggestion["fragments"]
    entity_inside = [e for e in view.entities if start <= e["start"] < end]
    assert entity_inside, "the seeded suggestion has an entity inside"
    white = QColor("white")
    for offset in range(start, end):
        top = drawn(view, offset, QTextFormat.BackgroundBrush)[-1].background().color()
        assert contrast(top, white) >= 1.25, (offset, top.name())
    label = QColor(LABEL_COLOURS[entity_inside[0]["label"]])
    top = drawn(view, entity_inside[0]["start"], QTextFormat.BackgroundBrush)[-1]
    assert top.background().color() != label  # the current quote is on top


def test_speaker_colours_are_not_entity_colours(window, qtbot):
    aid, _text, _ = seed(window)
    press(qtbot, window, Qt.Key_1)  # accepted: now one of my quotes, and the next is current
    view = window.article_view
    (mine,) = view.quotes
    assert mine["uuid"] != current(window)
    (start, _end), = mine["fragments"]
    plain = [o for o in range(*mine["fragments"][0])
             if not any(e["start"] <= o < e["end"] for e in view.entities)]
    # a quote of mine is drawn in its speaker's colour (text and underline), with no fill
    assert not drawn(view, plain[0], QTextFormat.BackgroundBrush)
    ink = drawn(view, plain[0], QTextFormat.ForegroundBrush)[-1].foreground().color()
    assert ink == QColor(speaker_colour(mine["speaker_id"]))
    for colour in SPEAKER_COLOURS:  # dark inks, readable on white and on any label's fill
        for fill in [*LABEL_COLOURS.values(), "#ffffff"]:
            assert contrast(QColor(colour), QColor(fill)) >= 3.0, (colour, fill)
