"""Which reader ``import_paths`` uses: ``--format brat`` (also a folder of brat ``.ann`` files
given without a format), ``--format prodigy``, else the files by their extension (``.dna``: a
DNA 3 database), with JSONL lines that are Prodigy tasks recognised by their spans."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from annotator.corpus import sources
from annotator.corpus.brat import BratSource
from annotator.corpus.dna import read_dna_file
from annotator.corpus.prodigy import Tasks

FORMATS = ("brat", "prodigy")


def _brat_folder(path: Path) -> bool:
    return path.is_dir() and next(path.rglob("*.ann"), None) is not None


def source_for(db, paths, format: str | None, layer: str | None):
    """``(expand, read)``: the files to read and how to read one."""
    if format not in (None, *FORMATS):
        raise ValueError(f"unknown import format {format!r} (one of {', '.join(FORMATS)})")
    if format is None and paths and all(_brat_folder(Path(p)) for p in paths):
        format = "brat"
    if format == "brat":
        src = BratSource(layer, db)
        return src.expand, src.read
    read_other = partial(sources.read_file, prodigy=Tasks(layer, forced=format == "prodigy"))

    def read(path: Path, notes, **kw):
        reader = read_dna_file if path.suffix.lower() == ".dna" else read_other
        return reader(path, notes, **kw)
    return sources.expand, read
