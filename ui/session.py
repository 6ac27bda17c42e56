"""The open project as the window sees it: connection, analyst layer, undo stack."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import sqlite3

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator import desk
from annotator.commands import Change
from annotator.store import ensure_layer

from annotator.permissions import SYSTEM_ACTORS

RESERVED = ("suggestions", "gold", *sorted(SYSTEM_ACTORS))  # names that are not analysts


def _readable(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    if text.startswith("UNIQUE constraint failed"):
        return "that name is already taken"
    return text


def attempt(session, make) -> bool:
    """Build a command with ``make()`` and run it; a refusal while building (a blank name, a
    bad value) is reported like any other, never raised out of a Qt slot."""
    try:
        command = make()
    except ValueError as exc:
        session.failed.emit(str(exc))
        return False
    return session.run(command)


class CoreCommand(QUndoCommand):
    """A core command on the undo stack; it was applied before being pushed."""

    def __init__(self, session: "Session", command):
        super().__init__(command.label)
        self.session, self.command, self._first = session, command, True

    def redo(self) -> None:
        if self._first:  # applied already, by Session.run
            self._first = False
            return
        self._do(self.command.apply)

    def undo(self) -> None:
        self._do(self.command.revert)

    def _do(self, step) -> None:
        try:
            self.session.changed.emit(step(self.session.db))
        except (sqlite3.Error, ValueError, PermissionError) as exc:
            # the rows changed elsewhere since (another window, the CLI): nothing was written;
            # the history no longer matches the project, so it is cleared
            self.session.failed.emit(f"cannot {self.text()} any more ({exc}); the undo "
                                     f"history was cleared")
            QTimer.singleShot(0, self.session.undo_stack.clear)
            self.session.refresh_all()


class Session(QObject):
    """Runs edits (each on disk before ``changed`` is emitted) and keeps them undoable."""

    changed = Signal(object)   # annotator.commands.Change
    failed = Signal(str)

    def __init__(self, db, project_path: Path, analyst: str, parent=None):
        super().__init__(parent)
        if analyst.strip().lower() in RESERVED:
            raise ValueError(f"'{analyst}' is reserved for a layer; choose another name")
        self.db, self.project_path, self.analyst = db, Path(project_path), analyst.strip()
        self.own_layer_id = self.layer_id = ensure_layer(db, self.analyst)
        self.undo_stack = QUndoStack(self)

    def work_in_gold(self, on: bool) -> None:
        """A reviewer edits the gold layer directly (the desk then codes gold), or goes back
        to their own layer. Raises PermissionError for someone who is not a reviewer."""
        from annotator.permissions import check_write
        from annotator.review_edits import gold_layer
        if on:
            gold = gold_layer(self.db)
            check_write(self.db, self.analyst, gold)
            self.layer_id = gold
        else:
            self.layer_id = self.own_layer_id
        self.undo_stack.clear()  # edits of the other layer are not undone from here
        self.refresh_all()

    @property
    def suggestions_layer_id(self) -> int | None:
        return desk.layer_id(self.db, "suggestions")

    def run(self, command) -> bool:
        """Apply ``command`` and push it on the undo stack; report a refused edit."""
        try:
            change = command.apply(self.db)
        except (ValueError, PermissionError) as exc:  # refused: nothing was written
            self.failed.emit(str(exc))
            return False
        except sqlite3.IntegrityError as exc:  # e.g. a name that must be unique
            self.failed.emit(f"{command.label}: {_readable(exc)}")
            return False
        self.undo_stack.push(CoreCommand(self, command))
        self.changed.emit(change)
        return True

    @contextmanager
    def macro(self, label: str):
        """Edits run inside the block are one undo step (e.g. create a speaker and set it)."""
        self.undo_stack.beginMacro(label)
        try:
            yield
        finally:
            self.undo_stack.endMacro()

    def refresh_all(self) -> None:
        self.changed.emit(Change(tables={"*"}))
