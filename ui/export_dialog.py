"""File > Export: format, filters, output path, and the export as a job (``jobs.py``).

The job opens its own project connection, reports progress and honours Cancel; an error is
shown in the dialog in plain words. All the work is ``annotator.export.export``.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from annotator.selection import Selection, filter_choices
from annotator.vocab import ARTICLE_STATUSES, QUOTE_STATUSES
from annotator.errors import user_message
from annotator.export import FORMATS, ExportError, export
from annotator.store.db import ProjectError, open_project

from .jobs import Job

ALL = "(all)"


def _checks(names, parent) -> tuple[QWidget, dict]:
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    checks = {}
    for name in names:
        checks[name] = QCheckBox(name.replace("_", " "), box)
        row.addWidget(checks[name])
    row.addStretch(1)
    return box, checks


class ExportDialog(QDialog):
    """The export dialog of the project at ``project_path``."""

    finished_export = Signal(bool, str)  # ok, message (also shown in the dialog)

    def __init__(self, project_path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setObjectName("exportDialog")
        self.project_path = Path(project_path)
        self.job: Job | None = None
        choices, problem = self._choices()

        self.format = QComboBox(self)
        for key, (_, _, description) in FORMATS.items():
            self.format.addItem(description, key)
        self.path = QLineEdit(self)
        self.path.setObjectName("exportPath")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)

        self.layer = self._combo(choices["layers"], "(all layers)")
        self.outlet = self._combo(choices["outlets"], "(all outlets)")
        self.topic = self._combo(choices["topics"], "(all topics)")
        statuses, self.statuses = _checks(QUOTE_STATUSES, self)
        art_statuses, self.article_statuses = _checks(ARTICLE_STATUSES, self)
        self.date_from = QLineEdit(self)
        self.date_to = QLineEdit(self)
        for edit, day, which in ((self.date_from, choices["first_date"], "first"),
                                 (self.date_to, choices["last_date"], "last")):
            edit.setPlaceholderText(f"YYYY-MM-DD ({which}: {day})" if day else "YYYY-MM-DD")
            edit.setToolTip(f"The {which} article is of {day}" if day else
                            "No article has a date yet: add one in the article's details")
        dates = QHBoxLayout()
        dates.addWidget(QLabel("from", self))
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("to", self))
        dates.addWidget(self.date_to)
        self.quoted_only = QCheckBox("Only articles with at least one chosen quote", self)
        self.bom = QCheckBox("UTF-8 with byte order mark (for Excel)", self)
        self.raw_cells = QCheckBox("Keep cells starting with = + - @ as they are", self)
        self.raw_cells.setObjectName("exportRawCells")
        self.raw_cells.setToolTip("By default such a cell gets a leading ' so that a "
                                  "spreadsheet shows it and never runs it as a formula.")

        filters = QGroupBox("Filters", self)
        form = QFormLayout(filters)
        form.addRow("Layer", self.layer)
        form.addRow("Quote status", statuses)
        form.addRow("", QLabel("None ticked: every status for Quotebook JSONL, all but "
                               "rejected for the other formats.", self))
        form.addRow("Article status", art_statuses)
        form.addRow("Outlet", self.outlet)
        form.addRow("Published", dates)
        form.addRow("Topic", self.topic)
        form.addRow("", self.quoted_only)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setVisible(False)
        self.message = QLabel(problem or "", self)
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)  # paths and error messages
        self.export_button = QPushButton("Export", self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.export_button.setEnabled(problem is None)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelExport")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(close)

        top = QFormLayout()
        top.addRow("Format", self.format)
        top.addRow("Save to", path_row)
        top.addRow("", self.bom)
        top.addRow("", self.raw_cells)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(filters)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    # -- building ---------------------------------------------------------------------------
    def _choices(self) -> tuple[dict, str | None]:
        empty = {"layers": [], "outlets": [], "topics": [], "first_date": None,
                 "last_date": None}
        try:
            db = open_project(self.project_path, create=False)
        except ProjectError as exc:
            return empty, str(exc)
        try:
            return filter_choices(db), None
        except (sqlite3.Error, OSError) as exc:
            return empty, user_message(exc, self.project_path)
        finally:
            db.close()

    def _combo(self, names, everything: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(everything, "")  # never None as item data (PySide refcounts)
        for name in names:
            combo.addItem(name, name)
        return combo

    def _format_changed(self) -> None:
        fmt = self.fmt()
        kind, suffix, _ = FORMATS[fmt]
        self.bom.setEnabled(fmt == "csv")
        self.raw_cells.setVisible(fmt == "csv")
        stem = self.project_path.stem
        current = self.path.text().strip()
        if not current or getattr(self, "_suggested", None) == current:
            self._suggested = str(self.project_path.with_name(f"{stem}-{fmt}{suffix}"))
            self.path.setText(self._suggested)

    def fmt(self) -> str:
        return self.format.currentData()

    def browse(self) -> None:
        kind = FORMATS[self.fmt()][0]
        if kind == "folder":
            chosen = QFileDialog.getExistingDirectory(self, "Export to folder",
                                                      str(self.project_path.parent))
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to file", self.path.text())
        if chosen:
            self.path.setText(chosen)

    def filters(self) -> Selection:
        """The filter the widgets describe."""
        def ticked(checks):
            return tuple(name for name, box in checks.items() if box.isChecked())
        return Selection(
            layers=self.layer.currentData() or (), statuses=ticked(self.statuses),
            article_statuses=ticked(self.article_statuses),
            outlets=self.outlet.currentData() or (), topics=self.topic.currentData() or (),
            date_from=self.date_from.text().strip() or None,
            date_to=self.date_to.text().strip() or None,
            quoted_only=self.quoted_only.isChecked())

    # -- running ----------------------------------------------------------------------------
    def running(self) -> bool:
        return self.job is not None and self.job.running()

    def start(self) -> None:
        if self.running():
            return
        out = self.path.text().strip()
        if not out:
            self._show(False, "Give a file or folder to export to.")
            return
        csv_file = self.fmt() == "csv"
        self.job = Job(export, self.project_path, fmt=self.fmt(), out=out,
                       filters=self.filters(), bom=self.bom.isChecked() and csv_file,
                       raw_cells=self.raw_cells.isChecked() and csv_file,
                       said=(ExportError,), parent=self)
        self.job.progressed.connect(self._progressed)
        self.job.done.connect(lambda result: self._done(not result.cancelled,
                                                        result.summary()))
        self.job.failed.connect(lambda message: self._done(False, message))
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.message.setStyleSheet("")
        self.message.setText("Exporting…")
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job.start()

    def cancel(self) -> None:
        if self.running():
            self.job.cancel()
            self.message.setText("Cancelling…")

    def _progressed(self, done: int, total: int, note: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _done(self, ok: bool, message: str) -> None:
        self.job.wait(5000)   # its last signal is sent: the thread is ending
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self._show(ok, message[0].upper() + message[1:] if message else message)
        self.finished_export.emit(ok, message)

    def _show(self, ok: bool, text: str) -> None:
        self.message.setStyleSheet("" if ok else "color: #b00020; font-weight: bold;")
        self.message.setText(text)

    def reject(self) -> None:
        """Close: a running export is cancelled first (nothing half-written is left)."""
        if self.running():
            self.cancel()
            self.job.wait(10000)
        super().reject()
