"""The article list: search box, status filter and a table fetched page by page."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView,
                               QLineEdit, QTableView, QVBoxLayout, QWidget)

from annotator.editing import desk
from annotator.editing.article_rows import PAGE, ArticleRows, Ids

from .plain import tip

COLUMNS = ("Title", "Outlet", "Date", "Status", "Quotes")
STATUS_LABELS = {"todo": "to do", "in_progress": "in progress", "done": "done",
                 "skipped": "skipped"}
COLUMN_WIDTHS = {1: 96, 2: 80, 3: 74, 4: 52}  # Outlet, Date, Status, Quotes
TITLE_MIN = 110
DROP_FIRST = (1, 2)  # when the list is narrow: Outlet goes first, then Date; never Status


class ArticleListModel(QAbstractTableModel):
    """Rows of ``article_rows.ArticleRows`` (ids from indexes, no COUNT, no OFFSET), read a
    page at a time by id (``desk.rows_by_id``): a million articles cost one page. A search
    shows its first matches at once and reads more as the list is scrolled (``fetchMore``)."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.status: str | None = None
        self.search: str | None = None
        self.rows = Ids()
        self._pages: dict[int, list[dict]] = {}
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self.rows = Ids()  # until read: a failed read shows no rows, never raises into Qt
        with self.session.guard():
            self.rows = ArticleRows(self.session.db, layer_id=self.session.layer_id,
                                    status=self.status, search=self.search)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not getattr(self.rows, "complete", True)

    def fetchMore(self, parent=QModelIndex(), *, through: int | None = None) -> None:
        if not self.canFetchMore(parent):
            return
        ids: list = []
        with self.session.guard():
            ids = self.rows.next_matches(PAGE, through=through)
        if ids:
            first = len(self.rows)
            self._pages.pop(first // PAGE, None)  # a page read short is read again
            self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
            self.rows.extend(ids)
            self.endInsertRows()

    def row(self, r: int) -> dict | None:
        if not 0 <= r < len(self.rows):
            return None
        page = r // PAGE
        if page not in self._pages:
            self._pages[page] = []  # a page that cannot be read is blank until a refresh
            with self.session.guard():  # asked from data(), while Qt paints
                self._pages[page] = desk.rows_by_id(self.session.db, self.rows.page(page),
                                                    layer_id=self.session.layer_id)
        rows = self._pages[page]
        return rows[r % PAGE] if r % PAGE < len(rows) else None

    def row_of(self, article_id: int, *, read: bool = True) -> int | None:
        """The row of ``article_id``; a search reads its matches up to it unless not
        ``read`` (then only the rows read so far count)."""
        if not isinstance(self.rows, ArticleRows):
            return None
        if read and self.rows.index(article_id) is None and self.rows.unread(article_id):
            self.fetchMore(through=article_id)
        return self.rows.index(article_id)

    ROLES = (Qt.DisplayRole, Qt.ToolTipRole, Qt.UserRole, Qt.TextAlignmentRole)

    def data(self, index, role=Qt.DisplayRole):
        if role not in self.ROLES:  # Qt asks for many roles per cell: answer the rest fast
            return None
        rec = self.row(index.row()) if index.isValid() else None
        if rec is None:
            return None
        col = index.column()
        if role == Qt.DisplayRole:
            return (rec["title"], rec["outlet"], rec["published"][:10],
                    STATUS_LABELS.get(rec["status"], rec["status"]), str(rec["quotes"]))[col]
        if role == Qt.ToolTipRole and col == 0:
            return tip(rec["title"])
        if role == Qt.UserRole:
            return rec["id"]
        if role == Qt.TextAlignmentRole and col == 4:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None


class ArticleListPanel(QWidget):
    """Search box + status filter + the table; emits ``articleChosen(id)``."""

    articleChosen = Signal(int)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.model = ArticleListModel(session, self)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName("Search articles")
        self.search_box.setPlaceholderText("Search title and text (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.status_box = QComboBox()
        self.status_box.setObjectName("statusFilter")
        self.status_box.setAccessibleName("Filter by my status")
        self.status_box.addItem("All articles", "")  # never None as item data
        for key, label in STATUS_LABELS.items():
            self.status_box.addItem(f"Mine: {label}", key)
        self.status_box.insertSeparator(self.status_box.count())
        for key, label in (("queue", "Review queue"), ("reviewed", "Reviewed"),
                           ("not_reviewed", "Not reviewed")):
            self.status_box.addItem(label, key)
        self.table = QTableView()
        self.table.setObjectName("articleList")
        self.table.setAccessibleName("Articles")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for col, width in COLUMN_WIDTHS.items():
            header.setSectionResizeMode(col, QHeaderView.Interactive)
            self.table.setColumnWidth(col, width)
        self.table.installEventFilter(self)  # a narrow list hides Outlet, then Date
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.status_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self._apply_filters)
        self.search_box.textChanged.connect(lambda _t: self._debounce.start())
        self.status_box.currentIndexChanged.connect(self._apply_filters)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table and event.type() == QEvent.Resize:
            self._fit_columns(event.size().width())
        return False

    def _fit_columns(self, width: int) -> None:
        """Show Title (at least TITLE_MIN wide), Status and Quotes whatever the width; Outlet
        and Date only while there is room for them."""
        room = width - 2 * self.table.frameWidth() - self.table.verticalScrollBar().sizeHint().width()
        room -= TITLE_MIN + sum(COLUMN_WIDTHS[c] for c in COLUMN_WIDTHS if c not in DROP_FIRST)
        for col in reversed(DROP_FIRST):  # Date is kept longer than Outlet
            fits = room >= COLUMN_WIDTHS[col]
            self.table.setColumnHidden(col, not fits)
            room -= COLUMN_WIDTHS[col] if fits else 0

    def _apply_filters(self) -> None:
        """A new list from its first rows: the article open stays selected when it is among
        them (or anywhere in an indexed list), never by reading a search through to it."""
        current = self.current_id()
        self.model.search = self.search_box.text().strip() or None
        self.model.status = self.status_box.currentData() or None
        self.model.refresh()
        self.table.scrollToTop()
        if current is not None:
            self.select(current, emit=False, read=False)

    def _on_row(self, current, _previous) -> None:
        article_id = self.model.data(current, Qt.UserRole)
        if article_id is not None:
            self.articleChosen.emit(article_id)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.data(index, Qt.UserRole) if index.isValid() else None

    def select(self, article_id: int, *, emit: bool = True, read: bool = True) -> bool:
        row = self.model.row_of(article_id, read=read)
        if row is None:
            return False
        blocker = None if emit else self.table.selectionModel().blockSignals(True)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        if not emit:
            self.table.selectionModel().blockSignals(blocker)
        return True

    def reveal(self, article_id: int, *, clear_search: bool = True) -> bool:
        """Select an article, first clearing the status filter (and the search, unless not
        ``clear_search``) when they hide it."""
        if self.select(article_id):
            return True
        if clear_search:
            self.search_box.clear()
        self.status_box.setCurrentIndex(0)
        if clear_search:
            self.model.search = self.model.status = None
            self.model.refresh()
        return self.select(article_id)

    def step(self, step: int) -> None:
        """Select the article ``step`` rows below (above when negative) the current one."""
        row = self.table.currentIndex().row() + step
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def current_row(self) -> dict:
        """The current article's row (title, status, …); {} when none."""
        return self.model.row(self.table.currentIndex().row()) or {}

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def refresh(self) -> None:
        """Re-read the rows (counts, statuses) keeping the current article selected."""
        current = self.current_id()
        self.model.refresh()
        if current is not None:
            self.select(current, emit=False)
