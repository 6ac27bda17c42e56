"""The project's safety net in the window: the daily check and backup after opening, and File >
Restore backup; both run in worker threads with their own connections (``annotator.backups``).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from annotator.store import backups
from annotator.errors import user_message

from .plain import message_box


class DailyCheck(QThread):
    """``quick_check`` of the project, and its daily backup when one is due, off the UI
    thread; ``checked(backup_path_or_empty, damaged_message_or_empty)`` at the end, or
    ``failed(message)``."""

    checked = Signal(str, str)
    failed = Signal(str)

    def __init__(self, project_path, parent=None):
        super().__init__(parent)
        self.project_path = Path(project_path)

    def run(self) -> None:
        try:
            result = backups.daily(self.project_path, check=True)
        except Exception as exc:  # e.g. no room for the backup: said, the work goes on
            self.failed.emit(str(exc) if not isinstance(exc, OSError)
                             else user_message(exc, self.project_path))
            return
        self.checked.emit(str(result.backup or ""), result.damaged or "")


class RestoreThread(QThread):
    """``backups.restore`` of one backup into the project; ``restored(source, aside)`` or
    ``failed(message)``; ``progressed(done, total)`` in pages."""

    progressed = Signal(int, int)
    restored = Signal(str, str)
    failed = Signal(str)

    def __init__(self, project_path, source, parent=None):
        super().__init__(parent)
        self.project_path, self.source = Path(project_path), Path(source)

    def run(self) -> None:
        try:
            source, aside = backups.restore(self.project_path, self.source,
                                            progress=self.progressed.emit)
        except backups.RestoreError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # shown to the user; the project is as it was
            self.failed.emit(user_message(exc, self.project_path))
        else:
            self.restored.emit(str(source), str(aside))


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
