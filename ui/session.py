"""The open project as the window sees it: connection, analyst layer, undo stack."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import sqlite3

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.editing import desk
from annotator.editing.commands import Change
from annotator.errors import user_message
from annotator.store.db import ensure_layer

from annotator.editing.permissions import SYSTEM_ACTORS

RESERVED = ("suggestions", "gold", *sorted(SYSTEM_ACTORS))  # names that are not analysts


# errors of the database or the file system: a locked project (another writer past the busy
# timeout), a full disk, a damaged file, a permission problem. Never raised into a Qt slot.
DATA_ERRORS = (sqlite3.Error, OSError)
# refusals: the command is not possible as asked (nothing was written)
REFUSALS = (ValueError, PermissionError)


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
    except DATA_ERRORS as exc:  # building it read the project
        session.report(exc)
        return False
    return session.run(command)


def data_error(session, exc: BaseException, path=None) -> str:
    """One line about a database or file error, for a widget that shows it itself (the
    project's path from ``session`` when it has one)."""
    return user_message(exc, path or getattr(session, "project_path", None))


def _refused(exc: BaseException) -> bool:
    """A PermissionError of annotator.permissions (not of the file system: no errno)."""
    return isinstance(exc, PermissionError) and exc.errno is None


def _conflict(exc: BaseException) -> bool:
    """The edit no longer fits the project (rows changed elsewhere, rights changed); a
    locked project, a full disk or a file error is not one: trying again later may work."""
    return isinstance(exc, (sqlite3.IntegrityError, ValueError)) or _refused(exc)


def _merged(changes) -> Change:
    out = Change()
    for change in changes:
        out.articles |= change.articles
        out.tables |= change.tables
        out.quote_uuid = change.quote_uuid or out.quote_uuid
    return out


class CoreCommand(QUndoCommand):
    """One undo step: the core commands (one, or the several of a macro) it stands for, applied
    before it was pushed. Undo and redo are all or nothing: ``Session.undo``/``redo`` try the
    step first and move the stack only when it was done."""

    def __init__(self, session: "Session", commands, label: str):
        super().__init__(label)
        self.session, self.commands = session, list(commands)
        self._done = True  # applied already (by Session.run): the push's redo() does nothing

    @property
    def command(self):
        return self.commands[-1]

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.attempt(redo=True, moving=True)  # the stack moved without Session.redo

    def undo(self) -> None:
        if self._done:
            self._done = False
            return
        self.attempt(redo=False, moving=True)

    def attempt(self, *, redo: bool, moving: bool = False) -> bool:
        """Redo (or undo) the step on disk; False, reported, when it could not be."""
        db, session = self.session.db, self.session
        if redo:
            steps = [(c.apply, c.revert) for c in self.commands]
        else:
            steps = [(c.revert, c.apply) for c in reversed(self.commands)]
        done, changes = [], []
        try:
            for forward, back in steps:
                changes.append(forward(db))
                done.append(back)
        except (*DATA_ERRORS, *REFUSALS) as exc:
            verb = "redo" if redo else "undo"
            try:  # a macro half done is put back: the step stays all or nothing
                for back in reversed(done):
                    back(db)
            except (*DATA_ERRORS, *REFUSALS) as again:
                self._forget(f"cannot {verb} {self.text()} ({session.explain(again)})")
                return False
            if moving or _conflict(exc):
                # the rows changed elsewhere since (another window, the CLI), or the stack
                # already moved past this step: the history no longer matches the project
                self._forget(f"cannot {verb} {self.text()} any more ({session.explain(exc)})")
            else:  # e.g. locked or a full disk: nothing was written, try again later
                session.failed.emit(f"{verb} {self.text()}: {session.explain(exc)}")
            return False
        session.changed.emit(_merged(changes))
        return True

    def _forget(self, message: str) -> None:
        self.session.failed.emit(f"{message}; the undo history was cleared")
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
        self._macro: list | None = None  # core commands run inside ``macro``

    def explain(self, exc: BaseException) -> str:
        """One line for the user about ``exc`` (see annotator.errors)."""
        if isinstance(exc, sqlite3.IntegrityError):
            return _readable(exc)
        if isinstance(exc, ValueError) or _refused(exc):
            return str(exc)
        return user_message(exc, self.project_path)

    def report(self, exc: BaseException) -> None:
        self.failed.emit(self.explain(exc))

    @contextmanager
    def guard(self):
        """Read or write the project outside ``run`` (a refresh, a lookup): a database or file
        error is reported through ``failed``, never raised into a Qt slot; the rest of the
        block is skipped."""
        try:
            yield
        except DATA_ERRORS as exc:
            self.report(exc)

    def work_in_gold(self, on: bool) -> None:
        """A reviewer edits the gold layer directly (the desk then codes gold), or goes back
        to their own layer. Raises PermissionError for someone who is not a reviewer."""
        from annotator.editing.permissions import check_write
        from annotator.review.gold import gold_layer
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
        """Apply ``command`` and push it on the undo stack; report a refused or failed edit
        (nothing was written then, and the stack is unchanged)."""
        try:
            change = command.apply(self.db)
        except sqlite3.IntegrityError as exc:  # e.g. a name that must be unique
            self.failed.emit(f"{command.label}: {_readable(exc)}")
            return False
        except (*DATA_ERRORS, *REFUSALS) as exc:
            if isinstance(exc, ValueError) or _refused(exc):  # refused as asked
                self.failed.emit(str(exc))
            else:  # locked past the busy timeout, a full disk, a damaged file...
                self.failed.emit(f"{command.label}: {self.explain(exc)}")
            return False
        if self._macro is not None:
            self._macro.append(command)
        else:
            self.undo_stack.push(CoreCommand(self, [command], command.label))
        self.changed.emit(change)
        return True

    def undo(self) -> bool:
        """Undo the last step on disk, then move the stack; nothing moves when it fails."""
        return self._step(self.undo_stack.index() - 1, redo=False)

    def redo(self) -> bool:
        return self._step(self.undo_stack.index(), redo=True)

    def _step(self, index: int, *, redo: bool) -> bool:
        entry = self.undo_stack.command(index) if 0 <= index < self.undo_stack.count() else None
        if entry is None or not entry.attempt(redo=redo):
            return False
        entry._done = True  # done: the stack's call does nothing
        (self.undo_stack.redo if redo else self.undo_stack.undo)()
        return True

    @contextmanager
    def macro(self, label: str):
        """Edits run inside the block are one undo step (e.g. create a speaker and set it)."""
        if self._macro is not None:  # nested: part of the outer step
            yield
            return
        self._macro = []
        try:
            yield
        finally:
            commands, self._macro = self._macro, None
            if commands:  # the edits that were done (a failed one wrote nothing)
                self.undo_stack.push(CoreCommand(self, commands, label))

    def refresh_all(self) -> None:
        self.changed.emit(Change(tables={"*"}))
