"""The codebook editor: topics and their positions (label, hotkey, colour, value, order)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView,
                               QInputDialog, QListWidget, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QLabel)

from annotator.editing.codebook import codebook

from .session import attempt
from annotator.editing.registry import (AddPosition, AddTopic, DeletePosition, RenameTopic,
                                      UpdatePosition)

COLUMNS = ("Label", "Hotkey", "Colour", "Value")
FIELDS = ("label", "hotkey", "colour", "value")


class CodebookEditor(QDialog):
    """Every change is an undoable command run through the session (on disk at once)."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("codebookEditor")
        self.setWindowTitle("Codebook")
        self.resize(720, 420)
        self.session = session
        self.topics = QListWidget()
        self.topics.setAccessibleName("Topics")
        self.topics.currentRowChanged.connect(self._show_positions)
        self.positions = QTableWidget(0, len(COLUMNS))
        self.positions.setAccessibleName("Positions")
        self.positions.setHorizontalHeaderLabels(COLUMNS)
        self.positions.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.positions.verticalHeader().hide()
        self.positions.itemChanged.connect(self._edited)
        add_topic, rename_topic = QPushButton("Add topic…"), QPushButton("Rename topic…")
        add_pos, del_pos = QPushButton("Add position…"), QPushButton("Delete position")
        add_topic.clicked.connect(self._add_topic)
        rename_topic.clicked.connect(self._rename_topic)
        add_pos.clicked.connect(self._add_position)
        del_pos.clicked.connect(self._delete_position)
        left = QVBoxLayout()
        left.addWidget(QLabel("Topics"))
        left.addWidget(self.topics)
        left.addWidget(add_topic)
        left.addWidget(rename_topic)
        right = QVBoxLayout()
        right.addWidget(QLabel("Positions (double-click to edit; value: -1 oppose … 1 support)"))
        right.addWidget(self.positions)
        row = QHBoxLayout()
        row.addWidget(add_pos)
        row.addWidget(del_pos)
        row.addStretch(1)
        right.addLayout(row)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 3)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.data: list[dict] = []
        self.reload()

    def reload(self, topic_id=None) -> None:
        with self.session.guard():  # a failed read keeps what is shown
            data = codebook(self.session.db)
            current = topic_id if topic_id is not None else self.topic_id()
            self.data = data
            self.topics.blockSignals(True)
            self.topics.clear()
            for t in self.data:
                self.topics.addItem(t["name"])
            self.topics.blockSignals(False)
            row = next((i for i, t in enumerate(self.data) if t["id"] == current), 0)
            self.topics.setCurrentRow(row if self.data else -1)
            self._show_positions(self.topics.currentRow())

    def topic_id(self):
        row = self.topics.currentRow()
        return self.data[row]["id"] if 0 <= row < len(self.data) else None

    def _show_positions(self, row: int) -> None:
        self.positions.blockSignals(True)
        positions = self.data[row]["positions"] if 0 <= row < len(self.data) else []
        self.positions.setRowCount(len(positions))
        for r, p in enumerate(positions):
            for c, field in enumerate(FIELDS):
                value = p[field]
                item = QTableWidgetItem("" if value is None else str(value))
                item.setData(Qt.UserRole, p["id"])
                if field == "colour" and value:
                    item.setData(Qt.DecorationRole, QColor(value))
                self.positions.setItem(r, c, item)
        self.positions.blockSignals(False)

    def _run(self, make) -> bool:
        """Run the command ``make()`` builds (errors are reported, not raised); reload."""
        ok = attempt(self.session, make)
        self.reload()
        return ok

    def _edited(self, item: QTableWidgetItem) -> None:
        field = FIELDS[item.column()]
        text = item.text().strip()
        value = text or None
        if field == "value" and text:
            try:
                value = float(text)
            except ValueError:
                self.session.failed.emit(f"a position's value must be a number, not '{text}'")
                self.reload()
                return
        self._run(lambda: UpdatePosition(position_id=item.data(Qt.UserRole),
                                         actor=self.session.analyst, **{field: value}))

    def _add_topic(self) -> None:
        name, ok = QInputDialog.getText(self, "Add topic", "Topic name:")
        if ok and name.strip():
            cmd = AddTopic(name=name, actor=self.session.analyst)  # the name is not blank
            if self.session.run(cmd):
                self.reload(cmd.topic_id)

    def _rename_topic(self) -> None:
        tid = self.topic_id()
        if tid is None:
            return
        name, ok = QInputDialog.getText(self, "Rename topic", "New name:",
                                        text=self.topics.currentItem().text())
        if ok and name.strip():
            self._run(lambda: RenameTopic(topic_id=tid, name=name, actor=self.session.analyst))

    def _add_position(self) -> None:
        tid = self.topic_id()
        if tid is None:
            return
        label, ok = QInputDialog.getText(self, "Add position", "Position label:")
        if ok and label.strip():
            used = {p["hotkey"] for t in self.data if t["id"] == tid for p in t["positions"]}
            key = next((k for k in "123456789" if k not in used), None)
            self._run(lambda: AddPosition(topic_id=tid, label=label, hotkey=key,
                                          actor=self.session.analyst))

    def _delete_position(self) -> None:
        item = self.positions.currentItem()
        if item is not None:
            self._run(lambda: DeletePosition(position_id=item.data(Qt.UserRole),
                                             actor=self.session.analyst))
