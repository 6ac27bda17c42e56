"""What goes wrong with a project, told to the user: the project errors, and one line from an
``sqlite3`` or ``OSError`` exception saying what happened to which file and what to do about it
(the CLI prints it, the window shows it)."""
from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

class ProjectError(Exception):
    """A project file that cannot be opened or used, with a message for the user."""


class ProjectDamaged(ProjectError, sqlite3.DatabaseError):
    """SQLite found the project file damaged: it is no longer written to (an
    ``sqlite3.DatabaseError`` too, so every handler of database errors reports it)."""


_FULL = "the disk is full: free some space and try again (nothing was half-written)"


def is_locked(exc: BaseException) -> bool:
    """Another writer held the project longer than the busy timeout."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc).lower())


def is_corrupt(exc: BaseException) -> bool:
    """SQLite found the file damaged (SQLITE_CORRUPT or SQLITE_NOTADB)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    return isinstance(exc, sqlite3.DatabaseError) and (
        name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text
        or "not a database" in text)


def _no_room(path) -> bool:
    """Less than a megabyte free where ``path`` lives (SQLite reports an I/O error when it
    cannot even create its ``-shm`` file on a full disk)."""
    try:
        folder = Path(path).expanduser().resolve().parent
        return shutil.disk_usage(folder).free < 2**20
    except (OSError, TypeError, ValueError):
        return False


def is_disk_full(exc: BaseException, path=None) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    name = getattr(exc, "sqlite_errorname", "") or ""
    if not isinstance(exc, sqlite3.Error):
        return False
    return (name.startswith("SQLITE_FULL") or "disk is full" in str(exc)
            or (path is not None and (name.startswith("SQLITE_IOERR") or "I/O" in str(exc))
                and _no_room(path)))


def user_message(exc: BaseException, path: str | Path | None = None) -> str:
    """A one-line message naming ``path`` (the project or file concerned) and what to do."""
    where = f"{path}: " if path else ""
    if isinstance(exc, ProjectError):   # worded for the user already
        return str(exc)
    if is_disk_full(exc, path):
        name = getattr(exc, "filename", None) if isinstance(exc, OSError) else None
        return f"{name or path or 'disk'}: {_FULL}"
    if is_locked(exc):
        return (f"{where}another program is writing to this project and did not finish in "
                f"time; nothing was changed, try again in a moment")
    if is_corrupt(exc):
        return (f"{where}the project file is damaged ({exc}); it is no longer written to: "
                f"restore a backup with 'quotebook restore --project {path or 'FILE'}'")
    if isinstance(exc, sqlite3.Error):
        return f"{where}the project could not be read or written ({exc})"
    if isinstance(exc, PermissionError):
        return f"{exc.filename or path}: permission denied; choose a place you may write to"
    if isinstance(exc, OSError):
        name = exc.filename or path
        return f"{name}: {exc.strerror or exc}"
    return f"{where}{exc}"
