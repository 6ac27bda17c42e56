"""The centre of the window: the open article's title and details, the entity legend (a
toggle per label) and the article view."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from .article_view import LABEL_COLOURS

LEGEND = ("PERSON", "ORG", "GPE", "NORP", "LOC", "DATE", "EVENT")


class ArticlePane(QWidget):
    """Title, details line and legend above ``view`` (an ArticleView); the legend's buttons
    show or hide the view's entity labels."""

    editDetails = Signal()  # the details button was clicked

    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.view = view
        self.title = QLabel()
        self.title.setObjectName("articleHeader")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = QLabel()
        self.meta.setTextFormat(Qt.PlainText)
        self.details = QToolButton()
        self.details.setObjectName("editDetails")
        self.details.setText("Edit details…")
        self.details.setToolTip("Title, outlet, author, date and url of this article "
                                "(Ctrl+Shift+D)")
        self.details.setAutoRaise(True)
        self.details.clicked.connect(self.editDetails)
        meta_row = QHBoxLayout()
        meta_row.setContentsMargins(0, 0, 0, 0)
        meta_row.addWidget(self.meta, 1)
        meta_row.addWidget(self.details)
        self.legend = self._legend()
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 0)
        col.addWidget(self.title)
        col.addLayout(meta_row)
        col.addWidget(self.legend)
        col.addWidget(view, 1)

    def show_article(self, article: dict, status: str = "") -> None:
        """The title (else the source) and outlet · date · author · ``status``."""
        self.title.setText(article["title"] or article["source"] or "")
        self.meta.setText(" · ".join(x for x in (article["outlet"],
                                                 (article["published"] or "")[:10],
                                                 article["author"], status) if x))

    def _legend(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("entityLegend")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.legend_buttons = {}
        for label in LEGEND:
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setChecked(True)
            button.setToolTip(f"Show or hide {label} entities")
            button.setStyleSheet(
                f"QToolButton {{ background: {LABEL_COLOURS[label]}; color: #111; border: 1px "
                f"solid #adb5bd; border-radius: 3px; padding: 1px 6px; }} QToolButton:!checked "
                f"{{ background: transparent; color: #868e96; border-style: dashed; }}")
            button.toggled.connect(self._legend_changed)
            row.addWidget(button)
            self.legend_buttons[label] = button
        row.addStretch(1)
        bar.setToolTip("Entity labels (a coloured fill): click to show or hide. Quotes: mine "
                       "are written in their speaker's colour and underlined; a dashed orange "
                       "underline is a suggestion; the current one is highlighted in yellow.")
        return bar

    def _legend_changed(self) -> None:
        self.view.set_hidden_labels(
            {label for label, b in self.legend_buttons.items() if not b.isChecked()})
