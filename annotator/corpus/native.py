"""Restore a native JSONL export: entities, quotes by layer, speakers and the codebook.

Called by ``importing.import_paths`` inside its transaction for each record that has the
native shape (``meta``, ``entities`` and ``quotes``). The registry sidecar beside the file
(``NAME.registry.json``) brings back the codebook, the speakers (role, organisation, kind,
aliases, merges, notes) and the layers' kinds; without it, speakers, topics and positions are
found or created by name. A quote whose uuid the project
already has is not imported again. A field that cannot be kept is reported as a warning naming
file, line and field; a quote that cannot be stored is skipped with its reason.
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from annotator.corpus.fields import Fields, is_number, is_whole
from annotator.corpus.sidecar import clean_registry, read_registry, registry_path
from annotator.editing.quotes import insert_quote
from annotator.editing.speakers import add_speaker, find_speaker
from annotator.store.db import ensure_layer, log_event
from annotator.vocab import (ARTICLE_STATUSES, LAYER_KINDS, QUOTE_KINDS, QUOTE_STATUSES,
                             SPEAKER_KINDS)

# what each part of a native record may hold ("text", "start", "end" are derived; "kind",
# "position_value" and "article_id" come with the extended records of the other formats)
RECORD_KEYS = {"id", "entities", "quotes", "statuses", "article_id"}
ENTITY_KEYS = {"start", "end", "label", "text", "layer"}
QUOTE_KEYS = {"id", "fragments", "start", "end", "text", "kind", "speaker", "cue", "topic",
              "position", "position_value", "layer", "status", "confidence", "note",
              "created", "updated"}
SPEAKER_KEYS = {"id", "name", "start", "end", "text", "role", "organisation", "kind"}
CUE_KEYS = {"start", "end", "text"}


def is_record_error(exc: BaseException) -> bool:
    """Whether ``exc`` is about one record (skip it) rather than the disk or the project."""
    if isinstance(exc, sqlite3.Error):
        return isinstance(exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError,
                                sqlite3.InterfaceError, sqlite3.DataError))
    return isinstance(exc, Exception) and not isinstance(exc, (OSError, MemoryError))


def _short(text: str, limit: int = 80) -> str:
    """A text quoted in a message, cut to ``limit`` characters."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


