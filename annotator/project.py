"""Where projects live, and the default project seeded with the sample corpus and codebook."""
from __future__ import annotations

from pathlib import Path

import platformdirs
from sqlite_utils import Database

from annotator.editing.codebook import load_codebook
from annotator.corpus.importing import import_paths
from annotator.store.db import open_project

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SAMPLE_CORPUS = RESOURCES / "sample" / "articles.jsonl"
DEFAULT_CODEBOOK = RESOURCES / "codebook.json"


def default_project_path() -> Path:
    """The default project in the user's data folder (it may not exist yet)."""
    return platformdirs.user_data_path("Quotebook", appauthor=False) / "default.quotebook"


def is_empty(db: Database) -> bool:
    return not db.execute("SELECT EXISTS(SELECT 1 FROM articles) OR "
                          "EXISTS(SELECT 1 FROM topics)").fetchone()[0]


def seed(db: Database) -> None:
    """Fill a new project with the sample corpus and the default codebook."""
    import_paths(db, [SAMPLE_CORPUS], actor="seed")
    load_codebook(db, DEFAULT_CODEBOOK)


def open_or_default(path: str | Path | None, *, create: bool = True,
                    codebook: bool = True) -> tuple[Database, Path]:
    """Open ``path``, or the default project (created and seeded on first use).

    A new project named by ``path`` starts with no articles and, unless ``codebook`` is false
    (an import that brings its own codebook), the default codebook.
    """
    if path is not None:
        path = Path(path).expanduser()
        new = not path.exists() or path.stat().st_size == 0
        db = open_project(path, create=create)
        if new and codebook:
            load_codebook(db, DEFAULT_CODEBOOK)
        return db, path
    target = default_project_path()
    new = not target.exists()
    db = open_project(target)
    if new or is_empty(db):
        seed(db)
    return db, target
