"""A speaker's notes in the registry: several lines of free text (who they are, sources,
coding decisions), edited in a small dialog and saved as one undoable edit."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout

from .plain import label


class SpeakerNotesDialog(QDialog):
    """The notes of one speaker; ``text()`` is what the analyst left (stripped)."""

    def __init__(self, name: str, notes: str, parent=None):
        super().__init__(parent)
        self.setObjectName("speakerNotes")
        self.setWindowTitle("Speaker notes")
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"Notes on “{name}”:", self))
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("speakerNotesText")
        self.editor.setAccessibleName("Speaker notes")
        self.editor.setPlainText(notes or "")
        layout.addWidget(self.editor, 1)
        self.button_box = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        layout.addWidget(self.button_box)
        self.resize(420, 240)

    def text(self) -> str:
        return self.editor.toPlainText().strip()


def ask_notes(parent, name: str, notes: str) -> str | None:
    """The speaker's new notes, or None when the analyst cancels or changes nothing."""
    dialog = SpeakerNotesDialog(name, notes, parent)
    try:
        if dialog.exec() != QDialog.Accepted or dialog.text() == (notes or "").strip():
            return None
        return dialog.text()
    finally:
        dialog.deleteLater()
