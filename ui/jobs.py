"""The one runner of long jobs in the window (``annotator.tasks``): import, export, merge,
agreement, insights, analysis, the daily check and restore.

``Job(fn, project_path, **kwargs)`` runs ``fn(db, task=task, **kwargs)`` in a worker thread on
its own connection (``open_project``), ``AnalysisJob`` runs the analysis in its worker process
(spaCy holds the GIL); both have the same interface: ``start()``, ``cancel()`` (through the
task), ``running()``, ``wait()``, and the signals ``progressed(done, total, note)``,
``done(report)`` (a cancelled job too: its report says ``cancelled``), ``failed(message)``
and then ``finished()``. Nothing escapes the worker: an exception becomes one line
(``annotator.errors.user_message``). ``ProgressWidget`` shows jobs in the status bar.
"""
from __future__ import annotations

import atexit
import sqlite3

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from annotator.errors import ProjectError, user_message
from annotator.store.db import open_project
from annotator.tasks import Task

INT_MAX = 2**31 - 1        # a Qt int: byte counts of a large import are clamped
_running: set = set()      # worker threads still running (their Job may be gone already)


@atexit.register
def wait_for_all(msecs: int = 10000) -> None:
    """Let every worker thread end (at exit, so none is destroyed while running)."""
    for thread in list(_running):
        thread.wait(msecs)


def message(exc: BaseException, path=None, said: tuple = ()) -> str:
    """One line for the analyst: the project and files through ``user_message``; ``said``
    exceptions are worded already; anything else with its type."""
    if isinstance(exc, (ProjectError, sqlite3.Error, OSError)):
        return user_message(exc, path)
    if isinstance(exc, said):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class _Worker(QThread):
    def __init__(self, work):
        super().__init__()
        self.work = work

    def run(self) -> None:
        self.work()


class Job(QObject):
    """One core job in a worker thread with its own connection to ``project_path``.

    ``opens=False`` gives ``fn`` the path instead of a connection (backups open the file
    themselves). ``said``: exceptions whose text is the message as it is.
    """

    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, fn, project_path, *, opens: bool = True, said: tuple = (),
                 parent=None, **kwargs):
        super().__init__(parent)
        self.fn, self.project_path, self.kwargs = fn, project_path, kwargs
        self.opens, self.said = opens, said
        self.task = Task()
        self.thread: _Worker | None = None

    def start(self) -> "Job":
        """Run the job (again, with a new task) unless it is running."""
        if self.running():
            return self
        self.task = Task(progress=self._progress)
        self.thread = _Worker(self._work)
        _running.add(self.thread)
        self.thread.finished.connect(lambda thread=self.thread: _running.discard(thread))
        self.thread.finished.connect(self.finished)   # after done or failed
        self.thread.start()
        return self

    def cancel(self) -> None:
        self.task.cancel()

    def running(self) -> bool:
        return self.thread is not None and not self.thread.isFinished()

    def wait(self, msecs: int | None = 10000) -> bool:
        """Wait for the worker thread to end (``None``: however long it takes)."""
        if self.thread is None:
            return True
        return self.thread.wait() if msecs is None else self.thread.wait(msecs)

    def _progress(self, done: int, total: int, note: str) -> None:
        self._emit(self.progressed, min(done, INT_MAX), min(total, INT_MAX), note)

    def _emit(self, signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:   # the Job is gone (its window closed): nobody listens
            pass

    def _work(self) -> None:
        """In the worker thread: open, run, close; the outcome as a signal, never raised."""
        try:
            if not self.opens:
                report = self.fn(self.project_path, task=self.task, **self.kwargs)
            else:
                if self.project_path is None:
                    raise ProjectError("the project is not a file: nothing to work on")
                db = open_project(self.project_path, create=False)
                try:
                    report = self.fn(db, task=self.task, **self.kwargs)
                finally:
                    db.close()
        except Exception as exc:  # data safety: said, never raised out of the thread
            self._emit(self.failed, message(exc, self.project_path, self.said))
        else:
            self._emit(self.done, report)


class AnalysisJob(QObject):
    """``analysis.analyze`` in its worker process (``nlp.worker``), polled on a timer: the
    same interface as ``Job``; ``done`` carries an ``AnalysisReport``."""

    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, project_path, *, model=None, parent=None):
        super().__init__(parent)
        self.project_path, self.model = project_path, model
        self.process = None
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)

    def start(self, *, redo: bool = False) -> "AnalysisJob":
        """Analyse what is pending (``redo``: re-suggest every article, see ``analysis``)."""
        from annotator.nlp.worker import AnalysisProcess
        if not self.running():
            self.process = AnalysisProcess(self.project_path, model=self.model,
                                           redo=redo).start()
            self.timer.start()
        return self

    def cancel(self) -> None:
        if self.running():
            self.process.cancel()

    def running(self) -> bool:
        return self.process is not None and not self.process.finished

    def wait(self, msecs: int = 5000) -> bool:
        """Wait for the worker process to end; after ``msecs`` end it (each batch is its own
        transaction: what it stored is kept). Polling stops: for the window's close."""
        if self.process is not None and self.process.is_alive():
            self.process.join(msecs / 1000)
            self.process.terminate()
        self.timer.stop()
        return True

    def _poll(self) -> None:
        from annotator.nlp.analysis import AnalysisReport
        try:
            messages = self.process.poll()
        except (OSError, EOFError) as exc:  # the pipe to the worker broke: said, not raised
            messages = [("error", f"the analysis worker could not be reached ({exc}); "
                                  "run it again to resume")]
            self.process.finished = True
        for msg in messages:
            if msg[0] == "progress":
                self.progressed.emit(*msg[1:])
            elif msg[0] == "done":
                self.done.emit(AnalysisReport(**msg[1]))
            elif msg[0] == "error":
                self.failed.emit(msg[1])
        if self.process.finished:
            self.timer.stop()
            self.process.join(0)  # never wait here: the worker may take a moment to exit
            self.finished.emit()


class ProgressWidget(QWidget):
    """A label, a progress bar and a Cancel button for the status bar; ``follow(job, what)``
    shows a job there until it ends, and Cancel cancels the jobs it follows."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.PlainText)  # e.g. the name of the file being imported
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelAnalysis")
        self.cancel_button.clicked.connect(self.cancel_jobs)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.label, self.bar, self.cancel_button):
            layout.addWidget(w)
        self.jobs: list = []
        self.hide()

    def follow(self, job, what: str, first_total: int = 1) -> None:
        """Show ``job`` as ``what`` (``{note}`` is the job's note) until it finishes."""
        if not getattr(job, "_followed", False):   # a job started again is connected once
            job._followed = True
            job.progressed.connect(lambda d, t, n: self.show_progress(d, t, what.format(note=n)))
            job.finished.connect(lambda: self._ended(job))
        if job not in self.jobs:
            self.jobs.append(job)
        self.show_progress(0, first_total, what.format(note="").strip())

    def cancel_jobs(self) -> None:
        for job in self.jobs:
            if job.running():
                job.cancel()

    def _ended(self, job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        if not any(j.running() for j in self.jobs):
            self.hide()

    def show_progress(self, done: int, total: int, what: str) -> None:
        self.show()
        self.label.setText(what)
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{done} / {total}")
