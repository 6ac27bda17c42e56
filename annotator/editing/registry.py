"""Edits of the speaker registry and the codebook, as undoable commands."""
from __future__ import annotations

from sqlite_utils import Database

from annotator.editing.commands import Command
from annotator.editing.speakers import insert_speaker
from annotator.vocab import SPEAKER_KINDS
from annotator.store.db import now

SPEAKER_FIELDS = {"name", "role", "organisation", "kind"}
POSITION_FIELDS = {"label", "hotkey", "colour", "order", "value"}


def _speaker_rows(*ids) -> list:
    marks = ",".join("?" * len(ids))
    return [("speakers", f"id IN ({marks})", list(ids)),
            ("speaker_aliases", f"speaker_id IN ({marks})", list(ids))]


class CreateSpeaker(Command):
    label = "new speaker"

    def __init__(self, *, name: str, actor: str, role=None, organisation=None,
                 kind: str = "person", aliases=()):
        super().__init__(actor=actor)
        name = (name or "").strip()
        if not name:
            raise ValueError("a speaker needs a name")
        if kind not in SPEAKER_KINDS:
            raise ValueError(f"speaker kind must be one of {', '.join(SPEAKER_KINDS)}")
        self.fields = dict(name=name, role=role, organisation=organisation, kind=kind)
        self.aliases = [a.strip() for a in aliases if a.strip()]
        self.speaker_id = None

    def target(self):
        return f"speaker:{self.speaker_id}"

    def touched(self, db):
        return _speaker_rows(self.speaker_id) if self.speaker_id else []

    def mutate(self, db):
        self.speaker_id = insert_speaker(db, **self.fields, aliases=self.aliases)


class UpdateSpeaker(Command):
    """Rename a speaker or change its role, organisation or kind."""
    label = "edit speaker"

    def __init__(self, *, speaker_id: int, actor: str, **fields):
        super().__init__(actor=actor)
        unknown = set(fields) - SPEAKER_FIELDS
        if unknown:
            raise ValueError(f"unknown speaker field(s): {', '.join(sorted(unknown))}")
        if "name" in fields and not (fields["name"] or "").strip():
            raise ValueError("a speaker needs a name")
        if "kind" in fields and fields["kind"] not in SPEAKER_KINDS:
            raise ValueError(f"speaker kind must be one of {', '.join(SPEAKER_KINDS)}")
        self.speaker_id, self.fields = speaker_id, fields
        if "name" in fields:
            self.label = "rename speaker"

    def target(self):
        return f"speaker:{self.speaker_id}"

    def touched(self, db):
        return _speaker_rows(self.speaker_id)

    def mutate(self, db):
        sets = ", ".join(f"{k} = ?" for k in self.fields)
        db.execute(f"UPDATE speakers SET {sets} WHERE id = ?",
                   [*(v.strip() if isinstance(v, str) else v for v in self.fields.values()),
                    self.speaker_id])


class AddAlias(Command):
    label = "add alias"

    def __init__(self, *, speaker_id: int, alias: str, actor: str):
        super().__init__(actor=actor)
        self.speaker_id, self.alias = speaker_id, (alias or "").strip()
        if not self.alias:
            raise ValueError("an alias needs some text")

    def target(self):
        return f"speaker:{self.speaker_id}"

    def touched(self, db):
        return _speaker_rows(self.speaker_id)

    def mutate(self, db):
        db.execute("INSERT OR IGNORE INTO speaker_aliases(speaker_id, alias) VALUES (?, ?)",
                   [self.speaker_id, self.alias])


class MergeSpeakers(Command):
    """Merge ``other`` into ``keep``: its quotes follow, its name and aliases become aliases."""
    label = "merge speakers"

    def __init__(self, *, keep_id: int, other_id: int, actor: str):
        super().__init__(actor=actor)
        if keep_id == other_id:
            raise ValueError("cannot merge a speaker with itself")
        self.keep_id, self.other_id = keep_id, other_id

    def target(self):
        return f"speaker:{self.keep_id}"

    def touched(self, db):
        return _speaker_rows(self.keep_id, self.other_id) + [
            ("quotes", "speaker_id IN (?, ?)", [self.keep_id, self.other_id])]

    def mutate(self, db):
        name = db.execute("SELECT name FROM speakers WHERE id = ?", [self.other_id]).fetchone()
        if name is None or db.execute("SELECT 1 FROM speakers WHERE id = ?",
                                      [self.keep_id]).fetchone() is None:
            raise ValueError("both speakers must exist")
        db.execute("UPDATE quotes SET speaker_id = ?, updated = ? WHERE speaker_id = ?",
                   [self.keep_id, now(), self.other_id])
        aliases = [name[0]] + [r[0] for r in db.execute(
            "SELECT alias FROM speaker_aliases WHERE speaker_id = ?", [self.other_id])]
        db.execute("DELETE FROM speaker_aliases WHERE speaker_id = ?", [self.other_id])
        for alias in aliases:
            db.execute("INSERT OR IGNORE INTO speaker_aliases(speaker_id, alias) VALUES (?, ?)",
                       [self.keep_id, alias])
        db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?",
                   [self.keep_id, self.other_id])


