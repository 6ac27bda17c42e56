"""File > Merge project: plan as a job, show the summary, merge (a job too) after a yes."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from annotator.review.merge import MergeError, apply_merge, plan_merge

from .jobs import Job
from .plain import ask, show_message


def _plan(db, *, task, other):
    """What the merge of ``other`` would do (read only; one quick step, not cancelled)."""
    return plan_merge(db, other)


class MergeFlow:
    """Plan -> confirm -> apply, keeping the window responsive throughout; ``job`` is the
    running step, ``merged`` the plan carried out once the merge is done."""

    def __init__(self, window, other: str):
        self.window, self.other = window, other
        self.job: Job | None = None
        self.merged = None
        self._start(None)

    def _start(self, plan) -> None:
        if plan is None:
            self.job = Job(_plan, self.window.project_path, other=self.other,
                           said=(MergeError,), parent=self.window)
            self.job.done.connect(self._planned)
        else:
            self.job = Job(apply_merge, self.window.project_path, plan=plan,
                           said=(MergeError,), parent=self.window)
            self.job.done.connect(self._applied)
        self.job.failed.connect(self._failed)
        self.window.progress.follow(self.job, "Merging" if plan else "Reading the other project",
                                    0)
        self.job.start()

    def _failed(self, message: str) -> None:
        show_message(self.window, QMessageBox.Warning, "Merge", message)

    def _applied(self, plan) -> None:
        self.window.refresh()
        if plan.cancelled:
            self.window.statusBar().showMessage(f"Merge of {self.other} cancelled; nothing "
                                                f"was changed", 10000)
            return
        self.merged = plan
        self.window.statusBar().showMessage(
            f"Merged {self.other}: {plan.counts()['quotes_new']} quote(s), "
            f"{plan.counts()['articles_new']} article(s)", 10000)

    def _planned(self, plan) -> None:
        if not plan.changes:
            show_message(self.window, QMessageBox.Information, "Merge", plan.summary())
            return
        if ask(self.window, "Merge project", f"Merge {self.other} into this project?",
               informative=plan.summary(), buttons=QMessageBox.Yes | QMessageBox.Cancel):
            self._start(plan)
