"""Open, create and upgrade a project file: one SQLite database through sqlite-utils.

Safe in any process, whatever else of it has the project open: the file is only ever read
and written through SQLite (on POSIX, closing any other descriptor of the file would drop
every SQLite lock this process holds on it), and every write transaction begins
``IMMEDIATE`` so that a second writer waits for the busy timeout instead of failing.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import json
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from annotator.errors import ProjectDamaged, ProjectError, is_corrupt  # noqa: F401 (re-exported)
from annotator.store.migrations import known, migrations

APPLICATION_ID = 0x51424B31  # "QBK1": marks an SQLite file as a Quotebook project
SUFFIX = ".quotebook"
BUSY_TIMEOUT_MS = 10000
_READS = ("SELECT", "PRAGMA", "EXPLAIN", "WITH", "VALUES")


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


class ProjectDatabase(Database):
    """A project's connection: write transactions begin ``IMMEDIATE`` (so the busy timeout
    applies to a second writer), and once SQLite reports the file damaged nothing more is
    written through it."""

    path: Path | None = None
    damaged: str | None = None   # SQLite's message, once the file was found damaged

    def _note(self, exc: BaseException) -> None:
        if self.damaged is None and is_corrupt(exc):
            self.damaged = str(exc)

    def refuse_if_damaged(self) -> None:
        if self.damaged is not None:
            from annotator.store.backup_files import damaged_message
            told = self.damaged.startswith(f"{self.path}: the project file is damaged")
            raise ProjectDamaged(self.damaged if told else
                                 damaged_message(self.path, self.damaged))

    def execute(self, sql, parameters=None):
        if self.damaged is not None and not sql.lstrip().upper().startswith(_READS):
            self.refuse_if_damaged()
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            self._note(exc)
            raise

    def query(self, sql, params=None):
        """Dict rows of a SELECT (sqlite-utils runs it in a savepoint: never for writes)."""
        try:
            return super().query(sql, params)
        except sqlite3.DatabaseError as exc:
            self._note(exc)
            raise

    @contextlib.contextmanager
    def atomic(self):
        """A transaction (``BEGIN IMMEDIATE``), or a savepoint inside one."""
        self.refuse_if_damaged()
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            self._note(exc)
            raise
        try:
            yield self
        except BaseException as exc:
            self._note(exc)
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._note(exc)
            self.rollback()
            raise


def connect(path: str | Path) -> ProjectDatabase:
    """A connection to ``path`` set up as every project connection is (no checks)."""
    db = ProjectDatabase(sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000))
    db.path = Path(path)
    # implicit transactions (a bare INSERT) begin IMMEDIATE too
    db.conn.isolation_level = "IMMEDIATE"
    return db


def _configure(db: Database) -> None:
    with db.ensure_autocommit_on():
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")


def _applied(db: Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]


def _inspect(path: Path, db: Database) -> list[str]:
    """The migrations applied to ``path``; [] for an empty database (a new project).

    Raises ``ProjectError`` for anything but an empty database or a Quotebook project: an
    SQLite file of another application is never written, with or without tables or an
    ``application_id``. Reads only, through SQLite.
    """
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise ProjectError(f"{path}: not a Quotebook project (not an SQLite file)") from exc
        raise
    if not names and (app_id == APPLICATION_ID or (app_id == 0 and version == 0)):
        return []   # an empty database, or a project whose creation was interrupted
    if app_id != APPLICATION_ID or "_sqlite_migrations" not in names:
        raise ProjectError(f"{path}: an SQLite database, but not a Quotebook project; it "
                           f"was left as it is")
    applied = _applied(db)
    if not applied:
        raise ProjectError(f"{path}: an SQLite database, but not a Quotebook project")
    unknown = [name for name in applied if name not in known()]
    if unknown:
        raise ProjectError(
            f"{path}: written by a newer version of Quotebook (schema {len(applied)}, this "
            f"version knows {len(known())}); update Quotebook to open it")
    return applied


def backup(db: Database, target: Path) -> Path:
    """Copy the whole database to ``target`` with SQLite's online backup."""
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def open_project(path: str | Path, *, create: bool = True) -> ProjectDatabase:
    """Open (or create) the project at ``path``, upgrading an older schema after a backup.

    The one way to open a project, in any process and thread (one connection per thread).
    Raises ``ProjectError`` for a missing file (when ``create`` is false), a file that is not
    a project, or a project from a newer version; ``ProjectDamaged`` when SQLite finds it
    damaged.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    if not path.exists():
        if not create:
            raise ProjectError(f"{path}: no such project")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"{path}: cannot create the project ({exc.strerror})") from exc
    try:
        db = connect(path)
    except sqlite3.Error as exc:
        raise ProjectError(_cannot_open(path, exc)) from exc
    try:
        applied = _inspect(path, db)
        _configure(db)
        pending = migrations.pending(db)
        if pending and applied:
            backup(db, path.with_name(f"{path.name}.schema{len(applied)}.bak"))
        if pending:
            with db.atomic():  # a new project is marked as ours in its first transaction
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrations.apply(db)
            with db.ensure_autocommit_on():
                db.execute(f"PRAGMA user_version = {len(known())}")
    except ProjectError:
        db.close()
        raise
    except sqlite3.DatabaseError as exc:
        db.close()
        if is_corrupt(exc):
            from annotator.store.backup_files import damaged_message
            raise ProjectDamaged(damaged_message(path, str(exc))) from exc
        raise ProjectError(_cannot_open(path, exc)) from exc
    return db


def _cannot_open(path: Path, exc: sqlite3.Error) -> str:
    from annotator.errors import is_disk_full, user_message
    return user_message(exc, path) if is_disk_full(exc, path) else \
        f"{path}: cannot be opened ({exc})"


def dicts(cursor: sqlite3.Cursor) -> list[dict]:
    """A cursor's rows as dicts by column name, as ``db.query()`` gives them: for a plain
    ``sqlite3`` connection (another project), and for hot paths (no savepoint, no
    generator: about 15% faster for a hundred rows)."""
    keys = [d[0] for d in cursor.description]
    return [dict(zip(keys, row)) for row in cursor.fetchall()]


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
