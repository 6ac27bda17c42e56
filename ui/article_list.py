"""The article list: a table model that fetches rows page by page from the core."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from annotator.articles import article_count, article_page

COLUMNS = ("Title", "Outlet", "Date", "Entities")
PAGE = 256


class ArticleListModel(QAbstractTableModel):
    """Rows come from ``article_page`` in pages, so 100,000 articles cost one page at a time."""

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self._count = 0
        self._pages: dict[int, list[dict]] = {}
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._count = article_count(self.db)
        self._pages.clear()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def row(self, r: int) -> dict | None:
        page = r // PAGE
        if page not in self._pages:
            self._pages[page] = article_page(self.db, page * PAGE, PAGE)
        rows = self._pages[page]
        return rows[r % PAGE] if r % PAGE < len(rows) else None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        rec = self.row(index.row())
        if rec is None:
            return None
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 3:
                return str(rec["entities"]) if rec["analyzed"] else "…"
            return (rec["title"], rec["outlet"], rec["published"][:10])[col]
        if role == Qt.ToolTipRole and col == 0:
            return rec["title"]
        if role == Qt.UserRole:
            return rec["id"]
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None
