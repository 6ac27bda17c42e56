"""The article view: plain text (never HTML) with entities, quotes and suggestions drawn as
character formats; tooltips name what is under the mouse; clicks pick quotes and mentions."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip

from annotator.offsets import Utf16Map

from .plain import tip

LABEL_COLOURS = {
    "PERSON": "#ffd8a8", "ORG": "#b2f2bb", "GPE": "#a5d8ff", "NORP": "#eebefa",
    "LOC": "#99e9f2", "DATE": "#e9ecef", "TIME": "#e9ecef", "EVENT": "#ffc9c9",
    "FAC": "#d0bfff", "LAW": "#fcc2d7", "PRODUCT": "#c3fae8", "MONEY": "#fff3bf",
    "PERCENT": "#fff3bf", "CARDINAL": "#f1f3f5", "ORDINAL": "#f1f3f5", "QUANTITY": "#f1f3f5",
    "WORK_OF_ART": "#ffe8cc", "LANGUAGE": "#e7f5ff",
}
OTHER = "#f1f3f5"
# speakers: dark inks (text and underline of a quote), never a pastel fill, so that they are
# not taken for an entity label's; readable on white and on any label's fill (contrast >= 3)
SPEAKER_COLOURS = ["#1c4f8a", "#a33a00", "#0b6b4d", "#8e2c6e", "#5c3d99", "#0a5f6e",
                   "#7a4a1f", "#495057", "#3d6b00", "#9c2a2a"]
CURRENT = "#ffd43b"  # the current quote or suggestion: a highlighter over everything
HIT, CURRENT_HIT = "#9775fa", "#5f3dc4"  # search hits: white on violet, the current darker
SUGGESTION = "#e8590c"
LAYER_COLOURS = ["#7048e8", "#1098ad", "#c2255c", "#5c940d", "#e67700", "#364fc7"]
NO_SPEAKER = "#495057"


def speaker_colour(speaker_id) -> str:
    return NO_SPEAKER if speaker_id is None else SPEAKER_COLOURS[speaker_id % len(SPEAKER_COLOURS)]


class ArticleView(QPlainTextEdit):
    """Read-only article text. ``show_article`` draws everything; offsets are code points."""

    quoteClicked = Signal(str)
    entityClicked = Signal(int, int, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setAccessibleName("Article text")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.setFont(font)
        self.document().setDocumentMargin(14)
        self.text = ""
        self.offsets = Utf16Map("")
        self.entities: list[dict] = []
        self.quotes: list[dict] = []
        self.suggestions: list[dict] = []
        self.others: list[tuple[str, str, list[dict]]] = []  # (layer name, colour, quotes)
        self.current_uuid: str | None = None
        self.hidden_labels: set[str] = set()
        self._entity_selections = None  # built once per article (the bulk of the formats)
        self.picking = False  # the next click on a mention sets the current quote's speaker
        self.hits: list[tuple[int, int]] = []  # the article list's search words in the text
        self.hit = -1  # the current one (F3 / Shift+F3), -1: none

    # -- drawing ---------------------------------------------------------------------------
    def show_article(self, text: str, entities, quotes, suggestions, *, current_uuid=None,
                     keep_scroll: bool = False, others=()) -> None:
        """Draw the article; ``others``: [(layer name, colour, quotes)] shown over mine."""
        scroll = self.verticalScrollBar().value()
        if text != self.text:
            self.text = text
            self.offsets = Utf16Map(text)
            self.setPlainText(text)  # plain text: "<b>" shows as "<b>"
            self.hits, self.hit = [], -1  # another text: its hits are found anew
            keep_scroll = False
        if entities is not self.entities:
            self.entities = entities
            self._entity_selections = None
        self.quotes, self.suggestions, self.others = quotes, suggestions, list(others)
        self.current_uuid = current_uuid
        self.redraw()
        if keep_scroll:
            self.verticalScrollBar().setValue(scroll)

    def _selection(self, start: int, end: int, fmt: QTextCharFormat):
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self.document())
        cur.setPosition(self.offsets.to_qt(start))
        cur.setPosition(self.offsets.to_qt(end), QTextCursor.KeepAnchor)
        sel.cursor, sel.format = cur, fmt
        return sel

    def redraw(self) -> None:
        selections = []
        for _name, colour, quotes in self.others:  # other layers: a wavy underline in theirs
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.WaveUnderline)
            fmt.setUnderlineColor(QColor(colour))
            for q in quotes:
                for s, e in q["fragments"]:
                    selections.append(self._selection(s, e, fmt))
        for q in self.suggestions:  # outlined: a dashed underline, no fill
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.DashUnderline)
            fmt.setUnderlineColor(QColor(SUGGESTION))
            for s, e in q["fragments"]:
                selections.append(self._selection(s, e, fmt))
        for q in self.quotes:  # mine: text and a solid underline in the speaker's ink
            colour = QColor(speaker_colour(q["speaker_id"]))
            fmt = QTextCharFormat()
            fmt.setForeground(colour)
            fmt.setUnderlineStyle(QTextCharFormat.SingleUnderline)
            fmt.setUnderlineColor(colour)
            for s, e in q["fragments"]:
                selections.append(self._selection(s, e, fmt))
        if self._entity_selections is None:
            formats = {}
            for label in {e["label"] for e in self.entities}:
                fmt = formats[label] = QTextCharFormat()
                fmt.setBackground(QColor(LABEL_COLOURS.get(label, OTHER)))
            self._entity_selections = [
                self._selection(e["start"], e["end"], formats[e["label"]]) for e in self.entities
                if e["label"] not in self.hidden_labels]
        selections += self._entity_selections
        for q in self.quotes + self.suggestions:  # the current one on top of everything
            if q["uuid"] != self.current_uuid:
                continue
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(CURRENT))
            for s, e in q["fragments"]:
                selections.append(self._selection(s, e, fmt))
            if q["speaker_start"] is not None:  # its speaker's mention and its cue
                fmt = QTextCharFormat()
                fmt.setFontWeight(QFont.Bold)
                fmt.setUnderlineStyle(QTextCharFormat.SingleUnderline)
                fmt.setUnderlineColor(QColor(speaker_colour(q["speaker_id"])))
                selections.append(self._selection(q["speaker_start"], q["speaker_end"], fmt))
            if q["cue_start"] is not None:
                fmt = QTextCharFormat()
                fmt.setFontItalic(True)
                fmt.setFontWeight(QFont.DemiBold)
                selections.append(self._selection(q["cue_start"], q["cue_end"], fmt))
        for i, (s, e) in enumerate(self.hits):  # search hits: on top, white on violet
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(CURRENT_HIT if i == self.hit else HIT))
            fmt.setForeground(QColor("white"))
            selections.append(self._selection(s, e, fmt))
        self.setExtraSelections(selections)

    def show_hits(self, hits, current: int = -1) -> None:
        """Mark the search ``hits`` [(start, end)]; scroll to the ``current`` one."""
        self.hits, self.hit = list(hits), current
        self.redraw()
        if 0 <= current < len(self.hits):
            cur = QTextCursor(self.document())
            cur.setPosition(self.offsets.to_qt(self.hits[current][0]))
            self.setTextCursor(cur)
            self.ensureCursorVisible()

    def set_hidden_labels(self, labels) -> None:
        self.hidden_labels = set(labels)
        self._entity_selections = None
        self.redraw()

    def scroll_to(self, start: int) -> None:
        cur = QTextCursor(self.document())
        cur.setPosition(self.offsets.to_qt(start))
        self.setTextCursor(cur)
        self.centerCursor()

    def selection_span(self) -> tuple[int, int] | None:
        """The selected text as code point offsets, or None."""
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        return (self.offsets.from_qt(cur.selectionStart()),
                self.offsets.from_qt(cur.selectionEnd()))

    def select_span(self, start: int, end: int) -> None:
        cur = QTextCursor(self.document())
        cur.setPosition(self.offsets.to_qt(start))
        cur.setPosition(self.offsets.to_qt(end), QTextCursor.KeepAnchor)
        self.setTextCursor(cur)

    # -- what is where ---------------------------------------------------------------------
    def offset_at(self, pos) -> int:
        return self.offsets.from_qt(self.cursorForPosition(pos).position())

    def spans_at(self, offset: int):
        ents = [e for e in self.entities if e["start"] <= offset < e["end"]]
        quotes = [q for q in self.quotes if any(s <= offset < e for s, e in q["fragments"])]
        suggs = [q for q in self.suggestions if any(s <= offset < e for s, e in q["fragments"])]
        return ents, quotes, suggs

    def describe(self, offset: int) -> str:
        ents, quotes, suggs = self.spans_at(offset)
        lines = [f"{e['label']}: {self.text[e['start']:e['end']]}" for e in ents
                 if e["label"] not in self.hidden_labels]
        for q in quotes:
            lines.append(f"Quote ({q['kind']}) by {q['speaker'] or 'no speaker yet'}"
                         + (f" · {q['position']}" if q["position"] else ""))
        for q in suggs:
            conf = f" {q['confidence']:.2f}" if q["confidence"] is not None else ""
            lines.append(f"Suggested quote{conf} by {q['speaker'] or '?'} (A accept, R reject)")
        for name, _colour, quotes in self.others:
            for q in quotes:
                if any(s <= offset < e for s, e in q["fragments"]):
                    lines.append(f"{name}: quote by {q['speaker'] or 'no speaker'}"
                                 + (f" · {q['position']}" if q["position"] else ""))
        return "\n".join(lines)

    def event(self, ev) -> bool:
        if ev.type() == QEvent.ToolTip:
            text = self.describe(self.offset_at(self.viewport().mapFromGlobal(ev.globalPos())))
            if text:
                QToolTip.showText(ev.globalPos(), tip(text), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(ev)

    def mouseReleaseEvent(self, ev) -> None:
        super().mouseReleaseEvent(ev)
        if ev.button() != Qt.LeftButton or self.textCursor().hasSelection():
            return
        offset = self.offset_at(ev.position().toPoint())
        ents, quotes, suggs = self.spans_at(offset)
        people = [e for e in ents if e["label"] in ("PERSON", "ORG", "NORP", "GPE")]
        if people and (self.picking or ev.modifiers() & Qt.ControlModifier):
            e = people[0]
            self.entityClicked.emit(e["start"], e["end"], self.text[e["start"]:e["end"]])
            return
        if quotes or suggs:
            self.quoteClicked.emit((quotes or suggs)[0]["uuid"])
