"""File > Merge project: plan in a worker thread, show the summary, merge after a yes."""
from __future__ import annotations

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QMessageBox

from annotator.review.merge import MergeError, apply_merge, plan_merge
from annotator.store.db import ProjectError, open_project

from .plain import ask, show_message


class MergeThread(QThread):
    """Plans (``plan`` None) or applies a merge with its own project connection."""

    finishedWith = Signal(object, bool)   # plan, applied
    error = Signal(str)

    def __init__(self, project_path, other, plan=None, parent=None):
        super().__init__(parent)
        self.project_path, self.other, self.plan = project_path, other, plan

    def run(self) -> None:
        try:
            db = open_project(self.project_path, create=False)
            try:
                if self.plan is None:
                    self.finishedWith.emit(plan_merge(db, self.other), False)
                else:
                    self.finishedWith.emit(apply_merge(db, self.plan), True)
            finally:
                db.close()
        except (MergeError, ProjectError, OSError) as exc:
            self.error.emit(str(exc))
        except Exception as exc:  # shown to the user; the merge rolled back
            self.error.emit(f"merge failed, nothing was changed: {exc}")


class MergeFlow:
    """Plan -> confirm -> apply, keeping the window responsive throughout."""

    def __init__(self, window, other: str):
        self.window, self.other = window, other
        self.thread = None
        self._start(None)

    def _start(self, plan) -> None:
        self.thread = MergeThread(self.window.project_path, self.other, plan, self.window)
        self.thread.finishedWith.connect(self._finished)
        self.thread.error.connect(
            lambda m: show_message(self.window, QMessageBox.Warning, "Merge", m))
        self.window.progress.show_progress(0, 0, "Merging" if plan else "Reading the other "
                                                                        "project")
        self.thread.finished.connect(self.window.progress.hide)
        self.thread.start()

    def _finished(self, plan, applied: bool) -> None:
        if applied:
            self.window.refresh()
            self.window.statusBar().showMessage(
                f"Merged {self.other}: {plan.counts()['quotes_new']} quote(s), "
                f"{plan.counts()['articles_new']} article(s)", 10000)
            return
        if not plan.changes:
            show_message(self.window, QMessageBox.Information, "Merge", plan.summary())
            return
        if ask(self.window, "Merge project", f"Merge {self.other} into this project?",
               informative=plan.summary(), buttons=QMessageBox.Yes | QMessageBox.Cancel):
            self._start(plan)
