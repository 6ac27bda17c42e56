"""The quote panel: this article's quotes in my layer and the pending suggestions, and the
editor of the current one (speaker, topic, position, kind, note)."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QComboBox, QCompleter, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from .article_view import SUGGESTION, speaker_colour

NO_POSITION = -1  # item data of "(no position)"
CHOICE_ROW = Qt.UserRole + 1   # a completion's row in ``QuotePanel.choices``
ENTER_KEYS = (Qt.Key_Return, Qt.Key_Enter)
KIND_LABELS = {"direct": "Direct", "indirect": "Indirect (reported)", "mixed": "Mixed"}


def _place(q: dict) -> tuple:
    """Where an item sorts in the list: its place in the text, my quote before a suggestion."""
    return q["start"], q["end"], q.get("status") == "suggested"


def _snippet(text: str, q: dict, width: int = 70) -> str:
    body = " … ".join(text[s:e] for s, e in q["fragments"]).replace("\n", " ")
    return body if len(body) <= width else body[:width - 1] + "…"


class QuotePanel(QWidget):
    """Emits user intents; the main window turns them into core commands."""

    currentChanged = Signal(object)          # the current quote dict, or None
    # Enter in the speaker field: (typed text, the highlighted completion or None, Shift:
    # a new speaker by that name)
    speakerChosen = Signal(str, object, bool)
    topicChosen = Signal(object)             # topic id
    positionChosen = Signal(object)          # position id (or None)
    kindChosen = Signal(str)
    noteEntered = Signal(str)
    acceptClicked = Signal()
    rejectClicked = Signal()
    suggestionCurrent = Signal(bool)         # whether the current item is a suggestion

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("quotePanel")
        self.setAccessibleName("Quotes of this article")
        self.items: list[dict] = []
        self.codebook: list[dict] = []
        self._shown_uuid = None
        self._text = None
        self._anchor: tuple | None = None   # (start, end) of the last current item
        self._places: dict = {}   # uuid -> (start, end) of the items this article has shown
        self.list = QListWidget()
        self.list.setObjectName("quoteList")
        self.list.setAccessibleName("Quotes and suggestions")
        # two lines a row, elided to the panel's width: rows of one height are laid out in
        # constant time, so an edit redraws a long list without measuring every row
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.ElideRight)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self._rows: list = []   # what each row of the list shows (``_fill``)
        self.list.setAlternatingRowColors(True)
        self.list.currentRowChanged.connect(self._on_row)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.RichText)  # its own markup; data in it is escaped

        self.speaker_edit = QLineEdit()
        self.speaker_edit.setObjectName("speakerEdit")
        self.speaker_edit.setAccessibleName("Speaker")
        self.speaker_edit.setPlaceholderText("Type a name, or click a mention in the text")
        # the completion: what ``choices_for(typed)`` (the controller's, from the core)
        # returns, shown as "name — role, organisation"; the panel only shows and picks
        self.choices_for = None
        self.choices: list[dict] = []
        self.completions = QStandardItemModel(self)
        self.completer = QCompleter(self.completions, self)
        self.completer.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        self.completer.setWidget(self.speaker_edit)
        self.completer.activated[QModelIndex].connect(self._completion_clicked)
        self.completer.popup().installEventFilter(self)
        self.speaker_edit.installEventFilter(self)
        self.speaker_edit.textEdited.connect(self._speaker_typed)
        self.topic_box = QComboBox()
        self.topic_box.setObjectName("topicBox")
        self.topic_box.setAccessibleName("Topic")
        self.topic_box.activated.connect(lambda _i: self.topicChosen.emit(
            self.topic_box.currentData()))
        self.position_box = QComboBox()
        self.position_box.setObjectName("positionBox")
        self.position_box.setAccessibleName("Position")
        self.position_box.activated.connect(lambda _i: self.positionChosen.emit(
            None if self.position_box.currentData() == NO_POSITION
            else self.position_box.currentData()))
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("kindBox")
        self.kind_box.setAccessibleName("Kind of quote")
        for key, label in KIND_LABELS.items():
            self.kind_box.addItem(label, key)
        self.kind_box.activated.connect(lambda _i: self.kindChosen.emit(
            self.kind_box.currentData()))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setPlaceholderText("Note (saved when you leave the field)")
        self.note_edit.editingFinished.connect(self._note_done)
        self.accept_button = QPushButton("Accept (A)")
        self.accept_button.setObjectName("acceptSuggestion")
        self.reject_button = QPushButton("Reject (R)")
        self.reject_button.setObjectName("rejectSuggestion")
        self.accept_button.clicked.connect(self.acceptClicked)
        self.reject_button.clicked.connect(self.rejectClicked)

        form = QFormLayout()
        form.addRow("&Speaker", self.speaker_edit)
        form.addRow("&Topic", self.topic_box)
        form.addRow("&Position", self.position_box)
        form.addRow("&Kind", self.kind_box)
        form.addRow("N&ote", self.note_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 3)
        layout.addWidget(self.header)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._show_editor(None)

    # -- content ---------------------------------------------------------------------------
    def set_codebook(self, topics: list[dict]) -> None:
        """The topics and positions to choose from (the current topic stays when still there)."""
        current = self.current_topic()
        self.codebook = topics
        self.topic_box.clear()
        for t in topics:
            self.topic_box.addItem(t["name"], t["id"])
        self.topic_box.setCurrentIndex(max(self.topic_box.findData(current), 0))

    def set_quotes(self, text: str, quotes: list[dict], suggestions: list[dict],
                   current_uuid: str | None = None) -> None:
        """Fill the list in text order, my quotes and the pending suggestions together (an
        accepted suggestion keeps its place). ``current_uuid`` stays current; when it is gone
        (undone, deleted, decided), an item at the same place in the text takes its row."""
        if text != self._text:  # another article: no place yet
            self._text, self._anchor, self._places = text, None, {}
        self.items = sorted(quotes + suggestions, key=_place)
        self._places.update((q["uuid"], (q["start"], q["end"])) for q in self.items)
        rows = []   # (uuid, text, colour, suggestion?) of each row
        for q in self.items:
            if not self.is_suggestion(q):
                who = q["speaker"] or "no speaker"
                what = f" · {q['position']}" if q["position"] else ""
                rows.append((q["uuid"], f"{_snippet(text, q)}\n— {who}{what}",
                             speaker_colour(q["speaker_id"]), False))
            else:
                conf = f"{q['confidence']:.2f} " if q["confidence"] is not None else ""
                rows.append((q["uuid"], f"{_snippet(text, q)}\n— suggested {conf}· "
                             f"{q['speaker'] or 'speaker?'}", None, True))
        self.list.blockSignals(True)
        self._fill(rows)
        row = next((i for i, q in enumerate(self.items) if q["uuid"] == current_uuid), -1)
        place = self._places.get(current_uuid, self._anchor)
        if row < 0 and current_uuid is not None and place is not None:
            row = next((i for i, q in enumerate(self.items)
                        if (q["start"], q["end"]) == place), -1)
        if self.list.currentRow() != row:
            self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._remember()
        self._show_editor(self.current())

    def _fill(self, rows) -> None:
        """Make the list show ``rows`` [(uuid, label, colour, suggestion?)], inserting,
        removing and changing only the items that differ (an edit changes one row:
        rebuilding the list of a long article would cost most of a key press)."""
        shown = self._rows   # what each item shows, in the list's order
        wanted = {row[0] for row in rows}
        for i, row in enumerate(rows):
            while i < len(shown) and shown[i][0] not in wanted:
                self.list.takeItem(i)
                del shown[i]
            if i == len(shown) or shown[i][0] != row[0]:
                self.list.insertItem(i, QListWidgetItem())
                shown.insert(i, None)
            elif shown[i] == row:
                continue
            shown[i] = row
            _uuid, label, colour, suggestion = row
            item = self.list.item(i)
            item.setText(label)
            font = item.font()
            font.setItalic(suggestion)
            item.setFont(font)
            item.setForeground(QBrush(QColor(SUGGESTION if suggestion else "#111111")))
            item.setData(Qt.DecorationRole, QColor(colour) if colour else None)
        while len(shown) > len(rows):
            self.list.takeItem(len(shown) - 1)
            shown.pop()

    # -- the speaker field's completion ------------------------------------------------------
    def _speaker_typed(self, text: str) -> None:
        choices = self.choices_for(text) if self.choices_for and text.strip() else []
        self.choices = choices or []
        self.completions.clear()
        for row, c in enumerate(self.choices):
            item = QStandardItem(c["label"])
            item.setData(row, CHOICE_ROW)
            self.completions.appendRow(item)
        popup = self.completer.popup()
        if not self.choices:
            popup.hide()
            return
        self.completer.complete()
        # highlighted (Enter takes it) only when it is the one registered speaker meant
        first = self.completer.completionModel().index(0, 0)
        if self.choices[0].get("default"):
            popup.setCurrentIndex(first)
        else:   # nothing highlighted: Down goes to the first, Up to the last
            popup.selectionModel().clear()
            popup.selectionModel().clearCurrentIndex()

    def _highlighted(self) -> dict | None:
        popup = self.completer.popup()
        index = popup.currentIndex()
        if not popup.isVisible() or not index.isValid() or \
                not popup.selectionModel().isSelected(index):
            return None
        row = index.data(CHOICE_ROW)
        return self.choices[row] if isinstance(row, int) and row < len(self.choices) else None

    def _enter(self, shift: bool) -> None:
        choice = None if shift else self._highlighted()
        self.completer.popup().hide()
        if choice is not None:
            self.speaker_edit.setText(choice["name"])    # the name, not the label
        self.speakerChosen.emit(self.speaker_edit.text(), choice, shift)

    def _completion_clicked(self, index) -> None:
        row = index.data(CHOICE_ROW) if index is not None else None
        if isinstance(row, int) and row < len(self.choices):
            self.completer.popup().hide()
            self.speaker_edit.setText(self.choices[row]["name"])
            self.speakerChosen.emit(self.speaker_edit.text(), self.choices[row], False)

    def eventFilter(self, obj, ev) -> bool:
        """Enter (Shift+Enter) in the speaker field or its completion popup."""
        if ev.type() == QEvent.KeyPress and ev.key() in ENTER_KEYS and \
                obj in (self.speaker_edit, self.completer.popup()) and \
                self.speaker_edit.isEnabled():
            self._enter(bool(ev.modifiers() & Qt.ShiftModifier))
            return True
        return super().eventFilter(obj, ev)

    def current(self) -> dict | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def is_suggestion(self, q: dict | None) -> bool:
        return q is not None and q.get("status") == "suggested"

    def select_uuid(self, uuid: str | None) -> None:
        row = next((i for i, q in enumerate(self.items) if q["uuid"] == uuid), -1)
        self.list.setCurrentRow(row)

    def move(self, step: int, *, suggestions_only: bool = False, after=None) -> bool:
        """Go to the next (step 1) or previous (-1) item, optionally only suggestions, from
        the current row, else from ``after`` or the last current item's place in the text
        (an item decided, deleted or undone), else from the top; False when there is none."""
        n = len(self.items)
        row = self.list.currentRow()
        if after is None and 0 <= row < n:
            order = [(row + step * i) % n for i in range(1, n + 1)]
        else:
            anchor = after or self._anchor
            if anchor is None:
                order = list(range(n)) if step > 0 else list(range(n - 1, -1, -1))
            elif step > 0:
                first = next((i for i, q in enumerate(self.items)
                              if (q["start"], q["end"]) > anchor), n)
                order = list(range(first, n)) + list(range(first))
            else:
                last = next((i for i in range(n - 1, -1, -1)
                             if (self.items[i]["start"], self.items[i]["end"]) < anchor), -1)
                order = list(range(last, -1, -1)) + list(range(n - 1, last, -1))
        for candidate in order:
            if not suggestions_only or self.is_suggestion(self.items[candidate]):
                self.list.setCurrentRow(candidate)
                return True
        return False

    def _remember(self) -> None:
        q = self.current()
        if q is not None:
            self._anchor = (q["start"], q["end"])

    # -- editor ----------------------------------------------------------------------------
    def _on_row(self, _row: int) -> None:
        q = self.current()
        self._remember()
        self._show_editor(q)
        self.currentChanged.emit(q)

    def _positions_of(self, topic_id) -> list[dict]:
        return next((t["positions"] for t in self.codebook if t["id"] == topic_id), [])

    def fill_positions(self, topic_id) -> None:
        self.position_box.clear()
        self.position_box.addItem("(no position)", NO_POSITION)  # never None as item data
        for p in self._positions_of(topic_id):
            key = f"{p['hotkey']}  " if p["hotkey"] else ""
            self.position_box.addItem(f"{key}{p['label']}", p["id"])
            if p["colour"]:
                self.position_box.setItemData(self.position_box.count() - 1,
                                              QColor(p["colour"]), Qt.DecorationRole)

    def _show_editor(self, q: dict | None) -> None:
        mine = q is not None and not self.is_suggestion(q)
        for w in (self.speaker_edit, self.topic_box, self.position_box, self.kind_box,
                  self.note_edit):
            w.setEnabled(mine or (w is self.speaker_edit and self.is_suggestion(q)))
        self.accept_button.setEnabled(self.is_suggestion(q))
        self.reject_button.setEnabled(self.is_suggestion(q))
        self.suggestionCurrent.emit(self.is_suggestion(q))
        if q is None:
            self._shown_uuid = None
            self.header.setText("<i>Select text and press <b>Q</b> to tag a quote; "
                                "<b>N</b> goes to the next suggestion.</i>")
            self.speaker_edit.clear()
            self.note_edit.clear()
            return
        kind = escape(KIND_LABELS.get(q["kind"], q["kind"]) or "")
        if self.is_suggestion(q):
            conf = f" (confidence {q['confidence']:.2f})" if q["confidence"] is not None else ""
            self.header.setText(f"<b>Suggestion</b>{conf}: {kind}. <b>1-9</b> accept with "
                                f"that position · <b>Enter</b> accept · <b>R</b> reject · "
                                f"<b>N</b> next")
        else:
            self.header.setText(f"<b>My quote</b>: {kind}, {len(q['fragments'])} fragment(s)")
        same = q["uuid"] == self._shown_uuid
        self._shown_uuid = q["uuid"]
        for edit, value in ((self.speaker_edit, q["speaker"]), (self.note_edit, q["note"])):
            if not (same and (edit.hasFocus() or edit.isModified())):  # keep what is typed
                edit.setText(value or "")
        topic = q["topic_id"] if q["topic_id"] is not None else self.topic_box.currentData()
        index = self.topic_box.findData(topic)
        if index >= 0:
            self.topic_box.setCurrentIndex(index)
        self.fill_positions(self.topic_box.currentData())
        self.position_box.setCurrentIndex(max(0, self.position_box.findData(
            q["position_id"] if q["position_id"] is not None else NO_POSITION)))
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(q["kind"])))

    def _note_done(self) -> None:
        q = self.current()
        if q is not None and not self.is_suggestion(q) and self.note_edit.isModified():
            self.note_edit.setModified(False)
            if self.note_edit.text() != (q["note"] or ""):
                self.noteEntered.emit(self.note_edit.text())

    def note_not_saved(self) -> None:
        """The note could not be saved: it stays in the field (not replaced by the stored one)
        and is saved when the field is next left."""
        self.note_edit.setModified(True)

    def focus_speaker(self) -> None:
        """The keyboard to the speaker field, its text selected (to type over it)."""
        self.speaker_edit.setFocus()
        self.speaker_edit.selectAll()

    def current_topic(self):
        return self.topic_box.currentData()

    def position_for_key(self, key: str):
        """The position of the current topic whose hotkey is ``key``."""
        return next((p for p in self._positions_of(self.current_topic())
                     if p["hotkey"] == key), None)
