"""Import files in a worker thread with its own project connection (progress and cancel)."""
from __future__ import annotations

import threading

from PySide6.QtCore import QThread, Signal

from annotator.corpus.importing import import_paths
from annotator.store.db import open_project


class ImportThread(QThread):
    """``progressed(done, total, note)`` in bytes; ``done(report)`` at the end, or
    ``error(message)``."""

    progressed = Signal(int, int, str)
    done = Signal(object)
    error = Signal(str)

    def __init__(self, project_path, paths, parent=None):
        super().__init__(parent)
        self.project_path, self.paths = project_path, [str(p) for p in paths]
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            db = open_project(self.project_path, create=False)
            try:
                report = import_paths(db, self.paths, cancel=self._cancel.is_set,
                                      progress=lambda d, t, n: self.progressed.emit(
                                          min(d, 2**31 - 1), min(t, 2**31 - 1), n))
            finally:
                db.close()
            self.done.emit(report)
        except Exception as exc:  # shown to the user by the window
            self.error.emit(f"Import failed: {exc}")
