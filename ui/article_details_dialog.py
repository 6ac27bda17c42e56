"""Edit the open article's details (title, outlet, author, date, url): one undoable edit
(``annotator.editing.article_details``), refused in the dialog when a field is wrong."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout

from annotator.editing.article_details import DETAILS, EditArticleDetails, check_details

from .plain import label

TITLES = {"title": "Title", "outlet": "Outlet", "author": "Author",
          "published": "Date (YYYY-MM-DD)", "url": "URL"}


class ArticleDetailsDialog(QDialog):
    """The details of ``article`` ({detail: value}); ``accept`` runs the edit through
    ``session`` and closes only when it is on disk."""

    def __init__(self, session, article_id: int, article: dict, parent=None):
        super().__init__(parent)
        self.setObjectName("articleDetails")
        self.setWindowTitle("Article details")
        self.session, self.article_id, self.article = session, article_id, article
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key in DETAILS:
            edit = QLineEdit(article.get(key) or "", self)
            edit.setObjectName(f"detail_{key}")
            edit.setMinimumWidth(360)
            form.addRow(TITLES[key] + ":", edit)
            self.edits[key] = edit
        self.edits["published"].setPlaceholderText("e.g. 2026-01-14")
        self.error = label("", self)
        self.error.setObjectName("detailsError")
        self.error.setStyleSheet("color: #c92a2a")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def changed(self) -> dict:
        """The details whose text differs from the article's (checked, stripped)."""
        typed = check_details({k: e.text() for k, e in self.edits.items()})
        return {k: v for k, v in typed.items() if v != (self.article.get(k) or None)}

    def accept(self) -> None:
        try:
            fields = self.changed()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        if fields:
            refused: list[str] = []

            def note(message: str) -> None:
                refused.append(message)
            self.session.failed.connect(note)
            try:
                self.session.run(EditArticleDetails(article_id=self.article_id,
                                                    actor=self.session.analyst, **fields))
            finally:
                self.session.failed.disconnect(note)
            if refused:  # nothing was written: say why and keep what was typed
                self.error.setText(f"Not saved: {refused[-1]}")
                return
        super().accept()
