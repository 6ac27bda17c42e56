"""Restore a native JSONL export: entities, quotes by layer, speakers and the codebook.

Called by ``importing.import_paths`` inside its transaction for each record that has the
native shape (``meta``, ``entities`` and ``quotes``). The registry sidecar beside the file
(``NAME.registry.json``) brings back the codebook, the speakers (role, organisation, kind,
aliases, merges) and the layers' kinds; without it, speakers, topics and positions are found
or created by name. A quote whose uuid the project already has is not imported again.
"""
from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from .quotes import KINDS, STATUSES
from .registry_file import read_registry, registry_path
from .speakers import add_speaker, find_speaker
from .store import ensure_layer

QUOTE_INSERT = (
    'INSERT INTO quotes(uuid, article_id, layer_id, start, "end", kind, speaker_id, '
    "speaker_start, speaker_end, cue_start, cue_end, topic_id, position_id, status, "
    "confidence, note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?)")


class Restorer:
    """Restores the annotations of native records into one project (one import run)."""

    def __init__(self, db: Database, notes, stamp: str, actor: str = "import"):
        self.db, self.notes, self.stamp, self.actor = db, notes, stamp, actor
        self.speakers: dict[int, int] = {}      # exported speaker id -> id here
        self.layer_kinds: dict[str, str] = {}
        self._layers: dict[str, int] = {}
        self._positions: dict[tuple, tuple] = {}
        self.quotes = 0
        self.files: set[Path] = set()

    # -- the registry sidecar -------------------------------------------------------------
    def start_file(self, path: Path) -> None:
        """Read the registry beside ``path`` once, restoring codebook, speakers, layers."""
        if path in self.files:
            return
        self.files.add(path)
        self.speakers = {}
        sidecar = registry_path(path)
        try:
            reg = read_registry(sidecar)
        except ValueError as exc:
            self.notes.warn(str(sidecar), f"{exc}; speakers and codebook found by name")
            return
        if reg is None:
            return
        self._codebook(reg.get("topics", []))
        for layer in reg.get("layers", []):
            if isinstance(layer, dict) and isinstance(layer.get("name"), str) and layer["name"]:
                self.layer_kinds[layer["name"]] = layer.get("kind")
                self._layer(layer["name"])  # created in the exported project's order
        merges = []
        for sp in reg.get("speakers", []):
            if not isinstance(sp, dict) or not str(sp.get("name") or "").strip():
                continue
            new_id = self._same_speaker(sp)
            if new_id is None:
                try:
                    new_id = add_speaker(self.db, sp["name"], role=sp.get("role"),
                                         organisation=sp.get("organisation"),
                                         kind=sp.get("kind") or "person",
                                         aliases=tuple(sp.get("aliases") or ()),
                                         actor=self.actor)
                except ValueError as exc:
                    self.notes.warn(str(sidecar), f"speaker {sp.get('name')!r}: {exc}")
                    continue
                if sp.get("merged_into") is not None:
                    merges.append((new_id, sp["merged_into"]))
            self.speakers[sp.get("id")] = new_id
        for new_id, old_target in merges:
            if old_target in self.speakers:
                self.db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?",
                                [self.speakers[old_target], new_id])

    def _same_speaker(self, sp: dict) -> int | None:
        """A speaker here with the same name, role, organisation and kind, not yet mapped."""
        taken = set(self.speakers.values())
        for (sid,) in self.db.execute(
                "SELECT id FROM speakers WHERE name = ? AND coalesce(role, '') = ? AND "
                "coalesce(organisation, '') = ? AND kind = ? ORDER BY id",
                [sp["name"].strip(), sp.get("role") or "", sp.get("organisation") or "",
                 sp.get("kind") or "person"]).fetchall():
            if sid not in taken:
                return sid
        return None

    def _codebook(self, topics: list) -> None:
        for t_order, topic in enumerate(topics):
            if not isinstance(topic, dict) or not str(topic.get("name") or "").strip():
                continue
            self.db.execute('INSERT OR IGNORE INTO topics(name, description, "order") '
                            "VALUES (?, ?, ?)", [topic["name"].strip(),
                                                 topic.get("description") or "",
                                                 topic.get("order", t_order)])
            tid = self.db.execute("SELECT id FROM topics WHERE name = ?",
                                  [topic["name"].strip()]).fetchone()[0]
            for p_order, pos in enumerate(topic.get("positions") or []):
                if isinstance(pos, dict) and str(pos.get("label") or "").strip():
                    self.db.execute(
                        'INSERT OR IGNORE INTO positions(topic_id, label, hotkey, colour, '
                        '"order", value) VALUES (?, ?, ?, ?, ?, ?)',
                        [tid, pos["label"].strip(), pos.get("hotkey"), pos.get("colour"),
                         pos.get("order", p_order), pos.get("value")])

    # -- names to ids ---------------------------------------------------------------------
    def _layer(self, name: str) -> int:
        if name not in self._layers:
            kind = self.layer_kinds.get(name)
            self._layers[name] = ensure_layer(
                self.db, name, kind if kind in ("analyst", "suggestions", "gold") else None)
        return self._layers[name]

    def _position(self, topic: str | None, label: str | None) -> tuple:
        key = (topic, label)
        if key not in self._positions:
            tid = pid = None
            if topic:
                self.db.execute("INSERT OR IGNORE INTO topics(name) VALUES (?)", [topic])
                tid = self.db.execute("SELECT id FROM topics WHERE name = ?",
                                      [topic]).fetchone()[0]
                if label:
                    self.db.execute("INSERT OR IGNORE INTO positions(topic_id, label) "
                                    "VALUES (?, ?)", [tid, label])
                    pid = self.db.execute("SELECT id FROM positions WHERE topic_id = ? AND "
                                          "label = ?", [tid, label]).fetchone()[0]
            self._positions[key] = (tid, pid)
        return self._positions[key]

    def _speaker(self, speaker: dict | None) -> int | None:
        if not speaker or speaker.get("id") is None or not speaker.get("name"):
            return None
        old = speaker["id"]
        if old not in self.speakers:
            self.speakers[old] = find_speaker(self.db, speaker["name"]) or add_speaker(
                self.db, speaker["name"], role=speaker.get("role"),
                organisation=speaker.get("organisation"), actor=self.actor)
        return self.speakers[old]

    # -- one record -----------------------------------------------------------------------
    def restore(self, article_id: int, text: str, annotations: dict, *, new: bool,
                where: str) -> None:
        """Store the entities (of a new article) and the quotes of one native record."""
        entities = annotations.get("entities") or []
        if not isinstance(entities, list):
            self.notes.skip(where, "'entities' is not a list; entities not imported")
            entities = []
        if new and entities:
            rows = [(article_id, e["start"], e["end"], e["label"],
                     self._layer(e["layer"]) if isinstance(e.get("layer"), str) else None)
                    for e in entities
                    if isinstance(e, dict) and _inside(len(text), e.get("start"), e.get("end"))
                    and isinstance(e.get("label"), str) and e["label"]]
            self.db.conn.executemany('INSERT INTO entities(article_id, start, "end", label, '
                                     "layer_id) VALUES (?, ?, ?, ?, ?)", rows)
            self.db.execute("UPDATE articles SET analyzed_at = ?, analyzed_model = ? "
                            "WHERE id = ?", [self.stamp, "restored from export", article_id])
        statuses = annotations.get("statuses") or {}
        for layer, status in (statuses.items() if isinstance(statuses, dict) else ()):
            if isinstance(layer, str) and status in ("todo", "in_progress", "done", "skipped"):
                self.db.execute("INSERT OR IGNORE INTO article_status(article_id, layer_id, "
                                "status, updated) VALUES (?, ?, ?, ?)",
                                [article_id, self._layer(layer), status, self.stamp])
        for q in annotations.get("quotes") or []:
            problem = _check(q, len(text))
            if problem:
                name = q.get("id") if isinstance(q, dict) else repr(q)
                self.notes.skip(where, f"quote {name}: {problem}; not imported")
                continue
            if self.db.execute("SELECT 1 FROM quotes WHERE uuid = ?", [q["id"]]).fetchone():
                continue
            frags = sorted((int(s), int(e)) for s, e in q["fragments"])
            speaker = q.get("speaker") or {}
            cue = q.get("cue") or {}
            topic_id, position_id = self._position(q.get("topic"), q.get("position"))
            cur = self.db.execute(QUOTE_INSERT, [
                q["id"], article_id, self._layer(q["layer"]), frags[0][0], frags[-1][1],
                q.get("kind") or "direct", self._speaker(speaker), speaker.get("start"),
                speaker.get("end"), cue.get("start"), cue.get("end"), topic_id, position_id,
                q.get("status") or "accepted", q.get("confidence"), q.get("note") or "",
                q.get("created") or self.stamp, q.get("updated") or self.stamp])
            self.db.conn.executemany(
                'INSERT INTO quote_fragments(quote_id, ord, start, "end") VALUES (?, ?, ?, ?)',
                [(cur.lastrowid, i, s, e) for i, (s, e) in enumerate(frags)])
            self.quotes += 1


