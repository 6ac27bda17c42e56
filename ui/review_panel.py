"""Review mode: the current article's quotes aligned across layers, each unit marked (agree,
boundaries, speaker, position, missing); take one version into gold with a key, accept the
agreed units in one action; comments on quotes with replies and resolve."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from .plain import tip

STATUS_COLOURS = {"agree": "#d3f9d8", "boundaries": "#fff3bf", "position": "#ffe8cc",
                  "speaker": "#ffd8a8", "missing": "#ffc9c9"}
STATUS_TEXT = {"agree": "all agree", "boundaries": "boundaries differ",
               "position": "position differs", "speaker": "speaker differs",
               "missing": "missing in a layer"}
SETTLED = "✓ in gold"     # a unit gold already holds
FIRST_LAYER = 3           # columns: unit, gold, quote, then one per compared layer
REASONS = ("", "boundaries", "speaker", "position", "kind", "not a quote", "other")


class ReviewPanel(QWidget):
    """Shows units (from ``annotator.alignment``); emits the reviewer's intents."""

    unitChosen = Signal(object)              # Unit or None
    takeRequested = Signal(object, int)      # Unit, layer id whose version goes into gold
    acceptAgreedRequested = Signal()
    reviewedRequested = Signal()
    layersChanged = Signal(list)             # layer ids to compare
    commentPosted = Signal(object, str)      # parent comment id or None, text
    commentResolved = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.setAccessibleName("Review")
        self.layers: list[dict] = []         # compared layers, in column order
        self.units: list = []
        self.text = ""
        self.layer_list = QListWidget()
        self.layer_list.setAccessibleName("Layers to compare")
        self.layer_list.setMaximumHeight(70)
        self.layer_list.itemChanged.connect(self._layers_changed)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.PlainText)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("reviewUnits")
        self.table.setAccessibleName("Aligned quotes")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.currentCellChanged.connect(lambda r, *_: self.unitChosen.emit(self.unit()))
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reason")
        for r in REASONS:
            self.reason.addItem(r or "(reason)")
        self.comment = QLineEdit()
        self.comment.setObjectName("reviewComment")
        self.comment.setPlaceholderText("Comment to the analysts (optional)")
        self.comment.setMinimumWidth(80)
        agreed = QPushButton("Accept agreed (Ctrl+G)")
        agreed.clicked.connect(self.acceptAgreedRequested)
        agreed.setToolTip("Take every unit the layers agree on into gold (Alt+1, Alt+2 … "
                          "take one layer's version of the current unit)")
        reviewed = QPushButton("Mark reviewed")
        reviewed.clicked.connect(self.reviewedRequested)
        self.comments = QListWidget()
        self.comments.setObjectName("reviewComments")
        self.comments.setAccessibleName("Comments on this article")
        self.comments.setWordWrap(True)
        self.reply = QLineEdit()
        self.reply.setPlaceholderText("Reply, or comment the unit")
        self.reply.setMinimumWidth(80)
        self.reply.returnPressed.connect(self._post)
        resolve = QPushButton("Resolve")
        resolve.clicked.connect(self._resolve)
        self.table.setToolTip("Alt+1, Alt+2 … take that layer's version of the unit into "
                              "gold; Ctrl+G every unit the layers agree on")
        row1 = QHBoxLayout()
        row1.addWidget(self.reason)
        row1.addWidget(self.comment, 1)
        row2 = QHBoxLayout()
        row2.addWidget(agreed)
        row2.addWidget(reviewed)
        row3 = QHBoxLayout()
        row3.addWidget(self.reply, 1)
        row3.addWidget(resolve)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.summary)
        left.addWidget(self.table, 1)
        left.addLayout(row1)
        left.addLayout(row2)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(QLabel("Compare layers:"))
        right.addWidget(self.layer_list)
        right.addWidget(QLabel("Comments:"))
        right.addWidget(self.comments, 1)
        right.addLayout(row3)
        main, side = QWidget(), QWidget()
        main.setLayout(left)
        side.setLayout(right)
        side.setMinimumWidth(150)
        self.table.setMinimumWidth(200)
        split = QSplitter(Qt.Horizontal)  # at 1024 pixels both still fit; the analyst drags
        split.setChildrenCollapsible(False)
        split.addWidget(main)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    # -- layers ----------------------------------------------------------------------------
    def set_layer_choices(self, layers: list[dict], checked: set[int]) -> None:
        """The layers to tick (the list is only rebuilt when they or the ticks change: a tick
        by hand reaches here while its item is being changed)."""
        shown = [(self.layer_list.item(i).data(Qt.UserRole), self.layer_list.item(i).text(),
                  self.layer_list.item(i).checkState() == Qt.Checked)
                 for i in range(self.layer_list.count())]
        if shown == [(layer["id"], f"{layer['name']} ({layer['kind']})", layer["id"] in checked)
                     for layer in layers]:
            return
        self.layer_list.blockSignals(True)
        self.layer_list.clear()
        for layer in layers:
            item = QListWidgetItem(f"{layer['name']} ({layer['kind']})")
            item.setData(Qt.UserRole, layer["id"])
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if layer["id"] in checked else Qt.Unchecked)
            self.layer_list.addItem(item)
        self.layer_list.blockSignals(False)

    def checked_layers(self) -> list[int]:
        return [self.layer_list.item(i).data(Qt.UserRole) for i in range(self.layer_list.count())
                if self.layer_list.item(i).checkState() == Qt.Checked]

    def _layers_changed(self, _item) -> None:
        self.layersChanged.emit(self.checked_layers())

    # -- units -----------------------------------------------------------------------------
    def set_units(self, text: str, layers: list[dict], units: list, counts: dict, *,
                  settled=None, note: str = "") -> None:
        """The units of the article, one row each; ``settled``: per unit, whether gold already
        holds it (``gold.settled_units``); ``note``: said after the counts."""
        current = self.unit()
        settled = list(settled) if settled is not None else [False] * len(units)
        self.text, self.layers, self.units = text, layers, units
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(FIRST_LAYER + len(layers))
        self.table.setHorizontalHeaderLabels(
            ["Unit", "Gold", "Quote"] + [f"{i + 1}: {layer['name']}"
                                         for i, layer in enumerate(layers)])
        self.table.setRowCount(len(units))
        for r, unit in enumerate(units):
            colour = QBrush(QColor(STATUS_COLOURS.get(unit.status, "#ffffff")))
            snippet = text[unit.start:unit.end].replace("\n", " ")
            cells = [STATUS_TEXT.get(unit.status, unit.status),
                     SETTLED if settled[r] else "", snippet]
            for layer in layers:
                q = unit.quotes.get(layer["id"])
                cells.append("—" if q is None else
                             f"{q['speaker'] or 'no speaker'} · {q['position'] or 'no position'}")
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setBackground(colour)
                item.setForeground(QBrush(QColor("#111111")))
                item.setToolTip(tip(f"{snippet}\n({', '.join(unit.differences) or 'all agree'})"))
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FIRST_LAYER - 1, QHeaderView.Stretch)
        for c in (0, 1, *range(FIRST_LAYER, FIRST_LAYER + len(layers))):
            header.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        row = next((i for i, u in enumerate(units) if current is not None and
                    set(u.uuids()) & set(current.uuids())), -1)
        self.table.setCurrentCell(row, 0) if row >= 0 else self.table.clearSelection()
        self.table.blockSignals(False)
        parts = [f"{n} {STATUS_TEXT[s]}" for s, n in counts.items() if n]
        text = f"{len(units)} unit(s): " + (", ".join(parts) or "no quotes yet")
        if any(settled):
            text += f"; {sum(settled)} settled in gold"
        self.summary.setText(text + (f" ({note})" if note else ""))

    def unit(self):
        row = self.table.currentRow()
        return self.units[row] if 0 <= row < len(self.units) else None

    def take(self, index: int) -> bool:
        """Take the version of the ``index``-th compared layer (0-based) into gold."""
        unit = self.unit()
        if unit is None or index >= len(self.layers):
            return False
        layer_id = self.layers[index]["id"]
        if unit.quotes.get(layer_id) is None:
            return False
        self.takeRequested.emit(unit, layer_id)
        return True

    def reason_and_comment(self) -> tuple[str, str]:
        reason = REASONS[self.reason.currentIndex()]
        return reason, self.comment.text().strip()

    def clear_comment(self) -> None:
        self.comment.clear()
        self.reason.setCurrentIndex(0)

    # -- comments --------------------------------------------------------------------------
    def set_comments(self, comments: list[dict]) -> None:
        self.comments.clear()
        for c in comments:
            indent = "    ↳ " if c.get("parent_id") else ""
            done = " ✓ resolved" if c.get("resolved") else ""
            item = QListWidgetItem(f"{indent}{c['author']}: {c['body']}{done}")
            item.setData(Qt.UserRole, c["id"])
            if c.get("resolved"):
                item.setForeground(QBrush(QColor("#868e96")))
            self.comments.addItem(item)

    def _post(self) -> None:
        text = self.reply.text().strip()
        if not text:
            return
        item = self.comments.currentItem()
        self.commentPosted.emit(item.data(Qt.UserRole) if item else None, text)
        self.reply.clear()

    def _resolve(self) -> None:
        item = self.comments.currentItem()
        if item is not None:
            self.commentResolved.emit(item.data(Qt.UserRole))
