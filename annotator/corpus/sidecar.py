"""The registry sidecar of a native JSONL export: codebook, speakers and layers.

``corpus.jsonl`` keeps one article a line (its shape is a contract); ``corpus.registry.json``
beside it holds what the lines only name: every topic with its positions (the codebook file's
shape, so it also loads as a codebook), every speaker with role, organisation, kind, aliases,
merges and notes, and every layer with its kind. Importing ``corpus.jsonl`` reads it when present.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from sqlite_utils import Database

from annotator.corpus.fields import Fields, is_whole
from annotator.corpus.json_record import BadRecord, parse_record
from annotator.vocab import LAYER_KINDS, SPEAKER_KINDS

FORMAT = "quotebook-registry"
VERSION = 1
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def registry_path(out: str | Path) -> Path:
    """``corpus.jsonl`` -> ``corpus.registry.json``."""
    out = Path(out)
    return out.with_name(f"{out.stem if out.suffix else out.name}.registry.json")


def registry(db: Database) -> dict:
    """The project's codebook, speaker registry and layers as plain data."""
    topics = []
    by_id = {}
    for tid, name, description, order in db.execute(
            'SELECT id, name, description, "order" FROM topics ORDER BY "order", id'):
        by_id[tid] = {"name": name, "description": description, "order": order,
                      "positions": []}
        topics.append(by_id[tid])
    for tid, label, hotkey, colour, order, value in db.execute(
            'SELECT topic_id, label, hotkey, colour, "order", value FROM positions '
            'ORDER BY topic_id, "order", id'):
        by_id[tid]["positions"].append({"label": label, "hotkey": hotkey, "colour": colour,
                                        "order": order, "value": value})
    aliases: dict[int, list] = {}
    for sid, alias in db.execute("SELECT speaker_id, alias FROM speaker_aliases "
                                 "ORDER BY speaker_id, alias"):
        aliases.setdefault(sid, []).append(alias)
    speakers = [{"id": sid, "name": name, "role": role, "organisation": org, "kind": kind,
                 "aliases": aliases.get(sid, []), "merged_into": merged, "notes": notes}
                for sid, name, role, org, kind, merged, notes in db.execute(
                    "SELECT id, name, role, organisation, kind, merged_into, notes "
                    "FROM speakers ORDER BY id")]
    layers = [{"name": name, "kind": kind} for name, kind in db.execute(
        "SELECT name, kind FROM layers ORDER BY id")]
    return {"format": FORMAT, "version": VERSION, "topics": topics, "speakers": speakers,
            "layers": layers}


def registry_json(db: Database) -> str:
    return json.dumps(registry(db), ensure_ascii=False, indent=1) + "\n"


def read_registry(path: str | Path) -> dict | None:
    """The registry in ``path``, or None when there is none; a bad file raises ValueError."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        data = parse_record(path.read_text(encoding="utf-8-sig"), strings=False)
    except (OSError, UnicodeDecodeError, BadRecord) as exc:
        raise ValueError(f"{path}: cannot be read as a registry ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a Quotebook registry file")
    version = data.get("version", VERSION)
    if not is_whole(version):
        raise ValueError(f"{path}: 'version' must be a whole number ({VERSION}), not "
                         f"{json.dumps(version)}")
    if version > VERSION:
        raise ValueError(f"{path}: written by a newer version of Quotebook")
    for key in ("topics", "speakers", "layers"):
        if not isinstance(data.get(key, []), list):
            raise ValueError(f"{path}: '{key}' must be a list")
    return data


def _topic(i: int, topic, fields: Fields) -> dict | None:
    where = f"topics[{i}]"
    name = fields.name(topic.get("name"), f"{where}.name") if isinstance(topic, dict) else None
    if not name:
        fields.note(where, "needs a 'name'; this topic is not restored")
        return None
    positions = topic.get("positions") or []
    if not isinstance(positions, list):
        fields.note(f"{where}.positions", "must be a list; not kept")
        positions = []
    clean = []
    for j, pos in enumerate(positions):
        pw = f"{where}.positions[{j}]"
        label = fields.name(pos.get("label"), f"{pw}.label") if isinstance(pos, dict) else None
        if not label:
            fields.note(pw, "needs a 'label'; this position is not restored")
            continue
        hotkey, colour = pos.get("hotkey"), pos.get("colour")
        if hotkey is not None and not (isinstance(hotkey, str) and len(hotkey) == 1):
            fields.note(f"{pw}.hotkey", f"must be one character, not {json.dumps(hotkey)}; "
                                        "not kept")
            hotkey = None
        if colour is not None and not (isinstance(colour, str) and COLOUR.match(colour)):
            fields.note(f"{pw}.colour", "must look like #1b9e77; not kept")
            colour = None
        clean.append({"label": label.strip(), "hotkey": hotkey, "colour": colour,
                      "order": fields.whole(pos.get("order"), f"{pw}.order", j),
                      "value": fields.number(pos.get("value"), f"{pw}.value")})
    return {"name": name.strip(),
            "description": fields.name(topic.get("description"), f"{where}.description") or "",
            "order": fields.whole(topic.get("order"), f"{where}.order", i), "positions": clean}


def _speaker(i: int, sp, fields: Fields) -> dict | None:
    where = f"speakers[{i}]"
    name = fields.name(sp.get("name"), f"{where}.name") if isinstance(sp, dict) else None
    if not name:
        fields.note(where, "needs a 'name'; this speaker is not restored")
        return None
    sid, merged = sp.get("id"), sp.get("merged_into")
    if sid is not None and not is_whole(sid):
        fields.note(f"{where}.id", "must be a whole number; quotes cannot refer to this speaker")
        sid = None
    if merged is not None and not is_whole(merged):
        fields.note(f"{where}.merged_into", "must be a speaker's id; not kept")
        merged = None
    aliases = sp.get("aliases") or []
    if not isinstance(aliases, list):
        fields.note(f"{where}.aliases", "must be a list of names; not kept")
        aliases = []
    aliases = [a for a in (fields.name(a, f"{where}.aliases[{k}]")
                           for k, a in enumerate(aliases)) if a]
    return {"id": sid, "name": name.strip(), "role": fields.name(sp.get("role"), f"{where}.role"),
            "organisation": fields.name(sp.get("organisation"), f"{where}.organisation"),
            "kind": fields.choice(sp.get("kind"), f"{where}.kind", SPEAKER_KINDS, "person"),
            "aliases": aliases, "merged_into": merged,
            "notes": fields.name(sp.get("notes"), f"{where}.notes")}


def clean_registry(data: dict, fields: Fields) -> dict:
    """The registry's topics, speakers and layers with every field checked.

    A field that cannot be kept is noted in ``fields`` (e.g. ``topics[0].order``) and dropped
    or replaced (a bad ``order`` by the item's place in its list); an entry without a name is
    noted and left out. The rest is plain, typed data ready to store.
    """
    topics = [t for t in (_topic(i, t, fields) for i, t in enumerate(data.get("topics") or []))
              if t]
    speakers = [s for s in (_speaker(i, s, fields)
                            for i, s in enumerate(data.get("speakers") or [])) if s]
    layers = []
    for i, layer in enumerate(data.get("layers") or []):
        name = fields.name(layer.get("name"), f"layers[{i}].name") \
            if isinstance(layer, dict) else None
        if not name:
            fields.note(f"layers[{i}]", "needs a 'name'; this layer is not restored")
            continue
        layers.append({"name": name, "kind": fields.choice(
            layer.get("kind"), f"layers[{i}].kind", LAYER_KINDS, None)})
    return {"topics": topics, "speakers": speakers, "layers": layers}
