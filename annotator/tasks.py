"""The one contract of a long job (import, analysis, export, merge, agreement, counts).

A long job is a plain function ``job(db, ..., task=None)`` that reports through
``task.progress(done, total, note)`` and looks at ``task.cancelled`` between whole units (an
article, a batch, the merge's one transaction, the export's one file). It always returns a
report with ``cancelled``; a cancel is never raised to its caller. Inside the job,
``task.check()`` raises ``Cancelled`` for the job itself to catch where a unit ends.
"""
from __future__ import annotations

import threading
from typing import Callable

Progress = Callable[[int, int, str], None]   # (done, total, note)
Cancel = Callable[[], bool]


class Cancelled(Exception):
    """Raised by ``Task.check()`` inside a job; the job turns it into ``cancelled=True``."""


class Task:
    """Progress and cancel of one run of a job.

    ``progress`` receives ``(done, total, note)``. ``cancel`` is the flag to watch: an
    Event-like object (``threading.Event``, a ``multiprocessing`` Event, set from another
    thread or process) or a ``Cancel`` callable; by default a new ``threading.Event``.
    """

    def __init__(self, progress: Progress | None = None, cancel=None):
        self._report = progress
        if cancel is not None and hasattr(cancel, "is_set"):
            self._flag, self._ask = cancel, None
        else:
            self._flag, self._ask = threading.Event(), cancel

    def progress(self, done: int, total: int, note: str = "") -> None:
        if self._report is not None:
            self._report(done, total, note)

    @property
    def cancelled(self) -> bool:
        return self._flag.is_set() or bool(self._ask is not None and self._ask())

    def cancel(self) -> None:
        """Ask the job to stop after its current unit (safe from any thread)."""
        self._flag.set()

    def check(self) -> None:
        """Raise ``Cancelled`` when the job was asked to stop."""
        if self.cancelled:
            raise Cancelled()


def ensure(task: Task | None) -> Task:
    """``task``, or a task that reports nothing and is never cancelled."""
    return task if task is not None else Task()
