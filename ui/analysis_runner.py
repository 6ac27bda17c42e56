"""Runs the analysis worker process and shows it in the status bar: progress bar and cancel."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from annotator.nlp.worker import AnalysisProcess


class AnalysisRunner(QObject):
    """Starts ``AnalysisProcess`` and polls its messages on a timer (never blocking the UI)."""

    progressed = Signal(int, int, str)
    finished = Signal(bool, str)   # ok, message
    batch_stored = Signal()

    def __init__(self, project_path, *, model=None, parent=None):
        super().__init__(parent)
        self.project_path = project_path
        self.model = model
        self.job: AnalysisProcess | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        self._last_done = 0

    def running(self) -> bool:
        return self.job is not None and not self.job.finished

    def start(self) -> None:
        if self.running():
            return
        self._last_done = 0
        self.job = AnalysisProcess(self.project_path, model=self.model).start()
        self.timer.start()

    def cancel(self) -> None:
        if self.running():
            self.job.cancel()

    def shutdown(self) -> None:
        """Ask the worker to stop (it commits its batch) and wait briefly, then end it."""
        if self.job is not None and self.job.is_alive():
            self.job.cancel()
            self.job.join(5)
            self.job.terminate()
        self.timer.stop()

    def _poll(self) -> None:
        try:
            messages = self.job.poll()
        except (OSError, EOFError) as exc:  # the pipe to the worker broke: said, not raised
            self.timer.stop()
            self.job.finished = True
            self.finished.emit(False, f"the analysis worker could not be reached ({exc}); "
                                      "run it again to resume")
            return
        for msg in messages:
            if msg[0] == "progress":
                _, done, total, note = msg
                self.progressed.emit(done, total, note)
                if done != self._last_done:
                    self._last_done = done
                    self.batch_stored.emit()
            elif msg[0] == "done":
                report = msg[1]
                note = " (cancelled)" if report["cancelled"] else ""
                self.finished.emit(True, f"Analysed {report['analyzed']} article(s){note}")
            elif msg[0] == "error":
                self.finished.emit(False, msg[1])
        if self.job.finished:
            self.timer.stop()
            self.job.join(0)  # never wait here: the worker may take a moment to exit


class ProgressWidget(QWidget):
    """A label, a progress bar and a Cancel button for the status bar."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.PlainText)  # e.g. the name of the file being imported
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelAnalysis")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.label, self.bar, self.cancel_button):
            layout.addWidget(w)
        self.hide()

    def show_progress(self, done: int, total: int, what: str) -> None:
        self.show()
        self.label.setText(what)
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{done} / {total}")
