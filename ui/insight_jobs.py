"""Aggregates off the UI thread: a worker thread with its own project connection.

``Background(db, owner).submit(kind, fn, **kwargs)`` runs ``fn(connection, **kwargs)`` in the
worker; the newest request of a kind wins, older ones are skipped or dropped, and the result
comes back on the UI thread through ``done(kind, result)``.
"""
from __future__ import annotations

import atexit
import itertools

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QWidget

from annotator.insights import counts as insights
from annotator.selection import SelectionError
from annotator.store.db import ProjectError, open_project

_threads: set = set()       # worker threads still running after their widget went away


@atexit.register
def stop_all_threads() -> None:
    """Stop every worker thread (at exit, so none is destroyed while running)."""
    for thread, _worker in list(_threads):
        thread.quit()
        thread.wait(5000)
    _threads.clear()


class Worker(QObject):
    """Runs ``fn(db, **kwargs)`` jobs on its own connection; the newest job of a kind wins."""

    done = Signal(str, int, object)
    failed = Signal(str, int, str)

    def __init__(self, path):
        super().__init__()
        self.path, self.db, self.latest = path, None, {}

    @Slot(str, int, object, object)
    def run(self, kind: str, gen: int, fn, kwargs) -> None:
        if gen < self.latest.get(kind, 0):
            return  # a newer request of this kind is queued
        try:
            if self.db is None:
                if self.path is None:
                    raise ProjectError("the project is not a file: nothing to count in")
                self.db = open_project(self.path, create=False)
                insights.prepare(self.db)
            self.done.emit(kind, gen, fn(self.db, **kwargs))
        except (SelectionError, ProjectError, ValueError) as exc:
            self.failed.emit(kind, gen, str(exc))
        except Exception as exc:  # e.g. the file locked too long: said, never a silent hang
            self.failed.emit(kind, gen, f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


class Background(QObject):
    """A worker thread owned by a widget: ``submit(kind, fn, **kwargs)``; results come back
    through ``done(kind, result)`` (stale ones dropped) and ``failed(kind, message)``."""

    request = Signal(str, int, object, object)
    done = Signal(str, object)
    failed = Signal(str, str)

    def __init__(self, db, owner: QWidget):
        super().__init__(owner)
        self.counter = itertools.count(1)
        self.wanted: dict[str, int] = {}
        thread = QThread()
        self.worker = Worker(insights.project_file(db))
        self.worker.moveToThread(thread)
        self.request.connect(self.worker.run)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        thread.finished.connect(self.worker.close, Qt.DirectConnection)
        thread.start()
        self.thread = thread
        _threads.add((thread, self.worker))
        owner.destroyed.connect(lambda *_: Background.stop(thread))

    @staticmethod
    def stop(thread: QThread) -> None:
        try:
            thread.quit()
        except RuntimeError:  # deleted already (at exit)
            return
        thread.finished.connect(lambda: _threads.difference_update(
            {t for t in _threads if t[0] is thread}))

    def submit(self, kind: str, fn, **kwargs) -> None:
        gen = next(self.counter)
        self.wanted[kind] = gen
        self.worker.latest[kind] = gen
        self.request.emit(kind, gen, fn, kwargs)

    def busy(self) -> bool:
        return bool(self.wanted)

    def _done(self, kind, gen, result) -> None:
        if self.wanted.get(kind) == gen:
            del self.wanted[kind]
            self.done.emit(kind, result)

    def _failed(self, kind, gen, message) -> None:
        if self.wanted.get(kind) == gen:
            del self.wanted[kind]
            self.failed.emit(kind, message)