class Restorer:
    """Restores the annotations of native records into one project (one import run).

    ``begin`` before each record and ``undo`` when its savepoint was rolled back: names
    looked up or created for that record are forgotten, so later records never point at rows
    that are gone.
    """

    def __init__(self, db: Database, notes, stamp: str, actor: str = "import"):
        self.db, self.notes, self.stamp, self.actor = db, notes, stamp, actor
        self.speakers: dict = {}      # exported speaker id (or ("name", ...)) -> id here
        self.layer_kinds: dict[str, str] = {}
        self._layers: dict[str, int] = {}
        self._positions: dict[tuple, tuple] = {}
        self.quotes = 0
        self.present = 0              # quotes not imported: their uuid is in the project
        self.files: set[Path] = set()
        self._journal: list[tuple[dict, object]] = []
        self._record_quotes = 0

    def begin(self) -> None:
        self._journal, self._record_quotes = [], 0

    def undo(self) -> None:
        for cache, key in self._journal:
            cache.pop(key, None)
        self.quotes -= self._record_quotes
        self.begin()

    def _remember(self, cache: dict, key, value):
        cache[key] = value
        self._journal.append((cache, key))
        return value

    # -- the registry sidecar -------------------------------------------------------------
    def start_file(self, path: Path, given: dict | None = None) -> None:
        """Read the registry beside ``path`` once, restoring codebook, speakers, layers.

        ``given`` is a registry the reader found in the file itself (a DNA database), used
        instead of a sidecar. A registry that cannot be read is reported and not used; a bad
        field is reported (file and field) and the rest of the registry is used.
        """
        if path in self.files:
            return
        self.files.add(path)
        self.speakers = {}
        sidecar = path if given is not None else registry_path(path)
        try:
            reg = given if given is not None else read_registry(sidecar)
        except ValueError as exc:
            self.notes.warnings.append(f"{exc}; the registry is not used: speakers and "
                                       "codebook are found by name")
            return
        if reg is None:
            return
        fields = Fields()
        try:
            reg = clean_registry(reg, fields)
            for field, why in fields.problems:
                self.notes.warn(f"{sidecar}: {field}", why)
            with self.db.atomic():
                self._registry(reg, str(sidecar))
        except Exception as exc:
            if not is_record_error(exc):
                raise
            self.speakers, self.layer_kinds, self._layers = {}, {}, {}
            self.notes.warn(str(sidecar), f"cannot be restored ({type(exc).__name__}: {exc}); "
                            "the registry is not used: speakers and codebook are found by name")

    def _registry(self, reg: dict, where: str) -> None:
        self._codebook(reg["topics"])
        for layer in reg["layers"]:
            self.layer_kinds[layer["name"]] = layer["kind"]
            self._layer(layer["name"])  # created in the exported project's order
        merges = []
        for sp in reg["speakers"]:
            new_id = self._same_speaker(sp)
            if new_id is None:
                new_id = add_speaker(self.db, sp["name"], role=sp["role"],
                                     organisation=sp["organisation"], kind=sp["kind"],
                                     aliases=tuple(sp["aliases"]), actor=self.actor,
                                     notes=sp["notes"])
                if sp["merged_into"] is not None:
                    merges.append((new_id, sp["merged_into"]))
            elif sp["notes"]:
                self._notes(new_id, sp, where)
            if sp["id"] is not None:
                self.speakers[sp["id"]] = new_id
        for new_id, old_target in merges:
            if old_target in self.speakers:
                self.db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?",
                                [self.speakers[old_target], new_id])

    def _notes(self, speaker_id: int, sp: dict, where: str) -> None:
        """The notes of a speaker the project has already: set when it has none; when its
        own differ they are kept and the difference reported (never overwritten)."""
        here = self.db.execute("SELECT notes FROM speakers WHERE id = ?",
                               [speaker_id]).fetchone()[0]
        given = sp["notes"].strip()
        if not (here or "").strip():
            self.db.execute("UPDATE speakers SET notes = ? WHERE id = ?", [given, speaker_id])
            log_event(self.db, actor=self.actor, action="speaker_notes",
                      target=f"speaker:{speaker_id}", before={"notes": here},
                      after={"notes": given})
        elif here.strip() != given:
            self.notes.warn(where, f"speaker {sp['name']!r}: the notes {_short(given)} differ "
                                   f"from the project's {_short(here)}; the project's are kept")

    def _same_speaker(self, sp: dict) -> int | None:
        """A speaker here with the same name, role, organisation and kind, not yet mapped."""
        taken = set(self.speakers.values())
        for (sid,) in self.db.execute(
                "SELECT id FROM speakers WHERE name = ? AND coalesce(role, '') = ? AND "
                "coalesce(organisation, '') = ? AND kind = ? ORDER BY id",
                [sp["name"], sp["role"] or "", sp["organisation"] or "",
                 sp["kind"]]).fetchall():
            if sid not in taken:
                return sid
        return None

    def _codebook(self, topics: list) -> None:
        for topic in topics:
            self.db.execute('INSERT OR IGNORE INTO topics(name, description, "order") '
                            "VALUES (?, ?, ?)", [topic["name"], topic["description"],
                                                 topic["order"]])
            tid = self.db.execute("SELECT id FROM topics WHERE name = ?",
                                  [topic["name"]]).fetchone()[0]
            for pos in topic["positions"]:
                self.db.execute(
                    'INSERT OR IGNORE INTO positions(topic_id, label, hotkey, colour, '
                    '"order", value) VALUES (?, ?, ?, ?, ?, ?)',
                    [tid, pos["label"], pos["hotkey"], pos["colour"], pos["order"],
                     pos["value"]])

    # -- names to ids ---------------------------------------------------------------------
    def _layer(self, name: str) -> int:
        if name not in self._layers:
            kind = self.layer_kinds.get(name)
            self._remember(self._layers, name, ensure_layer(
                self.db, name, kind if kind in LAYER_KINDS else None))
        return self._layers[name]

    def _position(self, topic: str | None, label: str | None, value=None) -> tuple:
        """Topic and position ids, created when missing. With a ``value`` (+1 agrees, -1
        disagrees), a topic without that label takes its own position of that value."""
        key = (topic, label, value)
        if key not in self._positions:
            tid = pid = None
            if topic:
                self.db.execute("INSERT OR IGNORE INTO topics(name) VALUES (?)", [topic])
                tid = self.db.execute("SELECT id FROM topics WHERE name = ?",
                                      [topic]).fetchone()[0]
                if label:
                    pid = self._position_id(tid, label, value)
            self._remember(self._positions, key, (tid, pid))
        return self._positions[key]

    def _position_id(self, tid: int, label: str, value) -> int:
        found = self.db.execute("SELECT id FROM positions WHERE topic_id = ? AND label = ?",
                                [tid, label]).fetchone()
        if found is None and value is not None:
            found = self.db.execute(
                'SELECT id FROM positions WHERE topic_id = ? AND value = ? ORDER BY "order", id '
                "LIMIT 1", [tid, value]).fetchone()
        if found:
            return found[0]
        if value is None:
            return self.db.execute("INSERT INTO positions(topic_id, label) VALUES (?, ?)",
                                   [tid, label]).lastrowid
        used = {k for (k,) in self.db.execute(
            "SELECT hotkey FROM positions WHERE topic_id = ?", [tid])}
        hotkey = next((k for k in "123456789" if k not in used), None)
        return self.db.execute(
            'INSERT INTO positions(topic_id, label, hotkey, "order", value) VALUES '
            '(?, ?, ?, (SELECT coalesce(max("order"), 0) + 1 FROM positions '
            "WHERE topic_id = ?), ?)", [tid, label, hotkey, tid, value]).lastrowid

    def _by_name(self, name: str, role, organisation, kind, where: str,
                 fields: Fields) -> int:
        """The speaker of that name (or alias), else a new one with role and organisation.

        A role or organisation that differs from the found speaker's is reported: the
        project's speaker is kept as it is.
        """
        found = find_speaker(self.db, name)
        if found is None:
            return add_speaker(self.db, name, role=role, organisation=organisation, kind=kind,
                               actor=self.actor)
        has = self.db.execute("SELECT name, role, organisation FROM speakers WHERE id = ?",
                              [found]).fetchone()
        for key, given, here in (("role", role, has[1]), ("organisation", organisation, has[2])):
            if given and given != here:
                fields.note(f"{where}.{key}", f"{given!r} differs from the project's speaker "
                                              f"{has[0]!r} ({here!r}); the project's is kept")
        return found

    def _speaker(self, speaker: dict, text: str, where: str, fields: Fields) -> int | None:
        """The speaker of a quote: by the registry's id, else found or created by name.

        An export's mention without a registry speaker (``"id": null`` and the mention's own
        text as name) stays a mention.
        """
        if not speaker:
            return None
        sid = speaker.get("id")
        if sid is not None and sid in self.speakers:
            return self.speakers[sid]
        name = fields.name(speaker.get("name"), f"{where}.name")
        name = name.strip() if name else None
        if name is None:
            if sid is not None:
                fields.note(f"{where}.id", f"speaker {sid} is not in the registry and has no "
                                           "name; not kept")
            return None
        start, end = speaker.get("start"), speaker.get("end")
        if "id" in speaker and sid is None and start is not None and text[start:end] == name:
            return None
        role = fields.name(speaker.get("role"), f"{where}.role")
        organisation = fields.name(speaker.get("organisation"), f"{where}.organisation")
        kind = fields.choice(speaker.get("kind"), f"{where}.kind", SPEAKER_KINDS, "person")
        key = sid if sid is not None else ("name", name.casefold(), role, organisation)
        if key not in self.speakers:
            self._remember(self.speakers, key,
                           self._by_name(name, role, organisation, kind, where, fields))
        return self.speakers[key]

    # -- one record -----------------------------------------------------------------------
    def restore(self, article_id: int, text: str, annotations: dict, *, new: bool,
                where: str) -> None:
        """Store the entities (of a new article), statuses and quotes of one native record.

        Fields that cannot be kept are reported as warnings naming ``where`` and the field.
        """
        fields = Fields()
        fields.unknown(annotations, RECORD_KEYS, "")
        record_id = annotations.get("id")
        if record_id is not None and record_id != hashlib.sha1(text.encode("utf-8")).hexdigest():
            fields.note("id", "is not the SHA-1 of the text; the article's id is its text's "
                              "hash")
        if new:
            self._entities(article_id, text, annotations.get("entities") or [], fields)
        self._statuses(article_id, annotations.get("statuses"), fields)
        for i, q in enumerate(annotations.get("quotes") or []):
            self._quote(article_id, text, q, f"quotes[{i}]", fields, where)
        for field, why in fields.problems:
            self.notes.warn(f"{where}: {field}", why)

    def _entities(self, article_id: int, text: str, entities: list, fields: Fields) -> None:
        rows = []
        for i, e in enumerate(entities):
            field = f"entities[{i}]"
            if not isinstance(e, dict) or not _inside(len(text), e.get("start"), e.get("end")):
                fields.note(field, "needs 'start' and 'end' inside the text; not kept")
                continue
            label = e.get("label")
            label = fields.name(label, f"{field}.label") if is_number(label) else label
            if not isinstance(label, str) or not label.strip():
                fields.note(field, "needs a 'label'; not kept")
                continue
            layer = fields.name(e.get("layer"), f"{field}.layer")
            fields.unknown(e, ENTITY_KEYS, field)
            rows.append((article_id, e["start"], e["end"], label,
                         self._layer(layer) if layer else None))
        if rows:
            self.db.conn.executemany('INSERT INTO entities(article_id, start, "end", label, '
                                     "layer_id) VALUES (?, ?, ?, ?, ?)", rows)
            self.db.execute("UPDATE articles SET analyzed_at = ?, analyzed_model = ? "
                            "WHERE id = ?", [self.stamp, "restored from export", article_id])

    def _statuses(self, article_id: int, statuses, fields: Fields) -> None:
        if statuses is None:
            return
        if not isinstance(statuses, dict):
            fields.note("statuses", "must be an object {layer: status}; not kept")
            return
        for layer, status in statuses.items():
            if status not in ARTICLE_STATUSES:
                fields.note(f"statuses.{layer}", f"must be one of {', '.join(ARTICLE_STATUSES)}"
                                                 f", not {status!r}; not kept")
                continue
            self.db.execute("INSERT OR IGNORE INTO article_status(article_id, layer_id, "
                            "status, updated) VALUES (?, ?, ?, ?)",
                            [article_id, self._layer(layer), status, self.stamp])

    def _quote(self, article_id: int, text: str, q, field: str, fields: Fields,
               where: str) -> None:
        problem = _check(q, len(text))
        if problem:
            name = q.get("id") if isinstance(q, dict) else repr(q)
            self.notes.skip(where, f"quote {name}: {problem}; not imported")
            return
        if self.db.execute("SELECT 1 FROM quotes WHERE uuid = ?", [q["id"]]).fetchone():
            self.present += 1
            return
        frags = sorted((int(s), int(e)) for s, e in q["fragments"])
        speaker = q.get("speaker") or {}
        cue = q.get("cue") or {}
        topic = fields.name(q.get("topic"), f"{field}.topic")
        position = fields.name(q.get("position"), f"{field}.position")
        if position and not topic:
            fields.note(f"{field}.position", f"{position!r} without a 'topic'; not kept")
        fields.unknown(q, QUOTE_KEYS, field)
        fields.unknown(speaker, SPEAKER_KEYS, f"{field}.speaker")
        fields.unknown(cue, CUE_KEYS, f"{field}.cue")
        value = fields.number(q.get("position_value"), f"{field}.position_value")
        topic_id, position_id = self._position(topic, position, value)
        insert_quote(self.db, {
            "uuid": q["id"], "article_id": article_id,
            "layer_id": self._layer(fields.name(q["layer"], f"{field}.layer")),
            "kind": q.get("kind") or "direct",
            "speaker_id": self._speaker(speaker, text, f"{field}.speaker", fields),
            "speaker_start": speaker.get("start"), "speaker_end": speaker.get("end"),
            "cue_start": cue.get("start"), "cue_end": cue.get("end"), "topic_id": topic_id,
            "position_id": position_id, "status": q.get("status") or "accepted",
            "confidence": q.get("confidence"),
            "note": fields.name(q.get("note"), f"{field}.note") or "",
            "created": q.get("created") or self.stamp, "updated": q.get("updated") or self.stamp},
            frags)
        self.quotes += 1
        self._record_quotes += 1


