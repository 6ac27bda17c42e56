"""Data shown as plain text: a speaker named ``<b>x</b>`` shows its tags, never bold.

Qt guesses: a label, a tooltip or a message box whose text looks like HTML
(``Qt::mightBeRichText``) is drawn as rich text. Labels that show data are set to
``Qt.PlainText``; tooltips and message boxes go through these helpers.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtWidgets import QLabel, QMessageBox


def tip(text: str | None) -> str:
    """A tooltip that shows ``text`` as it is: escaped inside a paragraph when Qt would take
    it for HTML (line breaks and spaces kept), else unchanged."""
    text = text or ""
    if not GuiQt.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{escape(text, quote=False)}</p>"


def label(text: str = "", parent=None) -> QLabel:
    """A label for data: plain text whatever it looks like."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.PlainText)
    widget.setText(text)
    return widget


def menu_text(text: str) -> str:
    """A menu entry's text shown as it is ("&" is not a shortcut mark)."""
    return (text or "").replace("&", "&&")


def message_box(parent, icon, title: str, text: str, *, informative: str | None = None,
                detail: str | None = None, buttons=QMessageBox.Ok) -> QMessageBox:
    """A message box whose texts are plain (names, paths and messages shown as they are)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.PlainText)
    if informative:
        box.setInformativeText(informative)
        info = box.findChild(QLabel, "qt_msgbox_informativelabel")
        if info is not None:
            info.setTextFormat(Qt.PlainText)
    if detail:
        box.setDetailedText(detail)  # a plain text field already
    return box


def show_message(parent, icon, title: str, text: str, **kwargs) -> QMessageBox:
    """Show a plain-text message box without blocking (it closes itself)."""
    box = message_box(parent, icon, title, text, **kwargs)
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModal if parent is not None else Qt.ApplicationModal)
    box.show()
    return box


def ask(parent, title: str, text: str, *, informative: str | None = None,
        buttons=QMessageBox.Yes | QMessageBox.No) -> bool:
    """A plain-text question; True for Yes."""
    box = message_box(parent, QMessageBox.Question, title, text, informative=informative,
                      buttons=buttons)
    box.setDefaultButton(QMessageBox.Yes)
    return box.exec() == QMessageBox.Yes
