"""The Insights panel: who says what over a layer, as a matrix, a time chart and top lists.

Every number comes from ``annotator.insights`` (SQL), computed in a worker thread with its own
connection; the panel only draws. A click on a cell, bar or point lists the quotes behind it;
a click on a quote emits ``openQuote(article_id, uuid)``.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QGridLayout, QLabel,
                               QMenu, QScrollArea, QSplitter, QTableView, QTabWidget,
                               QToolButton, QWidget)

from annotator.insights import counts as insights

from .charts import BarChart, TimeChart, save_painting, write_csv
from .filter_bar import FilterBar, FilteredView, choose, narrow
from .insight_jobs import Background
from .insight_tables import MatrixModel, QuoteList
from .session import DATA_ERRORS, data_error


def render_widget(widget: QWidget, path) -> Path:
    """A widget (e.g. the matrix table) as PNG or SVG, by the file's suffix."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(widget.size())
        painter = QPainter(gen)
        widget.render(painter, QPoint())
        painter.end()
    elif not widget.grab().save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return path


def empty_time_text(totals: dict) -> str:
    """Why the time chart has nothing to draw."""
    if not totals["quotes"]:
        return "No quotes for these filters"
    if totals["undated"] is not None and totals["undated"] >= totals["quotes"]:
        return ("No article in this view has a date: add one with Article > Edit details "
                "(Ctrl+Shift+D), or import the articles with their dates")
    if not totals["coded"]:
        return "No position coded yet: the chart counts quotes per position"
    return "No coded quote in a dated article for these filters"


