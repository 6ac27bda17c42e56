"""The keyboard map: one table drives the actions' shortcuts and Help > Keyboard shortcuts."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

# name: (key sequence, what it does)
KEYS = {
    "tag": ("Q", "Tag the selected text as a quote in my layer"),
    "fragment": ("Shift+Q", "Add the selected text as another fragment of the current quote"),
    "speaker": ("S", "Type the current quote's speaker (Enter takes the highlighted name; "
                     "Shift+Enter a new speaker; Esc back to the text); on a suggestion, the "
                     "speaker it takes when accepted"),
    "pick": ("M", "Pick the speaker's mention: the next click on a name in the text sets it"),
    "positions": ("1 … 9", "Set the position with that hotkey on the current topic; on a "
                  "suggestion, accept it with that position and go to the next suggestion"),
    "topic": ("T", "Next topic for the current quote (or suggestion, when accepted)"),
    "prev_topic": ("Shift+T", "Previous topic"),
    "kind": ("K", "Cycle the kind: direct, indirect, mixed (a suggestion's too)"),
    "delete": ("Del", "Delete the current quote"),
    "accept_enter": ("Enter", "Accept the current suggestion without a position and go to "
                     "the next suggestion"),
    "accept": ("A", "Accept the current suggestion (as Enter)"),
    "reject": ("R", "Reject the current suggestion and go to the next suggestion"),
    "accept_all": ("Shift+A", "Accept every pending suggestion of this article"),
    "next": ("N", "Next suggestion in the text (from wherever you are)"),
    "next_item": ("J", "Next quote or suggestion"),
    "prev_item": ("Shift+J", "Previous quote or suggestion"),
    "entity": ("E", "Mark the selected text as an entity (choose its label)"),
    "done": ("Ctrl+D", "Mark this article done and open the next one to do"),
    "details": ("Ctrl+Shift+D", "Edit the article's title, outlet, author, date and url"),
    "next_article": ("Ctrl+PgDown", "Next article"),
    "prev_article": ("Ctrl+PgUp", "Previous article"),
    "search": ("Ctrl+F", "Search articles (the words are marked in the article)"),
    "next_hit": ("F3", "Next search hit in the article"),
    "prev_hit": ("Shift+F3", "Previous search hit in the article"),
    "review": ("Ctrl+Shift+R", "Review mode: compare layers, settle gold"),
    "take": ("Alt+1 … Alt+9", "Review: take that layer's version of the unit into gold"),
    "accept_agreed": ("Ctrl+G", "Review: accept every unit the layers agree on into gold"),
    "undo": ("Ctrl+Z", "Undo"),
    "redo": ("Ctrl+Shift+Z", "Redo"),
    "import": ("Ctrl+I", "Import files"),
    "open": ("Ctrl+O", "Open a project"),
    "new": ("Ctrl+N", "New project"),
    "export": ("Ctrl+E", "Export"),
    "help": ("F1", "This list"),
}


def help_html() -> str:
    rows = "".join(f"<tr><td style='padding-right:18px'><b>{key}</b></td><td>{text}</td></tr>"
                   for key, text in KEYS.values())
    return (f"<table>{rows}</table><p>Keys without Ctrl or Alt act in the article text and "
            f"the quote list; in a text field they type letters as usual.</p>")


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        label = QLabel(help_html())
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
