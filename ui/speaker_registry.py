"""The speaker registry dock: names, aliases, role, organisation, kind, number of quotes,
notes; edit in place (notes in their own dialog: several lines), add an alias, merge two
speakers. A table model, so thousands of speakers
cost one reset, not thousands of items."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView,
                               QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget)

from .plain import ask, tip
from .speaker_notes import ask_notes

COLUMNS = ("Name", "Aliases", "Role", "Organisation", "Kind", "Quotes", "Notes")
KEYS = ("name", "aliases", "role", "organisation", "kind", "quotes", "notes")
EDITABLE = {0: "name", 2: "role", 3: "organisation"}
NOTES = KEYS.index("notes")


class SpeakerModel(QAbstractTableModel):
    edited = Signal(int, str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if index.column() == NOTES and role in (Qt.DisplayRole, Qt.ToolTipRole):
            notes = row.get("notes") or ""  # the first line shown, every line in the tooltip
            return (notes.splitlines() or [""])[0] if role == Qt.DisplayRole else tip(notes)
        if role not in (Qt.DisplayRole, Qt.EditRole, Qt.UserRole):
            return None
        return row["id"] if role == Qt.UserRole else row[KEYS[index.column()]]

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemIsEditable if index.column() in EDITABLE else base

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        field = EDITABLE.get(index.column())
        if role != Qt.EditRole or field is None:
            return False
        self.edited.emit(self.rows[index.row()]["id"], field, str(value))
        return True  # the window runs the edit and refreshes the rows

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None


class SpeakerRegistry(QWidget):
    """Emits intents; the main window runs them as undoable core commands."""

    fieldEdited = Signal(int, str, str)      # speaker id, field, value
    aliasAdded = Signal(int, str)
    mergeRequested = Signal(int, int)        # keep id, other id
    speakerCreated = Signal(str)
    proposalSettled = Signal(int, bool)      # proposal id, merge (True) or keep apart

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("speakerRegistry")
        self.setAccessibleName("Speaker registry")
        self.model = SpeakerModel(self)
        self.model.edited.connect(self.fieldEdited)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter speakers")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setObjectName("speakerTable")
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked |
                                   QAbstractItemView.EditKeyPressed)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.AscendingOrder)
        new = QPushButton("New…")
        alias = QPushButton("Add alias…")
        notes = QPushButton("Notes…")
        notes.setObjectName("speakerNotesButton")
        notes.setToolTip("The selected speaker's notes (also: double-click the Notes column)")
        merge = QPushButton("Merge selected")
        merge.setToolTip("Select two speakers: the second is merged into the first "
                         "(its quotes follow; its name becomes an alias; its role, "
                         "organisation and kind fill the first's empty ones, and where both "
                         "differ you choose; its notes are added to the first's)")
        new.clicked.connect(self._new)
        alias.clicked.connect(self._alias)
        notes.clicked.connect(self.edit_notes)
        self.table.doubleClicked.connect(
            lambda index: self.edit_notes() if index.column() == NOTES else None)
        merge.clicked.connect(self._merge)
        buttons = QGridLayout()  # two by two: the dock stays narrow
        for k, b in enumerate((new, alias, notes, merge)):
            buttons.addWidget(b, k // 2, k % 2)
        buttons.setColumnStretch(2, 1)
        self.proposals = QListWidget()
        self.proposals.setObjectName("mergeProposals")
        self.proposals.setAccessibleName("Proposed merges")
        self.proposals.setMaximumHeight(90)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        merge_it = QPushButton("Merge")
        merge_it.setToolTip("The two are one speaker: merge the second into the first")
        apart = QPushButton("Keep apart")
        merge_it.clicked.connect(lambda: self._settle(True))
        apart.clicked.connect(lambda: self._settle(False))
        self.proposal_box = QWidget()
        box = QVBoxLayout(self.proposal_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("Maybe the same speaker (from the suggestions):"))
        box.addWidget(self.proposals)
        row = QHBoxLayout()
        row.addWidget(merge_it)
        row.addWidget(apart)
        row.addStretch(1)
        box.addLayout(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)  # the table takes the height; the rest stays compact
        layout.addLayout(buttons)
        layout.addWidget(self.proposal_box)
        self.proposal_box.hide()

    @property
    def rows(self) -> list[dict]:
        return self.model.rows

    def set_speakers(self, rows: list[dict], proposals: list[dict] = ()) -> None:
        self.model.set_rows(rows)
        self.proposals.clear()
        for p in proposals:
            item = QListWidgetItem(f"{p['speaker']}  ←  {p['other']}   ({p['reason']})")
            item.setData(Qt.UserRole, p["id"])
            self.proposals.addItem(item)
        self.proposal_box.setVisible(bool(proposals))

    def _settle(self, merge: bool) -> None:
        item = self.proposals.currentItem() or self.proposals.item(0)
        if item is not None:
            self.proposalSettled.emit(item.data(Qt.UserRole), merge)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(r, 0).data(Qt.UserRole) for r in rows]

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

    def edit_notes(self) -> None:
        """Ask for the selected speaker's notes; a change is emitted as a field edit."""
        ids = self.selected_ids()
        if len(ids) != 1:
            QMessageBox.information(self, "Speaker notes", "Select one speaker first.")
            return
        row = next(r for r in self.rows if r["id"] == ids[0])
        text = ask_notes(self, row["name"], row.get("notes") or "")
        if text is not None:
            self.fieldEdited.emit(ids[0], "notes", text)

    def _merge(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            QMessageBox.information(self, "Merge speakers", "Select exactly two speakers.")
            return
        names = {r["id"]: r["name"] for r in self.rows}
        keep, other = ids
        if ask(self, "Merge speakers", f"Merge “{names[other]}” into “{names[keep]}”? Its "
               f"quotes follow, its name becomes an alias, its role and organisation fill "
               f"the gaps and its notes are added; where the two differ you choose. (Undo "
               f"with Ctrl+Z.)"):
            self.mergeRequested.emit(keep, other)
