"""Where a project's automatic backups are and what they are called, and the message that
names the last one (for the project file's own module, which must not import the backups)."""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

_STAMP = "%Y%m%d-%H%M%S"


def _name(path: Path, kind: str, stamp: str) -> Path:
    return path.with_name(f"{path.stem}.{kind}-{stamp}{path.suffix}")


def _pattern(path: Path, kind: str) -> re.Pattern:
    return re.compile(re.escape(f"{path.stem}.{kind}-") + r"(\d{8}-\d{6})"
                      + re.escape(path.suffix) + "$")


def backup_paths(path: str | Path) -> list[Path]:
    """The automatic backups of the project at ``path``, newest first."""
    path = Path(path)
    pattern = _pattern(path, "backup")
    try:
        found = [(m.group(1), p) for p in path.parent.iterdir()
                 if (m := pattern.match(p.name))]
    except OSError:
        return []
    return [p for _, p in sorted(found, reverse=True)]


def backup_time(backup: Path) -> _dt.datetime:
    """When ``backup`` was made (local time, from its name)."""
    stamp = re.search(r"(\d{8}-\d{6})", backup.name).group(1)
    return _dt.datetime.strptime(stamp, _STAMP)


def damaged_message(path, detail: str) -> str:
    """What to tell the user about a damaged project: what, and which backup to bring back."""
    backups = backup_paths(path) if path else []
    if backups:
        when = backup_time(backups[0]).strftime("%Y-%m-%d %H:%M")
        tail = (f"the last automatic backup is {backups[0].name} ({when}): bring it back with "
                f"'quotebook restore --project {path}' or File > Restore backup")
    else:
        tail = "there is no automatic backup of it"
    return f"{path}: the project file is damaged ({detail}); it is no longer written to; {tail}"
