"""Open, create and upgrade a project file: one SQLite database through sqlite-utils."""
from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .migrations import known, migrations

APPLICATION_ID = 0x51424B31  # "QBK1": marks an SQLite file as a Quotebook project
SUFFIX = ".quotebook"
SQLITE_MAGIC = b"SQLite format 3\x00"


class ProjectError(Exception):
    """A project file that cannot be opened, with a message for the user."""


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


def _configure(db: Database) -> None:
    with db.ensure_autocommit_on():
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")


def _applied(db: Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]


def _check_is_project(path: Path, db: Database) -> list[str]:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    tables = set(db.table_names())
    applied = _applied(db) if "_sqlite_migrations" in tables else []
    if not tables:
        return []
    if app_id != APPLICATION_ID or not applied:
        raise ProjectError(f"{path}: an SQLite database, but not a Quotebook project")
    names = known()
    unknown = [name for name in applied if name not in names]
    if unknown:
        raise ProjectError(
            f"{path}: written by a newer version of Quotebook (schema {len(applied)}, this "
            f"version knows {len(names)}); update Quotebook to open it")
    return applied


def backup(db: Database, target: Path) -> Path:
    """Copy the whole database to ``target`` with SQLite's online backup."""
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def open_project(path: str | Path, *, create: bool = True) -> Database:
    """Open (or create) the project at ``path``, upgrading an older schema after a backup.

    Raises ``ProjectError`` for a missing file (when ``create`` is false), a file that is not
    a project, or a project from a newer version.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise ProjectError(f"{path}: not a Quotebook project (not an SQLite file)")
    elif not path.exists():
        if not create:
            raise ProjectError(f"{path}: no such project")
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = Database(path)
        applied = _check_is_project(path, db)
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path}: cannot be read as a project ({exc})") from exc
    try:
        _configure(db)
        pending = migrations.pending(db)
        if pending and applied:
            backup(db, path.with_name(f"{path.name}.schema{len(applied)}.bak"))
        if pending:
            migrations.apply(db)
            with db.ensure_autocommit_on():
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {len(known())}")
    except sqlite3.DatabaseError as exc:
        db.close()
        raise ProjectError(f"{path}: cannot be opened ({exc})") from exc
    return db


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM _settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str | None) -> None:
    with db.atomic():
        if value is None:
            db.execute("DELETE FROM _settings WHERE key = ?", [key])
        else:
            db.execute("INSERT INTO _settings(key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def ensure_layer(db: Database, name: str, kind: str | None = None) -> int:
    """The id of the layer ``name``, created when missing.

    ``suggestions`` and ``gold`` are layers of their own kind; any other name is an analyst's.
    """
    kind = kind or (name if name in ("suggestions", "gold") else "analyst")
    row = db.execute("SELECT id FROM layers WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    with db.atomic():
        cur = db.execute("INSERT INTO layers(name, kind, created) VALUES (?, ?, ?)",
                         [name, kind, now()])
    return cur.lastrowid


def log_event(db: Database, *, actor: str, action: str, target: str | None = None,
              before=None, after=None) -> None:
    """Append one row to the ``_events`` log (call inside the edit's own transaction)."""
    db.execute(
        "INSERT INTO _events(at, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)",
        [now(), actor, action, target,
         None if before is None else json.dumps(before, ensure_ascii=False),
         None if after is None else json.dumps(after, ensure_ascii=False)])