class InsightsPanel(FilteredView):
    """Filters on top; tabs with the matrix, the time chart and the top lists; the quotes
    behind the last click below. ``updated`` is emitted once new numbers are drawn."""

    openQuote = Signal(int, str)
    updated = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("insightsPanel")
        self.session = session
        self.data: dict | None = None
        self._dirty = True
        self._caption = ""
        self.background = Background(session.db, self)
        self.background.done.connect(self._done)
        self.background.failed.connect(self._failed)

        self.bucket_box = narrow(QComboBox(), 6)
        for bucket in ("week", "month", "year"):
            self.bucket_box.addItem(bucket, bucket)
        self.bucket_box.setCurrentIndex(1)
        self.export_button = QToolButton()
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction("This view as PNG…", lambda: self._export_dialog(".png"))
        menu.addAction("This view as SVG…", lambda: self._export_dialog(".svg"))
        menu.addAction("This table as CSV…", lambda: self._export_dialog(".csv"))
        menu.addAction("The listed quotes as CSV…", lambda: self._export_dialog(".csv", "quotes"))
        self.export_button.setMenu(menu)
        self.bar = FilterBar(session, [("layer", "topic", "outlet"), ("from", "to", "status")])
        self.bar.put("Per", self.bucket_box, 0, 3)
        self.bar.put(self.bar.all_dates, self.export_button, 1, 3)
        self.summary = QLabel()
        self.summary.setObjectName("insightsSummary")
        self.summary.setTextFormat(Qt.PlainText)

        self.matrix = MatrixModel()
        self.matrix_view = QTableView()
        self.matrix_view.setObjectName("insightsMatrix")
        self.matrix_view.setModel(self.matrix)
        self.matrix_view.setSortingEnabled(True)
        self.matrix_view.sortByColumn(3, Qt.DescendingOrder)
        self.matrix_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.matrix_view.verticalHeader().hide()
        self.matrix_view.horizontalHeader().setResizeContentsPrecision(40)  # fast with 1000s
        self.matrix_view.verticalHeader().setDefaultSectionSize(
            self.matrix_view.fontMetrics().height() + 8)
        self.matrix_view.clicked.connect(self._cell_clicked)
        self.time_chart = TimeChart("Quotes per position over time")
        self.time_chart.picked.connect(self._point_picked)
        self.top_speakers = BarChart("Top speakers", "#4e79a7")
        self.top_outlets = BarChart("Top outlets", "#f28e2b")
        self.top_topics = BarChart("Top topics", "#76b7b2")
        top = QWidget()
        grid = QGridLayout(top)
        for n, (chart, kind) in enumerate(((self.top_speakers, "speaker"),
                                           (self.top_outlets, "outlet"),
                                           (self.top_topics, "topic"))):
            chart.picked.connect(lambda key, k=kind, c=chart: self._bar_picked(k, key, c))
            grid.addWidget(chart, n // 2, n % 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.matrix_view, "Speakers × positions")
        self.tabs.addTab(self.time_chart, "Over time")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(top)
        self.tabs.addTab(scroll, "Top")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.quotes = QuoteList()
        self.quotes.openQuote.connect(self.openQuote)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.tabs)
        split.addWidget(self.quotes)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self._lay_out(session, self.summary, split, delay=150)
        self.bucket_box.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def set_filters(self, *, bucket=None, **filters) -> None:
        """Choose filters by name (as a user would in the bar: ``layer``, ``topic``,
        ``outlet``, ``date_from``, ``date_to``, ``article_status``, ``bucket``); one refresh."""
        if bucket is not None:
            self.bucket_box.blockSignals(True)
            try:
                choose(self.bucket_box, bucket)
            finally:
                self.bucket_box.blockSignals(False)
        self.bar.set_filters(**filters)

    def bucket(self) -> str:
        return self.bucket_box.currentData()

    # -- computing and drawing ---------------------------------------------------------------
    def refresh(self, *_args) -> None:
        """Recompute in the worker (now if shown, else when next shown)."""
        if not self._due():
            return
        self.background.submit("panel", insights.panel_data, filters=self.filters(),
                               bucket=self.bucket(), over_time=self._over_time(),
                               matrix=self._by_speaker(), outlets=self.tabs.currentIndex() == 2)

    def _over_time(self) -> bool:
        """The pass by period (the time chart) only on its tab."""
        return self.tabs.currentIndex() == 1

    def _by_speaker(self) -> bool:
        """The speakers' pass (matrix, top speakers and topics): not for the time chart."""
        return self.tabs.currentIndex() != 1

    def _tab_changed(self, _index: int) -> None:
        if self.background.busy() or self.data is None or (
                (self._over_time() and self.data["time"] is None) or
                (self._by_speaker() and self.data["matrix"] is None) or
                (self.tabs.currentIndex() == 2 and self.data["top"]["outlets"] is None)):
            self.refresh()  # a count on its way for the other tab is superseded

    def sizeHint(self) -> QSize:
        return QSize(900, 340)  # a bottom dock that leaves the article readable

    def _done(self, kind: str, result) -> None:
        if kind == "panel":
            self.show_data(result)
        elif kind == "quotes":
            self.quotes.show_quotes(self._caption, result)

    def _failed(self, _kind: str, message: str) -> None:
        self.summary.setText(f"Cannot count: {message}")

    def show_data(self, data: dict) -> None:
        self.data = data
        t = data["totals"]
        undated = f" · {t['undated']} without a date (not over time)" if t["undated"] else ""
        uncoded = (" — no position coded yet (a position's key, 1-9, codes the current quote)"
                   if t["quotes"] and not t["coded"] else "")
        self.summary.setText(f"{t['quotes']} quotes · {t['with_speaker']} with a speaker · "
                             f"{t['coded']} with a position{undated}{uncoded}")
        self.time_chart.empty_text = empty_time_text(t)
        if data["matrix"] is not None:  # counted only when its tab is on screen
            view = self.matrix_view
            order = (view.horizontalHeader().sortIndicatorSection(),
                     view.horizontalHeader().sortIndicatorOrder())
            self.matrix.set_matrix(data["matrix"])
            if order[0] < self.matrix.columnCount():
                view.sortByColumn(*order)
            self._size_columns()
        time = data["time"] or {"periods": [], "series": [], "bucket": self.bucket()}
        self.time_chart.set_data(time["periods"], [
            dict(s, group=s["topic"], payload=s["position_id"]) for s in time["series"]])
        self.time_chart.title = f"Quotes per position, per {time['bucket']}"
        for chart, items in ((self.top_speakers, data["top"]["speakers"]),
                             (self.top_outlets, data["top"]["outlets"]),
                             (self.top_topics, data["top"]["topics"])):
            if items is not None:
                chart.set_items([dict(i, payload=i["key"]) for i in items])
        self.updated.emit()

    def _size_columns(self) -> None:
        """Widths from the titles and the first rows' texts (cheap with thousands of rows)."""
        fm, m = self.matrix_view.fontMetrics(), self.matrix
        for col in range(m.columnCount()):
            title = m.headerData(col, Qt.Horizontal) or ""
            width = max(fm.horizontalAdvance(line) for line in title.split("\n")) + 24
            if col < 3:
                width = min(max([width] + [fm.horizontalAdvance(row[col]) + 14
                                           for row in m.values[:300]]), 220)
            self.matrix_view.setColumnWidth(col, max(width, 44))

    # -- click-through -----------------------------------------------------------------------
    def list_quotes(self, caption: str, **where) -> None:
        """Show the quotes of the current filters with ``where`` (see
        ``annotator.insights.quotes_behind``)."""
        self._caption = caption
        self.quotes.caption.setText(f"Finding the quotes: {caption}…")
        self.background.submit("quotes", insights.quotes_behind, filters=self.filters(),
                               bucket=self.bucket(), **where)

    def _cell_clicked(self, index) -> None:
        row, col = index.row(), index.column()
        speaker = self.matrix.rows[row]
        c = self.matrix.column(col)
        if c is not None and c["id"] is None:
            self.list_quotes(f"{speaker['name']}, no position yet", speaker=speaker["id"],
                             uncoded=True)
        elif c is not None:
            self.list_quotes(f"{speaker['name']} — {c['topic']}: {c['label']}",
                             speaker=speaker["id"], position=c["id"])
        else:
            self.list_quotes(f"{speaker['name']}, every quote", speaker=speaker["id"])

    def _point_picked(self, payload) -> None:
        position, period = payload
        label = next((f"{s['group']}: {s['label']}" for s in self.time_chart.series
                      if s["payload"] == position), "a position")
        self.list_quotes(f"{label}, {period}", position=position, period=period)

    def _bar_picked(self, kind: str, key, chart: BarChart) -> None:
        label = next((i["label"] for i in chart.items if i["payload"] == key), key)
        self.list_quotes(f"{kind} {label}", **{kind: key})

    # -- export ------------------------------------------------------------------------------
    VIEWS = ("matrix", "time", "top")

    def export(self, path, what: str | None = None) -> Path:
        """Write ``what`` (matrix, time, top or quotes; default: the current tab) to
        ``path``: PNG or SVG for a picture, CSV for its table."""
        what = what or self.VIEWS[self.tabs.currentIndex()]
        path = Path(path)
        if self.data is not None and (self.data["time"] is None or
                                      self.data["matrix"] is None):
            # counted for the matrix only so far: count the rest now (a user's export)
            self.show_data(insights.panel_data(self.session.db, self.filters(),
                                               bucket=self.bucket()))
        charts = {"time": [self.time_chart],
                  "top": [self.top_speakers, self.top_outlets, self.top_topics]}
        if path.suffix.lower() == ".csv":
            if what == "quotes":
                return write_csv(path, *self.quotes.rows())
            if what == "matrix":
                return write_csv(path, *self.matrix.table())
            if what == "time":
                return write_csv(path, *self.time_chart.table())
            rows = [[c.title, *r] for c in charts["top"] for r in c.table()[1]]
            return write_csv(path, ["list", "label", "count"], rows)
        if what == "matrix":
            return render_widget(self._whole_matrix(), path)
        if what == "time":
            return self.time_chart.save(path, QSize(900, 420))
        if what == "top":
            def paint(painter, rect):
                third = rect.width() / 3
                for n, chart in enumerate(charts["top"]):
                    chart.paint_to(painter, rect.adjusted(n * third, 0,
                                                          -(2 - n) * third, 0))
            return save_painting(paint, QSize(1200, 360), path, title="Top")
        raise ValueError(f"cannot export {what!r} as {path.suffix}")

    def _whole_matrix(self) -> QTableView:
        """An unscrolled copy of the matrix, every row and column, for a picture of it."""
        view = QTableView()
        view.setModel(self.matrix)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(
            self.matrix_view.verticalHeader().defaultSectionSize())
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        width = 4
        for col in range(self.matrix.columnCount()):
            view.setColumnWidth(col, self.matrix_view.columnWidth(col))
            width += self.matrix_view.columnWidth(col)
        height = (view.horizontalHeader().sizeHint().height() + 4 +
                  self.matrix.rowCount() * view.verticalHeader().defaultSectionSize())
        view.resize(width, height)
        return view

    def _export_dialog(self, suffix: str, what: str | None = None) -> None:
        what = what or self.VIEWS[self.tabs.currentIndex()]
        kinds = {".png": "PNG images (*.png)", ".svg": "SVG images (*.svg)",
                 ".csv": "CSV tables (*.csv)"}
        path, _ = QFileDialog.getSaveFileName(self, "Export", f"quotebook-{what}{suffix}",
                                              kinds[suffix])
        if path:
            if not path.lower().endswith(suffix):
                path += suffix
            try:
                self.export(path, what)
            except DATA_ERRORS as exc:  # the file, or the recount on this thread
                self.summary.setText(f"Not exported: {data_error(self.session, exc, path)}")
            except ValueError as exc:
                self.summary.setText(f"Not exported: {exc}")

