"""The project's speaker registry: canonical speakers and their aliases."""
from __future__ import annotations

from sqlite_utils import Database

from annotator.store.db import log_event, now
from annotator.vocab import SPEAKER_KINDS


def find_speaker(db: Database, name: str) -> int | None:
    """The id of the speaker whose canonical name or an alias is ``name`` (case-insensitive)."""
    row = db.execute(
        "SELECT id FROM speakers WHERE name = ? COLLATE NOCASE AND merged_into IS NULL "
        "UNION SELECT s.id FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
        "WHERE a.alias = ? COLLATE NOCASE AND s.merged_into IS NULL LIMIT 1",
        [name, name]).fetchone()
    return row[0] if row else None


def insert_speaker(db: Database, name: str, *, role: str | None = None,
                   organisation: str | None = None, kind: str = "person", aliases=(),
                   created: str | None = None) -> int:
    """Insert a speaker and its aliases inside the caller's transaction (the one place that
    writes a speaker row); return its id."""
    speaker_id = db.execute("INSERT INTO speakers(name, role, organisation, kind, created) "
                            "VALUES (?, ?, ?, ?, ?)",
                            [name, role, organisation, kind, created or now()]).lastrowid
    for alias in aliases:
        db.execute("INSERT OR IGNORE INTO speaker_aliases(speaker_id, alias) VALUES (?, ?)",
                   [speaker_id, alias])
    return speaker_id


def add_speaker(db: Database, name: str, *, role: str | None = None,
                organisation: str | None = None, kind: str = "person",
                aliases: tuple[str, ...] = (), actor: str = "system") -> int:
    """Create a speaker (one transaction, logged) and return its id."""
    name = name.strip()
    if not name:
        raise ValueError("a speaker needs a name")
    if kind not in SPEAKER_KINDS:
        raise ValueError(f"speaker kind must be one of {', '.join(SPEAKER_KINDS)}, not {kind!r}")
    with db.atomic():
        speaker_id = insert_speaker(db, name, role=role, organisation=organisation, kind=kind,
                                    aliases=aliases)
        log_event(db, actor=actor, action="add_speaker", target=f"speaker:{speaker_id}",
                  after={"name": name, "role": role, "organisation": organisation,
                         "kind": kind, "aliases": list(aliases)})
    return speaker_id
