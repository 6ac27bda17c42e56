"""Agreement report: choose layers (by default every analyst layer with work on the corpus,
``workflow.layers_with_work``), compute as a job (``jobs.py``), read the table, save
JSON/CSV."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QProgressBar, QPushButton,
                               QVBoxLayout)

from annotator.editing import desk
from annotator.editing.workflow import layers_with_work
from annotator.review.agreement import agreement
from annotator.review.report import to_csv, to_json, to_table

from .jobs import Job


def compared_text(result: dict) -> str:
    """What a report compared: its articles and layers, or why there was nothing."""
    layers = result["layers"]
    if not result["articles"]:
        both = "both" if len(layers) == 2 else "all"
        names = ", ".join(layers[:-1]) + " and " + layers[-1]
        return (f"0 articles compared: no article that {names} have {both} worked on "
                "(a quote, or the article in progress or done).")
    return f"{result['articles']} article(s) compared: {', '.join(layers)}."


class AgreementDialog(QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Agreement between layers")
        self.resize(900, 600)
        self.session, self.result, self.job = session, None, None
        self.layers = QListWidget()
        self.layers.setAccessibleName("Layers to compare")
        self.layers.setMaximumHeight(110)
        working = [layer["name"] for layer in layers_with_work(session.db)]
        for layer in desk.layers(session.db):
            item = QListWidgetItem(f"{layer['name']} ({layer['kind']})")
            item.setData(Qt.UserRole, layer["name"])
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if layer["name"] in working else Qt.Unchecked)
            self.layers.addItem(item)
        self.report = QPlainTextEdit()
        self.report.setObjectName("agreementReport")
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.report.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.bar = QProgressBar()
        self.status = QLabel()
        self.status.setTextFormat(Qt.PlainText)  # paths and error messages
        self.compute = QPushButton("Compute")
        self.compute.setDefault(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.setEnabled(False)
        self.save_json = QPushButton("Save JSON…")
        self.save_csv = QPushButton("Save CSV…")
        for b in (self.save_json, self.save_csv):
            b.setEnabled(False)
        self.compute.clicked.connect(self.start)
        self.cancel.clicked.connect(lambda: self.job and self.job.cancel())
        self.save_json.clicked.connect(lambda: self._save("json"))
        self.save_csv.clicked.connect(lambda: self._save("csv"))
        row = QHBoxLayout()
        for w in (self.compute, self.cancel, self.bar, self.save_json, self.save_csv):
            row.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Layers (two or more):"))
        layout.addWidget(self.layers)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.report, 1)
        if len(working) < 2:
            self.status.setText(
                (f"Only {working[0]} has work so far" if working else
                 "No analyst has work so far") + ": tick the layers to compare "
                "(gold, the suggestions, or an analyst's).")

    def chosen(self) -> list[str]:
        return [self.layers.item(i).data(Qt.UserRole) for i in range(self.layers.count())
                if self.layers.item(i).checkState() == Qt.Checked]

    def start(self) -> None:
        names = self.chosen()
        if len(names) < 2:
            self.status.setText("Choose at least two layers.")
            return
        self.job = Job(agreement, self.session.project_path, layer_names=names,
                       said=(ValueError,), parent=self)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.job.progressed.connect(lambda d, t, _n: (self.bar.setRange(0, max(t, 1)),
                                                      self.bar.setValue(d)))
        self.job.done.connect(self._done)
        self.job.failed.connect(
            lambda m: self.status.setText(f"Agreement could not be computed: {m}"))
        self.job.finished.connect(lambda: (self.compute.setEnabled(True),
                                           self.cancel.setEnabled(False)))
        self.compute.setEnabled(False)
        self.cancel.setEnabled(True)
        self.status.setText("Computing…")
        self.job.start()

    def _done(self, result: dict) -> None:
        if result["cancelled"]:
            self.status.setText("Cancelled.")
            return
        self.result = result
        self.bar.setRange(0, max(result["articles"], 1))   # done: full, even over no article
        self.bar.setValue(self.bar.maximum())
        self.report.setPlainText(to_table(result))
        self.status.setText(compared_text(result))
        for b in (self.save_json, self.save_csv):
            b.setEnabled(True)

    def _save(self, kind: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save agreement", str(Path.home() /
                                              f"agreement.{kind}"), f"{kind.upper()} (*.{kind})")
        if path:
            self.save(path, kind)

    def save(self, path: str, kind: str) -> None:
        text = to_json(self.result) if kind == "json" else to_csv(self.result)
        try:
            Path(path).write_text(text, encoding="utf-8")
            self.status.setText(f"Saved {path}")
        except OSError as exc:
            self.status.setText(f"Not saved: {path}: {exc.strerror or exc}")

    def done(self, code: int) -> None:
        if self.job is not None and self.job.running():
            self.job.cancel()
            self.job.wait(10000)
        super().done(code)
