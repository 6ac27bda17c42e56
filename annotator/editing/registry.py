"""Edits of the speaker registry and the codebook, as undoable commands."""
from __future__ import annotations

from sqlite_utils import Database

from annotator.editing.commands import Command
from annotator.editing.speakers import insert_speaker
from annotator.vocab import SPEAKER_KINDS
from annotator.store.db import now

SPEAKER_FIELDS = {"name", "role", "organisation", "kind", "notes"}
POSITION_FIELDS = {"label", "hotkey", "colour", "order", "value"}


def _speaker_rows(*ids) -> list:
    marks = ",".join("?" * len(ids))
    return [("speakers", f"id IN ({marks})", list(ids)),
            ("speaker_aliases", f"speaker_id IN ({marks})", list(ids))]


class CreateSpeaker(Command):
    label = "new speaker"

    def __init__(self, *, name: str, actor: str, role=None, organisation=None,
                 kind: str = "person", aliases=(), notes=None):
        super().__init__(actor=actor)
        name = (name or "").strip()
        if not name:
            raise ValueError("a speaker needs a name")
        if kind not in SPEAKER_KINDS:
            raise ValueError(f"speaker kind must be one of {', '.join(SPEAKER_KINDS)}")
        self.fields = dict(name=name, role=role, organisation=organisation, kind=kind,
                           notes=(notes or "").strip() or None)
        self.aliases = [a.strip() for a in aliases if a.strip()]
        self.speaker_id = None

    def target(self):
        return f"speaker:{self.speaker_id}"

    def touched(self, db):
        return _speaker_rows(self.speaker_id) if self.speaker_id else []

    def mutate(self, db):
        self.speaker_id = insert_speaker(db, **self.fields, aliases=self.aliases)


class UpdateSpeaker(Command):
    """Rename a speaker or change its role, organisation, kind or notes."""
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
        if "notes" in fields:
            fields["notes"] = (fields["notes"] or "").strip() or None
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


MERGED_FIELDS = ("role", "organisation", "kind")


class MergeConflict(ValueError):
    """A merge whose two speakers hold different values of a field, none chosen:
    ``conflicts`` is {field: (kept speaker's value, other's value)}."""

    def __init__(self, keep_name: str, other_name: str, conflicts: dict):
        self.conflicts = conflicts
        said = "; ".join(f"{field}: \u201c{a}\u201d or \u201c{b}\u201d"
                         for field, (a, b) in conflicts.items())
        super().__init__(f"cannot merge \u201c{other_name}\u201d into \u201c{keep_name}\u201d "
                         f"before choosing which value to keep ({said})")


def _blank(value) -> bool:
    return value is None or not str(value).strip()


def _same(a, b) -> bool:
    return str(a).strip().casefold() == str(b).strip().casefold()


def _speaker(db: Database, speaker_id: int) -> dict:
    row = next(db.query("SELECT id, name, role, organisation, kind, notes, merged_into "
                        "FROM speakers WHERE id = ?", [speaker_id]), None)
    if row is None:
        raise ValueError("both speakers must exist")
    return row


def merge_conflicts(db: Database, keep_id: int, other_id: int) -> dict:
    """{field: (kept value, other value)} for each of role, organisation and kind that the
    two speakers both fill with different values (an analyst chooses; never dropped)."""
    keep, other = _speaker(db, keep_id), _speaker(db, other_id)
    return {f: (keep[f], other[f]) for f in MERGED_FIELDS
            if not _blank(keep[f]) and not _blank(other[f]) and not _same(keep[f], other[f])}


def merge_preview(db: Database, keep_id: int, other_id: int) -> tuple[str, str, dict]:
    """The two speakers' names and their conflicts (``merge_conflicts``), for asking."""
    return (_speaker(db, keep_id)["name"], _speaker(db, other_id)["name"],
            merge_conflicts(db, keep_id, other_id))


def merged_fields(db: Database, keep_id: int, other_id: int, chosen: dict) -> dict:
    """The kept speaker's role, organisation and kind after the merge: its own, the other's
    where its own is empty, ``chosen`` where given. Raises MergeConflict for a field the two
    fill differently without a choice."""
    keep, other = _speaker(db, keep_id), _speaker(db, other_id)
    open_ = {f: v for f, v in merge_conflicts(db, keep_id, other_id).items() if f not in chosen}
    if open_:
        raise MergeConflict(keep["name"], other["name"], open_)
    out = {}
    for f in MERGED_FIELDS:
        out[f] = chosen[f] if f in chosen else other[f] if _blank(keep[f]) else keep[f]
    out["notes"] = merged_notes(keep["notes"], other["notes"])
    return out


