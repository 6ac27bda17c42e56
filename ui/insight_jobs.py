"""Aggregates off the UI thread, as jobs (``jobs.py``) with their own project connection.

``Background(db, owner).submit(kind, fn, **kwargs)`` runs ``fn(connection, **kwargs)`` as a
job; the newest request of a kind wins (one runs at a time per kind, the newest waiting one
follows, the ones in between are skipped, a stale result is dropped), and the result comes back
on the UI thread through ``done(kind, result)``, or ``failed(kind, message)``.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from annotator.insights import counts as insights
from annotator.selection import SelectionError

from .jobs import Job


def _count(db, *, task, count, args):
    """One request in its job: the connection tuned for aggregates, then ``fn``. The counts
    are single queries, each short: a cancel drops the result, it need not stop them."""
    insights.prepare(db)
    return count(db, **args)


class Background(QObject):
    """The counts of a widget: ``submit(kind, fn, **kwargs)``; results come back through
    ``done(kind, result)`` (stale ones dropped) and ``failed(kind, message)``."""

    done = Signal(str, object)
    failed = Signal(str, str)

    def __init__(self, db, owner: QWidget):
        super().__init__(owner)
        self.path = insights.project_file(db)
        self.running: dict[str, Job] = {}
        self.waiting: dict[str, tuple] = {}

    def submit(self, kind: str, fn, **kwargs) -> None:
        if kind in self.running:
            self.running[kind].cancel()          # its result is stale
            self.waiting[kind] = (fn, kwargs)    # replaces an older waiting request
            return
        job = Job(_count, self.path, count=fn, args=kwargs, said=(SelectionError, ValueError),
                  parent=self)
        self.running[kind] = job
        job.done.connect(lambda result: self._ended(kind, job, "done", result))
        job.failed.connect(lambda message: self._ended(kind, job, "failed", message))
        job.start()

    def busy(self) -> bool:
        return bool(self.running)

    def wait(self, msecs: int = 5000) -> None:
        for job in list(self.running.values()):
            job.wait(msecs)

    def _ended(self, kind: str, job: Job, how: str, value) -> None:
        if self.running.get(kind) is not job:
            return
        del self.running[kind]
        if kind in self.waiting:
            fn, kwargs = self.waiting.pop(kind)
            self.submit(kind, fn, **kwargs)
        elif how == "done":
            self.done.emit(kind, value)
        else:
            self.failed.emit(kind, value)
