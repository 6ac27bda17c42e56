"""The codebook: topics and the positions a speaker can take on each."""
from __future__ import annotations

import json
import re
from pathlib import Path

from sqlite_utils import Database

from annotator.store.db import log_event

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class CodebookError(ValueError):
    """A codebook file with a problem; the message names the file and the field."""


def read_codebook(path: str | Path) -> list[dict]:
    """The topics of a codebook JSON file, checked field by field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{path}: cannot be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise CodebookError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg})") from exc
    topics = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, list) or not topics:
        raise CodebookError(f"{path}: needs a non-empty list 'topics'")
    for i, topic in enumerate(topics):
        where = f"{path}: topics[{i}]"
        if not isinstance(topic, dict) or not str(topic.get("name", "")).strip():
            raise CodebookError(f"{where}: needs a 'name'")
        positions = topic.get("positions")
        if not isinstance(positions, list) or not positions:
            raise CodebookError(f"{where} ({topic['name']}): needs a non-empty list 'positions'")
        keys = set()
        for j, pos in enumerate(positions):
            pw = f"{where}.positions[{j}]"
            if not isinstance(pos, dict) or not str(pos.get("label", "")).strip():
                raise CodebookError(f"{pw}: needs a 'label'")
            key = pos.get("hotkey")
            if key is not None and (not isinstance(key, str) or len(key) != 1 or key in keys):
                raise CodebookError(f"{pw}: 'hotkey' must be one character, unique in the topic")
            keys.add(key)
            if pos.get("colour") is not None and not COLOUR.match(str(pos["colour"])):
                raise CodebookError(f"{pw}: 'colour' must look like #1b9e77")
            order = pos.get("order")
            if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
                raise CodebookError(f"{pw}: 'order' must be a whole number (its place in the "
                                    f"list), not {json.dumps(order)}")
            value = pos.get("value")
            if value is not None and (isinstance(value, bool) or
                                      not isinstance(value, (int, float))):
                raise CodebookError(f"{pw}: 'value' must be a number (e.g. -1, 0, 1)")
    return topics


def load_codebook(db: Database, path: str | Path, *, actor: str = "system") -> int:
    """Add the topics and positions of a codebook file (existing ones are kept); return count."""
    topics = read_codebook(path)
    added = 0
    with db.atomic():
        for t_order, topic in enumerate(topics):
            db.execute('INSERT OR IGNORE INTO topics(name, description, "order") VALUES (?, ?, ?)',
                       [topic["name"].strip(), topic.get("description", ""), t_order])
            topic_id = db.execute("SELECT id FROM topics WHERE name = ?",
                                  [topic["name"].strip()]).fetchone()[0]
            for p_order, pos in enumerate(topic["positions"]):
                cur = db.execute(
                    'INSERT OR IGNORE INTO positions(topic_id, label, hotkey, colour, "order", '
                    "value) VALUES (?, ?, ?, ?, ?, ?)",
                    [topic_id, pos["label"].strip(), pos.get("hotkey"), pos.get("colour"),
                     pos.get("order", p_order), pos.get("value")])
                added += cur.rowcount
        log_event(db, actor=actor, action="load_codebook", target="codebook",
                  after={"path": str(path), "positions_added": added})
    return added


def codebook(db: Database) -> list[dict]:
    """Topics in order, each with its positions in order."""
    topics = [dict(t, positions=[]) for t in db.query(
        'SELECT id, name, description FROM topics ORDER BY "order", id')]
    by_id = {t["id"]: t for t in topics}
    for p in db.query('SELECT id, topic_id, label, hotkey, colour, value FROM positions '
                      'ORDER BY "order", id'):
        by_id[p.pop("topic_id")]["positions"].append(p)
    return topics
