"""The project's safety net in the window: the daily check and backup after opening, and File >
Restore backup; both are jobs of ``jobs.py`` (``annotator.store.backups`` opens the file itself).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from annotator.store import backups

from .jobs import Job
from .plain import message_box


def _daily(project_path, *, task) -> backups.DailyResult:
    """The daily ``quick_check`` and backup (``backups.daily`` opens the file itself)."""
    return backups.daily(project_path, check=True)


def _restore(project_path, *, task, source) -> tuple[str, str]:
    """``backups.restore`` of ``source``, its progress in pages; (source, aside)."""
    restored, aside = backups.restore(project_path, source, progress=task.progress)
    return str(restored), str(aside)


def daily_check(project_path, parent) -> Job:
    """The daily check and backup as a job: ``done(DailyResult)`` (``backup``, ``damaged``),
    or ``failed(message)`` (e.g. no room for the backup: said, the work goes on)."""
    return Job(_daily, Path(project_path), opens=False, said=(Exception,), parent=parent)


def restore_job(project_path, source, parent) -> Job:
    """One backup brought back as a job: ``done((source, aside))`` or ``failed(message)``;
    the project is as it was when it fails."""
    return Job(_restore, Path(project_path), opens=False, said=(backups.RestoreError,),
               parent=parent, source=Path(source))


def choose_backup(parent: QWidget, project_path) -> Path | None:
    """Ask which automatic backup to bring back (newest first); None when there is none or
    the analyst cancels."""
    found = backups.backup_paths(project_path)
    if not found:
        message_box(parent, QMessageBox.Information, "Restore backup",
                    f"There is no automatic backup of {Path(project_path).name} yet. "
                    f"Quotebook makes one a day when the project is opened.").exec()
        return None
    items = [f"{backups.backup_time(p):%Y-%m-%d %H:%M} — {p.name}" for p in found]
    item, ok = QInputDialog.getItem(
        parent, "Restore backup",
        "Bring this backup back? The project as it is now is kept aside as a copy.",
        items, 0, False)
    return found[items.index(item)] if ok else None
