"""The registry sidecar of a native JSONL export: codebook, speakers and layers.

``corpus.jsonl`` keeps one article a line (its shape is a contract); ``corpus.registry.json``
beside it holds what the lines only name: every topic with its positions (the codebook file's
shape, so it also loads as a codebook), every speaker with role, organisation, kind, aliases
and merges, and every layer with its kind. Importing ``corpus.jsonl`` reads it when present.
"""
from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

FORMAT = "quotebook-registry"
VERSION = 1


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
                 "aliases": aliases.get(sid, []), "merged_into": merged}
                for sid, name, role, org, kind, merged in db.execute(
                    "SELECT id, name, role, organisation, kind, merged_into FROM speakers "
                    "ORDER BY id")]
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
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read as a registry ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a Quotebook registry file")
    if int(data.get("version", 0)) > VERSION:
        raise ValueError(f"{path}: written by a newer version of Quotebook")
    for key in ("topics", "speakers", "layers"):
        if not isinstance(data.get(key, []), list):
            raise ValueError(f"{path}: '{key}' must be a list")
    return data
