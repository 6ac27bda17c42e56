"""The Insights tables: the speaker x position matrix model and the list of quotes behind a
number (a click on a quote emits ``openQuote(article_id, uuid)``)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from .plain import tip


class QuoteList(QWidget):
    """The quotes behind a number; a click on one emits ``openQuote(article_id, uuid)``."""

    openQuote = Signal(int, str)
    COLUMNS = ("Date", "Outlet", "Speaker", "Position", "Quote")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("insightQuotes")
        self.caption = QLabel("Click a cell, bar or point to list the quotes behind it.")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.PlainText)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.Stretch)
        self.table.setWordWrap(False)
        self.table.cellClicked.connect(self._open)
        self.table.cellActivated.connect(self._open)
        self.quotes: list[dict] = []
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.caption)
        col.addWidget(self.table, 1)

    def show_quotes(self, caption: str, result: dict) -> None:
        self.quotes = result["quotes"]
        more = (f" (the first {len(self.quotes)} shown)" if result["total"] > len(self.quotes)
                else "")
        self.caption.setText(f"{result['total']} quote(s): {caption}{more} — click one to open "
                             "it in its article")
        self.table.setRowCount(len(self.quotes))
        for row, q in enumerate(self.quotes):
            position = f"{q['position']}" if q["position"] else "(no position)"
            for col, text in enumerate((q["published"], q["outlet"], q["speaker"], position,
                                        " ".join(q["text"].split()))):
                item = QTableWidgetItem(text)
                item.setToolTip(tip(f"{q['title']}\n\n{q['text']}" if col == 4 else text))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.Stretch)

    def _open(self, row: int, _col: int = 0) -> None:
        if 0 <= row < len(self.quotes):
            self.openQuote.emit(self.quotes[row]["article_id"], self.quotes[row]["uuid"])

    def rows(self) -> tuple[list, list]:
        return (["article_id", "uuid", "published", "outlet", "speaker", "topic", "position",
                 "text"], [[q[k] for k in ("article_id", "uuid", "published", "outlet",
                                           "speaker", "topic", "position", "text")]
                           for q in self.quotes])


class MatrixModel(QAbstractTableModel):
    """Speakers x positions; sortable (UserRole holds the sort key), shaded by count."""

    FIXED = ("Speaker", "Role", "Organisation", "Total")

    def __init__(self):
        super().__init__()
        self.columns: list[dict] = []
        self.rows: list[dict] = []
        self.values: list[tuple] = []   # per row: name, role, organisation, total, counts
        self.keys: list[tuple] = []     # the same, for sorting
        self.top = 0
        self.many_topics = False

    def set_matrix(self, matrix: dict) -> None:
        self.beginResetModel()
        self.columns, self.rows, self.top = matrix["columns"], matrix["rows"], matrix["max"]
        self.many_topics = len({c["topic_id"] for c in self.columns
                                if c["id"] is not None}) > 1
        ids = [c["id"] for c in self.columns]
        self.values = [(r["name"], r["role"], r["organisation"], r["total"],
                        *(r["counts"].get(i, 0) for i in ids)) for r in self.rows]
        self.keys = [tuple(v.lower() if isinstance(v, str) else v for v in row)
                     for row in self.values]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.FIXED) + len(self.columns)

    def column(self, col: int) -> dict | None:
        return self.columns[col - len(self.FIXED)] if col >= len(self.FIXED) else None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation != Qt.Horizontal:
            return None
        c = self.column(section)
        if role == Qt.DisplayRole:
            if c is None:
                return self.FIXED[section]
            if c["id"] is None:  # quotes without a position (yet)
                return c["label"]
            return (f"{c['topic'].split()[0]}\n" if self.many_topics else "") + _wrap(c["label"])
        if role == Qt.ToolTipRole and c is not None and c["id"] is None:
            return "Quotes of the speaker without a position yet"
        if role == Qt.ToolTipRole and c is not None:
            return tip(f"{c['topic']}: {c['label']}" +
                       (f" (value {c['value']:g})" if c["value"] is not None else ""))
        return None

    def value(self, row: int, col: int):
        return self.values[row][col]

    ROLES = frozenset((Qt.DisplayRole, Qt.UserRole, Qt.TextAlignmentRole, Qt.BackgroundRole,
                       Qt.ForegroundRole, Qt.ToolTipRole))

    def data(self, index, role=Qt.DisplayRole):
        if role not in self.ROLES:
            return None
        row, col = index.row(), index.column()
        if role == Qt.UserRole:
            return self.keys[row][col]
        v = self.values[row][col]
        if role == Qt.DisplayRole:
            return "" if v == 0 and col > 3 else str(v)
        if role == Qt.TextAlignmentRole and col >= 3:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if col > 3 and v and role in (Qt.BackgroundRole, Qt.ForegroundRole) and \
                self.column(col)["id"] is not None:  # positions shaded, not "(no position)"
            t = (v / self.top) ** 0.7 if self.top else 0
            if role == Qt.ForegroundRole:
                return QColor("white") if t > 0.5 else QColor("#111")
            lo, hi = (239, 243, 255), (8, 81, 156)  # pale to deep blue
            return QColor(*(round(a + (b - a) * t) for a, b in zip(lo, hi)))
        if role == Qt.ToolTipRole:
            c = self.column(col)
            if c is not None:
                return tip(f"{self.rows[row]['name']} — {c['label']}: {v} quote(s); "
                           "click to list")
            if col == 3:
                return tip(f"{self.rows[row]['name']}: {v} quote(s); click to list")
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Sort the rows by a column (names without case; counts as numbers)."""
        if not self.values or column >= self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        rows = sorted(range(len(self.values)), key=lambda r: self.keys[r][column],
                      reverse=order == Qt.DescendingOrder)
        self.rows = [self.rows[r] for r in rows]
        self.values = [self.values[r] for r in rows]
        self.keys = [self.keys[r] for r in rows]
        self.layoutChanged.emit()

    def table(self) -> tuple[list, list]:
        headers = list(self.FIXED) + [f"{c['topic']}: {c['label']}" if c["id"] is not None
                                      else c["label"] for c in self.columns]
        return headers, [[self.value(r, c) for c in range(self.columnCount())]
                         for r in range(len(self.rows))]


def _wrap(label: str, width: int = 14) -> str:
    """A long column title on two lines (split at the space nearest the middle)."""
    if len(label) <= width or " " not in label:
        return label
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "\n" + label[cut + 1:]