def _inside(length: int, start, end) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length


def _check(q, length: int) -> str | None:
    """Why a native quote cannot be stored, or None."""
    if not isinstance(q, dict) or not q.get("id") or not q.get("layer"):
        return "needs an 'id' and a 'layer'"
    frags = q.get("fragments")
    if not isinstance(frags, list) or not frags or not all(
            isinstance(f, list) and len(f) == 2 and _inside(length, *f) for f in frags):
        return "fragments missing or outside the text"
    frags = sorted(frags)
    if any(b[0] < a[1] for a, b in zip(frags, frags[1:])):
        return "fragments overlap"
    if not isinstance(q["layer"], str) or not isinstance(q["id"], str):
        return "'id' and 'layer' must be text"
    for part in ("speaker", "cue"):
        span = q.get(part) or {}
        if not isinstance(span, dict):
            return f"'{part}' must be an object like {{\"start\": 0, \"end\": 4}}"
        if span.get("start") is not None and not _inside(length, span.get("start"),
                                                         span.get("end")):
            return f"{part} outside the text"
    speaker = q.get("speaker") or {}
    if not isinstance(speaker.get("id"), (int, type(None))) or \
            not isinstance(speaker.get("name"), (str, type(None))):
        return "speaker 'id' must be a number and 'name' text"
    for key in ("topic", "position", "created", "updated", "note"):
        if not isinstance(q.get(key), (str, type(None))):
            return f"'{key}' must be text"
    if not isinstance(q.get("confidence"), (int, float, type(None))):
        return "'confidence' must be a number"
    if (q.get("kind") or "direct") not in KINDS:
        return f"unknown kind {q.get('kind')!r}"
    if (q.get("status") or "accepted") not in STATUSES:
        return f"unknown status {q.get('status')!r}"
    return None