def _inside(length: int, start, end) -> bool:
    return is_whole(start) and is_whole(end) and 0 <= start < end <= length


def _text_or_number(value) -> bool:
    return value is None or isinstance(value, str) or is_number(value)


def _check(q, length: int) -> str | None:
    """Why a native quote cannot be stored, or None."""
    if not isinstance(q, dict) or not q.get("id") or not str(q.get("layer") or "").strip():
        return "needs an 'id' and a 'layer'"
    frags = q.get("fragments")
    if not isinstance(frags, list) or not frags or not all(
            isinstance(f, list) and len(f) == 2 and _inside(length, *f) for f in frags):
        return "fragments missing or outside the text"
    frags = sorted(frags)
    if any(b[0] < a[1] for a, b in zip(frags, frags[1:])):
        return "fragments overlap"
    if not isinstance(q["id"], str) or not _text_or_number(q["layer"]):
        return "'id' and 'layer' must be text"
    for part in ("speaker", "cue"):
        span = q.get(part) or {}
        if not isinstance(span, dict):
            return f"'{part}' must be an object like {{\"start\": 0, \"end\": 4}}"
        if span.get("start") is not None and not _inside(length, span.get("start"),
                                                         span.get("end")):
            return f"{part} outside the text"
    speaker = q.get("speaker") or {}
    if not (speaker.get("id") is None or is_whole(speaker["id"])) or \
            not _text_or_number(speaker.get("name")):
        return "speaker 'id' must be a number and 'name' text"
    for key in ("topic", "position", "note"):
        if not _text_or_number(q.get(key)):
            return f"'{key}' must be text"
    for key in ("created", "updated"):
        if not isinstance(q.get(key), (str, type(None))):
            return f"'{key}' must be text"
    confidence = q.get("confidence")
    if confidence is not None and not (is_number(confidence) and abs(confidence) < 2**63):
        return "'confidence' must be a number"
    if (q.get("kind") or "direct") not in QUOTE_KINDS:
        return f"unknown kind {q.get('kind')!r}"
    if (q.get("status") or "accepted") not in QUOTE_STATUSES:
        return f"unknown status {q.get('status')!r}"
    return None