class SettleMergeProposal(Command):
    """Settle a proposal that two speakers are one (e.g. Sergei / Sergey Lavrov): merge the
    second into the first, or keep them apart; the proposal remembers the decision."""

    def __init__(self, *, proposal_id: int, accept: bool, actor: str):
        super().__init__(actor=actor)
        self.proposal_id, self.accept = proposal_id, accept
        self.label = "merge proposed speakers" if accept else "keep speakers apart"
        self.merge: MergeSpeakers | None = None

    def target(self):
        return f"proposal:{self.proposal_id}"

    def touched(self, db):
        row = next(db.query("SELECT speaker_id, other_id FROM speaker_merge_proposals "
                            "WHERE id = ?", [self.proposal_id]), None)
        if row is None:
            raise ValueError(f"no merge proposal {self.proposal_id}")
        rows = [("speaker_merge_proposals", "id = ?", [self.proposal_id])]
        if self.accept:
            self.merge = MergeSpeakers(keep_id=row["speaker_id"], other_id=row["other_id"],
                                       actor=self.actor)
            rows += self.merge.touched(db)
        return rows

    def mutate(self, db):
        if self.merge is not None:
            self.merge.mutate(db)
        db.execute("UPDATE speaker_merge_proposals SET status = ? WHERE id = ?",
                   ["accepted" if self.accept else "rejected", self.proposal_id])


class AddTopic(Command):
    label = "add topic"

    def __init__(self, *, name: str, actor: str, description: str = ""):
        super().__init__(actor=actor)
        self.name = (name or "").strip()
        if not self.name:
            raise ValueError("a topic needs a name")
        self.description, self.topic_id = description, None

    def touched(self, db):
        return [("topics", "id = ?", [self.topic_id])] if self.topic_id else []

    def mutate(self, db):
        if db.execute("SELECT 1 FROM topics WHERE name = ?", [self.name]).fetchone():
            raise ValueError(f"there is already a topic '{self.name}'")
        order = db.execute('SELECT coalesce(max("order"), -1) + 1 FROM topics').fetchone()[0]
        self.topic_id = db.execute('INSERT INTO topics(name, description, "order") '
                                   "VALUES (?, ?, ?)", [self.name, self.description,
                                                        order]).lastrowid


class RenameTopic(Command):
    label = "rename topic"

    def __init__(self, *, topic_id: int, name: str, actor: str):
        super().__init__(actor=actor)
        self.topic_id, self.name = topic_id, (name or "").strip()
        if not self.name:
            raise ValueError("a topic needs a name")

    def touched(self, db):
        return [("topics", "id = ?", [self.topic_id])]

    def mutate(self, db):
        db.execute("UPDATE topics SET name = ? WHERE id = ?", [self.name, self.topic_id])


def _check_hotkey(db: Database, topic_id: int, hotkey, position_id=None) -> None:
    if hotkey in (None, ""):
        return
    if len(hotkey) != 1:
        raise ValueError("a hotkey is one key, e.g. 1")
    clash = db.execute("SELECT label FROM positions WHERE topic_id = ? AND hotkey = ? AND id IS NOT ?",
                       [topic_id, hotkey, position_id]).fetchone()
    if clash:
        raise ValueError(f"hotkey {hotkey} is already used by '{clash[0]}'")


class AddPosition(Command):
    label = "add position"

    def __init__(self, *, topic_id: int, label: str, actor: str, hotkey=None, colour=None,
                 value=None):
        super().__init__(actor=actor)
        self.topic_id, self.pos_label = topic_id, (label or "").strip()
        if not self.pos_label:
            raise ValueError("a position needs a label")
        self.hotkey, self.colour, self.value = hotkey or None, colour, value
        self.position_id = None

    def touched(self, db):
        return [("positions", "id = ?", [self.position_id])] if self.position_id else []

    def mutate(self, db):
        _check_hotkey(db, self.topic_id, self.hotkey)
        order = db.execute('SELECT coalesce(max("order"), 0) + 1 FROM positions WHERE topic_id = ?',
                           [self.topic_id]).fetchone()[0]
        self.position_id = db.execute(
            'INSERT INTO positions(topic_id, label, hotkey, colour, "order", value) '
            "VALUES (?, ?, ?, ?, ?, ?)", [self.topic_id, self.pos_label, self.hotkey,
                                          self.colour, order, self.value]).lastrowid


class UpdatePosition(Command):
    label = "edit position"

    def __init__(self, *, position_id: int, actor: str, **fields):
        super().__init__(actor=actor)
        unknown = set(fields) - POSITION_FIELDS
        if unknown:
            raise ValueError(f"unknown position field(s): {', '.join(sorted(unknown))}")
        if "label" in fields and not (fields["label"] or "").strip():
            raise ValueError("a position needs a label")
        self.position_id, self.fields = position_id, fields

    def touched(self, db):
        return [("positions", "id = ?", [self.position_id])]

    def mutate(self, db):
        if "hotkey" in self.fields:
            topic = db.execute("SELECT topic_id FROM positions WHERE id = ?",
                               [self.position_id]).fetchone()[0]
            _check_hotkey(db, topic, self.fields["hotkey"], self.position_id)
        sets = ", ".join(f'"{k}" = ?' for k in self.fields)
        db.execute(f"UPDATE positions SET {sets} WHERE id = ?",
                   [*self.fields.values(), self.position_id])


class DeletePosition(Command):
    """Delete a position; quotes coded with it lose their position (undo restores both)."""
    label = "delete position"

    def __init__(self, *, position_id: int, actor: str):
        super().__init__(actor=actor)
        self.position_id = position_id

    def touched(self, db):
        return [("positions", "id = ?", [self.position_id]),
                ("quotes", "position_id = ?", [self.position_id])]

    def mutate(self, db):
        db.execute("DELETE FROM positions WHERE id = ?", [self.position_id])
