"""The article view: plain text (never HTML) with entities highlighted by label."""
from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from annotator.offsets import Utf16Map

LABEL_COLOURS = {
    "PERSON": "#ffd8a8", "ORG": "#b2f2bb", "GPE": "#a5d8ff", "NORP": "#eebefa",
    "LOC": "#99e9f2", "DATE": "#e9ecef", "TIME": "#e9ecef", "EVENT": "#ffc9c9",
    "FAC": "#d0bfff", "LAW": "#fcc2d7", "PRODUCT": "#c3fae8",
}
OTHER = "#f1f3f5"


class ArticleView(QPlainTextEdit):
    """Read-only article text; ``show_article`` draws the entity highlights as selections."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setAccessibleName("Article text")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.text = ""

    def show_article(self, text: str, entities: list[dict]) -> None:
        self.text = text
        self.setPlainText(text)  # plain text: "<b>" shows as "<b>"
        offsets = Utf16Map(text)
        selections = []
        for ent in entities:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(LABEL_COLOURS.get(ent["label"], OTHER)))
            fmt.setForeground(QColor("#111111"))
            fmt.setToolTip(ent["label"])
            sel.format = fmt
            cur = QTextCursor(self.document())
            cur.setPosition(offsets.to_qt(ent["start"]))
            cur.setPosition(offsets.to_qt(ent["end"]), QTextCursor.KeepAnchor)
            sel.cursor = cur
            selections.append(sel)
        self.setExtraSelections(selections)
        self.moveCursor(QTextCursor.Start)
