"""Automatic backups beside a project (SQLite's online backup, at most one a day, the last
three kept), the check for damage that goes with them, and bringing a backup back.

A backup of ``corpus.quotebook`` is ``corpus.backup-YYYYMMDD-HHMMSS.quotebook`` in the same
folder: a project file like any other, so it can also be opened as it is. Everything here
reads and writes project files through SQLite only.
"""
from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from annotator.store.backup_files import (_STAMP, _name, backup_paths,  # noqa: F401 (API)
                                          backup_time, damaged_message)
from annotator.tasks import Progress   # (pages copied, pages in all, "pages")

KEEP = 3


class RestoreError(Exception):
    """A backup that cannot be brought back, with a message for the user."""


def quick_check(db) -> str | None:
    """None when SQLite's ``quick_check`` finds the file sound, else what it found."""
    try:
        rows = [r[0] for r in db.conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows)


def due(path: str | Path, today: _dt.date | None = None) -> bool:
    """No automatic backup of ``path`` was made today."""
    backups = backup_paths(path)
    return not backups or backup_time(backups[0]).date() != (today or _dt.date.today())


def _copy(src: sqlite3.Connection, target: Path, progress: Progress | None) -> None:
    """``src`` to a new file ``target`` through SQLite (written as ``.part``, then renamed)."""
    part = target.with_name(target.name + ".part")
    if part.exists():
        part.unlink()   # a copy that an earlier run did not finish
    dest = sqlite3.connect(str(part))
    try:
        src.backup(dest, pages=4096,
                   progress=(lambda _s, left, total: progress(total - left, total, "pages"))
                   if progress else None)
    except BaseException:
        dest.close()
        part.unlink(missing_ok=True)   # no half-made backup left behind
        raise
    dest.close()
    os.replace(part, target)


def prune(path: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups; return the deleted ones."""
    old = backup_paths(path)[keep:]
    for p in old:
        p.unlink(missing_ok=True)
    return old


def make_backup(db, path: str | Path, *, progress: Progress | None = None,
                now: _dt.datetime | None = None) -> Path:
    """Check ``db`` (the open project at ``path``) with ``quick_check``, then copy it beside
    the project with SQLite's online backup and keep the newest three. A damaged project is
    marked (``db.damaged``) and raises ``ProjectDamaged``; the good backups stay."""
    from annotator.store.db import ProjectDamaged
    path = Path(path)
    problem = quick_check(db)
    if problem:
        db.damaged = problem
        raise ProjectDamaged(damaged_message(path, problem))
    target = _name(path, "backup", (now or _dt.datetime.now()).strftime(_STAMP))
    _copy(db.conn, target, progress)
    prune(path)
    return target


@dataclass
class DailyResult:
    backup: Path | None = None     # the backup made now, if one was due
    damaged: str | None = None     # the message, when the project was found damaged


def daily(path: str | Path, *, check: bool = False,
          progress: Progress | None = None) -> DailyResult:
    """The daily backup of the project at ``path`` when one is due (with its check), in a
    connection of its own; with ``check``, the check even when no backup is due."""
    from annotator.store.db import ProjectDamaged, ProjectError, open_project
    path = Path(path)
    if not (check or due(path)):
        return DailyResult()
    try:
        db = open_project(path, create=False)
    except ProjectDamaged as exc:
        return DailyResult(damaged=str(exc))
    try:
        if due(path):
            return DailyResult(backup=make_backup(db, path, progress=progress))
        problem = quick_check(db)
        return DailyResult(damaged=damaged_message(path, problem) if problem else None)
    except ProjectDamaged as exc:
        return DailyResult(damaged=str(exc))
    except (sqlite3.Error, OSError) as exc:   # no backup today (e.g. the disk is full)
        from annotator.errors import user_message
        raise ProjectError(f"automatic backup not made: {user_message(exc, path)}") from exc
    finally:
        db.close()


def _read_only(backup: Path) -> sqlite3.Connection:
    """A backup, read as the file nobody writes that it is (no lock files left beside it)."""
    return sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def _check_backup(source: Path) -> None:
    from annotator.store.db import APPLICATION_ID
    if not source.is_file():
        raise RestoreError(f"{source}: no such backup")
    try:
        conn = _read_only(source)
    except sqlite3.Error as exc:
        raise RestoreError(f"{source}: cannot be read ({exc})") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise RestoreError(f"{source}: not a sound project file ({exc})") from exc
    finally:
        conn.close()
    if app_id != APPLICATION_ID:
        raise RestoreError(f"{source}: not a Quotebook project")
    if rows != ["ok"]:
        raise RestoreError(f"{source}: damaged too ({'; '.join(rows)})")


def _raw_copy(src: Path, target: Path) -> None:
    """Copy a file SQLite cannot read, in a child process: closing a descriptor of the
    project in this process would drop every SQLite lock that this process holds on it."""
    code = "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])"
    for suffix in ("", "-wal"):
        if Path(f"{src}{suffix}").exists():
            subprocess.run([sys.executable, "-c", code, f"{src}{suffix}", f"{target}{suffix}"],
                           check=True, capture_output=True)


def set_aside(path: Path, *, progress: Progress | None = None) -> Path:
    """A copy of the project as it is now, beside it (``NAME.before-restore-STAMP``)."""
    aside = _name(path, "before-restore", _dt.datetime.now().strftime(_STAMP))
    try:
        src = sqlite3.connect(str(path), timeout=10)   # the project may be open elsewhere
        try:
            _copy(src, aside, progress)
        finally:
            src.close()
    except sqlite3.DatabaseError:   # too damaged for SQLite: its bytes as they are
        Path(f"{aside}.part").unlink(missing_ok=True)
        _raw_copy(path, aside)
    return aside


def restore(path: str | Path, source: str | Path | None = None, *,
            progress: Progress | None = None) -> tuple[Path, Path]:
    """Bring back ``source`` (default: the newest automatic backup) as the project at
    ``path``. The current file is first copied aside, never overwritten; the backup is
    written into the project through SQLite, so other connections see it. Returns
    (source, aside)."""
    path = Path(path).expanduser()
    if source is None:
        backups = backup_paths(path)
        if not backups:
            raise RestoreError(f"{path}: there is no automatic backup of this project")
        source = backups[0]
    source = Path(source).expanduser()
    _check_backup(source)
    if not path.exists():
        raise RestoreError(f"{path}: no such project")
    aside = set_aside(path)
    src = _read_only(source)
    try:
        dest = sqlite3.connect(str(path), timeout=10)
        try:
            src.backup(dest, pages=4096,
                       progress=(lambda _s, left, total: progress(total - left, total, "pages"))
                       if progress else None)
        except sqlite3.DatabaseError as exc:
            raise RestoreError(
                f"{path}: SQLite cannot write into this file ({exc}); close every window and "
                f"program using it, move it away, then copy {source.name} to its place "
                f"(a copy of it as it was is {aside.name})") from exc
        finally:
            dest.close()
    finally:
        src.close()
    return source, aside
