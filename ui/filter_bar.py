"""The filter bar of the Insights and Discourse network windows: layer and topic (and, where
asked, outlet, dates and article status) over the project's choices, read as one filter."""
from __future__ import annotations

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDateEdit, QGridLayout, QLabel, QToolButton,
                               QVBoxLayout, QWidget)

from annotator.editing.workflow import layers_with_work
from annotator.selection import Selection, filter_choices
from annotator.vocab import ARTICLE_STATUSES

from .charts import refill
from .session import DATA_ERRORS, data_error

ANY = "__any__"            # combo data for "no filter" (never None in a QVariant)
NO_DATE = QDate(1900, 1, 1)  # a date edit at its minimum shows "any"
LABELS = {"layer": "Layer", "topic": "Topic", "outlet": "Outlet", "from": "From", "to": "To",
          "status": "Articles"}


def narrow(box: QComboBox, chars: int = 12) -> QComboBox:
    """A combo box that may be narrower than its longest item (a dock stays small)."""
    box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(chars)
    return box


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("any")
    edit.setDate(NO_DATE)
    return edit


def choose(box: QComboBox, value: str) -> None:
    """Select the item whose data is ``value`` ("" for the "all" item); ValueError if none."""
    index = box.findData(value or ANY)
    if index < 0:
        raise ValueError(f"no choice {value!r} in {box.objectName() or 'a filter'}")
    box.setCurrentIndex(index)


class FilterBar(QWidget):
    """The filters named in ``rows`` (``layer``, ``topic``, ``outlet``, ``from``, ``to``,
    ``status``), each a label and its box on a grid; the owner adds its own controls with
    ``put``. ``changed`` when a filter changes; ``failed(message)`` when the project cannot
    be read. ``fill_choices()`` fills the boxes (the owner calls it once it listens)."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, session, rows, *, widths: dict | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        names = [name for row in rows for name in row]
        widths = {"layer": 8, "topic": 14, "outlet": 10, **(widths or {})}
        boxes = {name: narrow(QComboBox(), widths[name]) for name in ("layer", "topic", "outlet")
                 if name in names}
        self.layer_box, self.topic_box = boxes["layer"], boxes["topic"]
        self.outlet_box = boxes.get("outlet")
        self.status_box = self.from_edit = self.to_edit = self.all_dates = None
        if "status" in names:
            self.status_box = narrow(QComboBox(), 10)
            self.status_box.addItem("any status", ANY)
            for status in ARTICLE_STATUSES:
                self.status_box.addItem(status.replace("_", " "), status)
        if "from" in names:
            self.from_edit, self.to_edit = _date_edit(), _date_edit()
            self.all_dates = QToolButton(text="All dates")
            self.all_dates.setToolTip("Clear the date range")
            self.all_dates.clicked.connect(lambda: self.set_filters(date_from="", date_to=""))
        fields = {**boxes, "status": self.status_box, "from": self.from_edit, "to": self.to_edit}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self._columns = 0
        for r, row in enumerate(rows):
            for c, name in enumerate(row):
                self.put(LABELS[name], fields[name], r, c)
        for box in self._boxes():
            box.currentIndexChanged.connect(lambda *_: self.changed.emit())
        for edit in self._dates():
            edit.dateChanged.connect(lambda *_: self.changed.emit())

    def put(self, label, widget, row: int, column: int) -> None:
        """A control in the grid's ``column`` (0, 1, …) of ``row``: ``label`` (text, a widget
        or None) on the left, ``widget`` (a widget or a layout) on the right."""
        if isinstance(label, str):
            label = QLabel(label)
        if label is not None:
            self.grid.addWidget(label, row, 2 * column)
        if isinstance(widget, QWidget):
            self.grid.addWidget(widget, row, 2 * column + 1)
        else:
            self.grid.addLayout(widget, row, 2 * column + 1)
        if column + 1 > self._columns:  # the stretch stays right of the last control
            self.grid.setColumnStretch(2 * self._columns, 0)
            self._columns = column + 1
            self.grid.setColumnStretch(2 * self._columns, 1)

    def _boxes(self) -> list:
        return [b for b in (self.layer_box, self.topic_box, self.outlet_box, self.status_box)
                if b is not None]

    def _dates(self) -> list:
        return [e for e in (self.from_edit, self.to_edit) if e is not None]

    def fill_choices(self) -> None:
        """Layers, topics and outlets of the project (kept selected when still there)."""
        try:
            choices = filter_choices(self.session.db)
            layer = self.layer_box.currentData() or self._default_layer(choices["layers"])
        except DATA_ERRORS as exc:  # read on this thread: said, never raised into Qt
            self.failed.emit(f"Cannot read the project: {data_error(self.session, exc)}")
            return
        for box, items, everything, want in (
                (self.layer_box, choices["layers"], None, layer),
                (self.topic_box, choices["topics"], "all topics", self.topic_box.currentData()),
                (self.outlet_box, choices["outlets"], "all outlets",
                 self.outlet_box and self.outlet_box.currentData())):
            if box is not None:
                refill(box, items, everything=everything, any_data=ANY, want=want)
        for edit, day in zip(self._dates(), (choices["first_date"], choices["last_date"])):
            if day:  # the calendar opens on the corpus's first (last) month, not on 1900
                date = QDate.fromString(day, "yyyy-MM-dd")
                edit.calendarWidget().setCurrentPage(date.year(), date.month())

    def _default_layer(self, layers: list[str]) -> str | None:
        """The layer first shown: mine when it has work, else gold, else the first analyst
        layer, else the suggestions, each when it has work (``workflow.layers_with_work``);
        never a reviewer's own empty layer while another has work."""
        mine = getattr(self.session, "analyst", None)
        working = layers_with_work(self.session.db, kinds=("analyst", "gold", "suggestions"))
        names = [layer["name"] for layer in working]
        if mine in names:
            return mine
        for kind in ("gold", "analyst", "suggestions"):
            found = next((layer["name"] for layer in working if layer["kind"] == kind), None)
            if found is not None:
                return found
        return mine if mine in layers else None

    def set_filters(self, *, layer=None, topic=None, outlet=None, date_from=None,
                    date_to=None, article_status=None) -> None:
        """Choose filters by name ("" for any), as a user would in the bar; one ``changed``."""
        chosen = [(w, v) for w, v in ((self.layer_box, layer), (self.topic_box, topic),
                                      (self.outlet_box, outlet), (self.status_box, article_status),
                                      (self.from_edit, date_from), (self.to_edit, date_to))
                  if v is not None]
        if any(w is None for w, _v in chosen):
            raise TypeError("a filter this bar does not have")
        widgets = self._boxes() + self._dates()
        for w in widgets:
            w.blockSignals(True)
        try:
            for w, value in chosen:
                if isinstance(w, QComboBox):
                    choose(w, value)
                else:
                    w.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else NO_DATE)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.changed.emit()

    def filters(self) -> Selection:
        """The chosen filters (only those of this bar)."""
        def pick(box):
            return () if box is None or box.currentData() in (ANY, None) else (box.currentData(),)

        def day(edit):
            return None if edit is None or edit.date() == NO_DATE \
                else edit.date().toString("yyyy-MM-dd")
        return Selection(layers=pick(self.layer_box), topics=pick(self.topic_box),
                            outlets=pick(self.outlet_box),
                            article_statuses=pick(self.status_box),
                            date_from=day(self.from_edit), date_to=day(self.to_edit))