def merged_notes(keep, other) -> str | None:
    """The kept speaker's notes after a merge: its own, the other's when it has none, both
    (its own first, a blank line between) when its own do not hold the other's already:
    free text is never dropped."""
    if _blank(other) or (not _blank(keep) and other.strip() in keep):
        return keep
    if _blank(keep):
        return other
    return f"{keep.rstrip()}\n\n{other.strip()}"


class MergeSpeakers(Command):
    """Merge ``other`` into ``keep``: its quotes follow, its name and aliases become aliases,
    the kept speaker takes its role, organisation and kind where its own are empty, and its
    notes (added after the kept speaker's own when both have different ones). Two
    different values of a field are a conflict: ``role``, ``organisation`` or ``kind`` say
    which to keep, and without that choice the merge is refused (MergeConflict)."""
    label = "merge speakers"

    def __init__(self, *, keep_id: int, other_id: int, actor: str, role=None,
                 organisation=None, kind=None):
        super().__init__(actor=actor)
        if keep_id == other_id:
            raise ValueError("cannot merge a speaker with itself")
        self.keep_id, self.other_id = keep_id, other_id
        self.chosen = {}
        for field, value in (("role", role), ("organisation", organisation), ("kind", kind)):
            if value is None:
                continue
            if _blank(value):
                raise ValueError(f"the chosen {field} cannot be blank")
            self.chosen[field] = value.strip()
        if self.chosen.get("kind", "person") not in SPEAKER_KINDS:
            raise ValueError(f"speaker kind must be one of {', '.join(SPEAKER_KINDS)}")

    def target(self):
        return f"speaker:{self.keep_id}"

    def touched(self, db):
        return _speaker_rows(self.keep_id, self.other_id) + [
            ("quotes", "speaker_id IN (?, ?)", [self.keep_id, self.other_id])]

    def mutate(self, db):
        keep, other = _speaker(db, self.keep_id), _speaker(db, self.other_id)
        if keep["merged_into"] is not None or other["merged_into"] is not None:
            raise ValueError("a speaker merged already cannot be merged again")
        fields = merged_fields(db, self.keep_id, self.other_id, self.chosen)  # before a write
        db.execute("UPDATE quotes SET speaker_id = ?, updated = ? WHERE speaker_id = ?",
                   [self.keep_id, now(), self.other_id])
        aliases = [other["name"]] + [r[0] for r in db.execute(
            "SELECT alias FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias",
            [self.other_id])]
        db.execute("DELETE FROM speaker_aliases WHERE speaker_id = ?", [self.other_id])
        known = {keep["name"].casefold()} | {r[0].casefold() for r in db.execute(
            "SELECT alias FROM speaker_aliases WHERE speaker_id = ?", [self.keep_id])}
        for alias in aliases:
            if alias.casefold() not in known:
                known.add(alias.casefold())
                db.execute("INSERT INTO speaker_aliases(speaker_id, alias) VALUES (?, ?)",
                           [self.keep_id, alias])
        db.execute("UPDATE speakers SET role = ?, organisation = ?, kind = ?, notes = ? "
                   "WHERE id = ?", [fields["role"], fields["organisation"], fields["kind"],
                                    fields["notes"], self.keep_id])
        db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?",
                   [self.keep_id, self.other_id])


def proposal_speakers(db: Database, proposal_id: int) -> tuple[int, int]:
    """The (kept, other) speaker ids of a merge proposal."""
    row = db.execute("SELECT speaker_id, other_id FROM speaker_merge_proposals WHERE id = ?",
                     [proposal_id]).fetchone()
    if row is None:
        raise ValueError(f"no merge proposal {proposal_id}")
    return row[0], row[1]


class SettleMergeProposal(Command):
    """Settle a proposal that two speakers are one (e.g. Sergei / Sergey Lavrov): merge the
    second into the first (as MergeSpeakers does, with the same ``role``, ``organisation`` and
    ``kind`` choices for a conflict), or keep them apart; the proposal remembers the decision."""

    def __init__(self, *, proposal_id: int, accept: bool, actor: str, role=None,
                 organisation=None, kind=None):
        super().__init__(actor=actor)
        self.proposal_id, self.accept = proposal_id, accept
        self.choices = dict(role=role, organisation=organisation, kind=kind)
        self.label = "merge proposed speakers" if accept else "keep speakers apart"
        self.merge: MergeSpeakers | None = None

    def target(self):
        return f"proposal:{self.proposal_id}"

    def touched(self, db):
        keep_id, other_id = proposal_speakers(db, self.proposal_id)
        rows = [("speaker_merge_proposals", "id = ?", [self.proposal_id])]
        if self.accept:
            self.merge = MergeSpeakers(keep_id=keep_id, other_id=other_id,
                                       actor=self.actor, **self.choices)
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
