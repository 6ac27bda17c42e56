"""The speaker registry dock: names, aliases, role, organisation, kind, number of quotes;
edit in place, add an alias, merge two speakers."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QInputDialog,
                               QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

COLUMNS = ("Name", "Aliases", "Role", "Organisation", "Kind", "Quotes")
EDITABLE = {0: "name", 2: "role", 3: "organisation"}


class SpeakerRegistry(QWidget):
    """Emits intents; the main window runs them as undoable core commands."""

    fieldEdited = Signal(int, str, str)      # speaker id, field, value
    aliasAdded = Signal(int, str)
    mergeRequested = Signal(int, int)        # keep id, other id
    speakerCreated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("speakerRegistry")
        self.setAccessibleName("Speaker registry")
        self.rows: list[dict] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("speakerTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.setSortingEnabled(True)
        self.table.itemChanged.connect(self._on_edit)
        new = QPushButton("New…")
        alias = QPushButton("Add alias…")
        merge = QPushButton("Merge selected")
        merge.setToolTip("Select two speakers: the second is merged into the first "
                         "(its quotes follow; its name becomes an alias)")
        new.clicked.connect(self._new)
        alias.clicked.connect(self._alias)
        merge.clicked.connect(self._merge)
        buttons = QHBoxLayout()
        for b in (new, alias, merge):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def set_speakers(self, rows: list[dict]) -> None:
        self.rows = rows
        self.table.blockSignals(True)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (row["name"], row["aliases"], row["role"], row["organisation"], row["kind"],
                      row["quotes"])
            for c, value in enumerate(values):
                item = QTableWidgetItem()
                item.setData(Qt.DisplayRole, value)
                item.setData(Qt.UserRole, row["id"])
                if c not in EDITABLE:
                    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        self.table.blockSignals(False)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.table.item(r, 0).data(Qt.UserRole) for r in rows]

    def _on_edit(self, item: QTableWidgetItem) -> None:
        field = EDITABLE.get(item.column())
        if field:
            self.fieldEdited.emit(item.data(Qt.UserRole), field, item.text())

    def _new(self) -> None:
        name, ok = QInputDialog.getText(self, "New speaker", "Canonical name:")
        if ok and name.strip():
            self.speakerCreated.emit(name.strip())

    def _alias(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            QMessageBox.information(self, "Add alias", "Select one speaker first.")
            return
        alias, ok = QInputDialog.getText(self, "Add alias", "Another name for this speaker:")
        if ok and alias.strip():
            self.aliasAdded.emit(ids[0], alias.strip())

    def _merge(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            QMessageBox.information(self, "Merge speakers", "Select exactly two speakers.")
            return
        names = {r["id"]: r["name"] for r in self.rows}
        keep, other = ids
        answer = QMessageBox.question(
            self, "Merge speakers", f"Merge “{names[other]}” into “{names[keep]}”? Its quotes "
            f"follow and its name becomes an alias. (Undo with Ctrl+Z.)")
        if answer == QMessageBox.Yes:
            self.mergeRequested.emit(keep, other)