class FilteredView(QWidget):
    """A window of counts over the project (Insights, Discourse network): the filter bar on
    top, a status line, the body; recounted shortly after each edit while it lives."""

    bar: FilterBar
    _dirty = True   # counts wanted while hidden: made when next shown

    def _lay_out(self, session, status, body, *, delay: int) -> None:
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)
        col.addWidget(self.bar)
        col.addWidget(status)
        col.addWidget(body, 1)
        self.bar.failed.connect(status.setText)  # choices are read when first shown
        self.bar.changed.connect(self.refresh)
        self._timer = QTimer(self, singleShot=True, interval=delay)
        self._timer.timeout.connect(self._project_changed)
        session.changed.connect(lambda *_: self._timer.start())

    def refresh(self, *_args) -> None:
        raise NotImplementedError

    def _due(self) -> bool:
        """Whether to count now: a hidden window counts when it is next shown."""
        self._dirty = not self.isVisible()
        return not self._dirty

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.fill_choices()
            self.refresh()

    def filters(self):
        """The bar's choice (an ``annotator.selection.Selection``)."""
        return self.bar.filters()

    def fill_choices(self) -> None:
        """The bar's layers, topics and outlets (kept selected when still there)."""
        self.bar.fill_choices()

    def _project_changed(self) -> None:
        """After an edit or an outside change: new choices, new counts."""
        if self.isVisible():
            self.fill_choices()
        self.refresh()

    def stop(self) -> None:
        """No more recounts after an edit (the window closes)."""
        self._timer.stop()
