"""Which reader ``import_paths`` uses: ``--format brat`` / ``prodigy``, or a folder of brat
``.ann`` files given without a format; None for the files' own extensions."""
from __future__ import annotations

from functools import partial
from pathlib import Path

FORMATS = ("brat", "prodigy")


def _brat_folder(path: Path) -> bool:
    return path.is_dir() and next(path.rglob("*.ann"), None) is not None


def source_for(db, paths, format: str | None, layer: str | None):
    """``(expand, read)`` for annotated input, or None for the usual readers."""
    from annotator.corpus import sources
    if format is None and paths and all(_brat_folder(Path(p)) for p in paths):
        format = "brat"
    if format == "brat":
        from annotator.corpus.brat import BratSource
        src = BratSource(layer, db)
        return src.expand, src.read
    if format == "prodigy" or layer:
        from annotator.corpus.prodigy import Tasks
        tasks = Tasks(layer, forced=format == "prodigy")

        def read(path, notes, *, text_column=None, progress_bytes=None):
            if path.suffix.lower() not in sources.JSONL_SUFFIXES:
                return sources.read_file(path, notes, text_column=text_column,
                                         progress_bytes=progress_bytes)
            return _guarded(path, notes, partial(sources.read_jsonl, path, notes,
                                                 progress_bytes, tasks))
        return sources.expand, read
    if format is not None:
        raise ValueError(f"unknown import format {format!r} (one of {', '.join(FORMATS)})")
    return None


def _guarded(path, notes, make):
    """The records of ``make()``; a file that cannot be read is noted, as ``read_file`` does."""
    from annotator.corpus.sources import unexpected
    try:
        yield from make()
    except OSError as exc:
        notes.skip(str(path), f"cannot be read ({exc.strerror or exc}); skipped")
    except Exception as exc:
        notes.skip(str(path), unexpected(exc))
