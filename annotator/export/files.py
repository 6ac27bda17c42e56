"""Write an export's file or folder beside its target, then rename it into place.

A failure or cancel leaves nothing at the target (an earlier export there stays untouched) and
removes the temporary file or folder. OS errors become ``ExportError`` with the reason. The
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


@contextmanager
def atomic_file(out: str | Path):
    """Yield a temporary path beside ``out``; on success it is renamed to ``out``."""
    out = Path(out)
    if out.is_dir():
        raise ExportError(f"{out}: is a folder; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent or ".")
    except OSError as exc:
        raise ExportError(f"{out}: cannot write there ({_reason(exc)})") from exc
    tmp = Path(tmp)
    try:
        os.fchmod(fd, file_mode())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{out}: cannot write there ({_reason(exc)})") from exc
    finally:
        os.close(fd)
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
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=parent))
    except OSError as exc:
        raise ExportError(f"{out}: cannot write there ({_reason(exc)})") from exc
    try:
        os.chmod(tmp, folder_mode())
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ExportError(f"{out}: cannot write there ({_reason(exc)})") from exc
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
