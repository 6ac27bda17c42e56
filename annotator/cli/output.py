"""What the commands print: errors on stderr, progress bars, text to stdout or a file."""
from __future__ import annotations

import sys
from pathlib import Path


def err(msg: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"quotebook: {msg}", file=sys.stderr)


def warn_all(prefix: str, lines) -> None:
    """``quotebook: PREFIX: LINE`` for each line of a report's list."""
    for line in lines:
        err(f"{prefix}: {line}")


def progress(desc: str, unit: str):
    """A tqdm bar on stderr when stderr is a terminal; returns (callback, close)."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm
    bar = tqdm(desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)

    def update(done, total, note=""):
        bar.total = total
        bar.n = done
        bar.refresh()
    return update, bar.close


def names(text: str) -> list[str]:
    """The comma-separated names of an option (``a, b,c`` -> ``["a", "b", "c"]``)."""
    return [n.strip() for n in text.split(",") if n.strip()]


def write(text: str, out: str | None, *, raw: bool = False) -> None:
    """To stdout, or to ``out`` through a temporary file renamed into place (``raw``: keep
    the text's own line ends, as CSV needs)."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    target = Path(out)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="" if raw else None) as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never a half-written file left behind
        raise
