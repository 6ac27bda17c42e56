"""Write an export's file or folder beside its target, then rename it into place.

A failure or cancel leaves nothing at the target (an earlier export there stays untouched) and
removes the temporary file or folder. The export holds a lock (``flock``) on its temporary
file or folder while it writes; an export killed before it could clean up leaves its
temporary behind unlocked, and the next export to the same place removes it (one that is
locked is another export still writing, and is left alone). OS errors become ``ExportError`` with the reason. The
temporary file or folder gets the mode of any file the user saves (0666 or 0777 less the
process umask), not ``tempfile``'s private 0600/0700, so the export is shared as the user's
umask says.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from annotator.store.db import now

try:
    import fcntl
except ImportError:  # not on POSIX: no locks, stale temporaries are left for the user
    fcntl = None

class ExportError(Exception):
    """An export that could not be written; nothing was left at the target path."""


MARKER = ".quotebook-export"  # a folder holding this file was written by an export


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def current_umask() -> int:
    """The process umask, read without changing it where the system tells (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and put back at once
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from ``open()``: 0666 less the umask."""
    return 0o666 & ~current_umask()


def folder_mode() -> int:
    """The mode a new folder gets from ``mkdir``: 0777 less the umask."""
    return 0o777 & ~current_umask()


def _lock(path: Path) -> int | None:
    """An open descriptor of ``path`` holding its exclusive ``flock``; None when another
    holds it (or without ``fcntl``)."""
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def remove_stale(out: Path) -> list[Path]:
    """Remove the temporaries that killed exports to ``out`` left beside it (those no live
    export holds locked); return what was removed."""
    parent = out.parent if str(out.parent) else Path(".")
    removed = []
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(f".{out.name}.")
                      and p.name.endswith((".part", ".old"))
                      and "." not in p.name[len(out.name) + 2:].rsplit(".", 1)[0]]
    except OSError:
        return removed
    for path in candidates:
        try:
            fd = _lock(path)
        except OSError:
            continue
        if fd is None:
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
        finally:
            os.close(fd)
    return removed


@contextmanager
def atomic_file(out: str | Path):
    """Yield a temporary path beside ``out``; on success it is renamed to ``out``."""
    out = Path(out)
    if out.is_dir():
        raise ExportError(f"{out}: is a folder; give a file name")
    remove_stale(out)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent or ".")
    except OSError as exc:
        raise ExportError(f"{out}: cannot write there ({_reason(exc)})") from exc
    tmp = Path(tmp)
    try:
        os.fchmod(fd, file_mode())
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # ours while we write: never taken as stale
    except OSError as exc:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{out}: cannot write there ({_reason(exc)})") from exc
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{out}: write failed ({_reason(exc)}); nothing written") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


def _replaceable(out: Path) -> bool:
    return not out.exists() or (out.is_dir() and (not any(out.iterdir())
                                                  or (out / MARKER).is_file()))


@contextmanager
def atomic_folder(out: str | Path, *, fmt: str):
    """Yield a temporary folder beside ``out``; on success it becomes ``out``.

    ``out`` must not exist, or be an empty folder, or a folder an earlier export wrote (it is
    replaced as a whole); anything else is refused, so no user folder is ever deleted.
    """
    out = Path(out)
    if not _replaceable(out):
        raise ExportError(f"{out}: exists and is not an earlier Quotebook export; "
                          "choose a new or empty folder")
    parent = out.parent if str(out.parent) else Path(".")
    remove_stale(out)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=parent))
    except OSError as exc:
        raise ExportError(f"{out}: cannot write there ({_reason(exc)})") from exc
    try:
        os.chmod(tmp, folder_mode())
        fd = _lock(tmp)  # ours while we write: never taken as stale
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ExportError(f"{out}: cannot write there ({_reason(exc)})") from exc
    try:
        yield from _fill_folder(out, tmp, parent, fmt)
    finally:
        if fd is not None:
            os.close(fd)


def _fill_folder(out: Path, tmp: Path, parent: Path, fmt: str):
    old = None
    try:
        yield tmp
        (tmp / MARKER).write_text(json.dumps({"format": fmt, "written": now()}) + "\n",
                                  encoding="utf-8")
        if out.exists():
            old = parent / f".{out.name}.{os.getpid()}.old"
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
        os.replace(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists() and not out.exists():
            os.replace(old, out)  # put the earlier export back
        raise ExportError(f"{out}: write failed ({_reason(exc)}); nothing written") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_text(path: Path, text: str) -> None:
    """Write one file of a folder export (exact text: no newline translation)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
