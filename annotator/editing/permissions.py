"""Who may write which layer.

- An analyst's layer is written by that analyst only (the actor's name is the layer's name).
- The ``gold`` layer (any layer of kind ``gold``) is written by reviewers: the names in the
  project setting ``reviewers`` (a JSON list; ``python main.py config reviewers "ana,ben"``).
  While no reviewer is named, every analyst may review (a project of one or two people needs
  no setup); naming reviewers closes the gold layer to everyone else.
- The ``suggestions`` layer is written by the machine only (actors in ``SYSTEM_ACTORS``).
- System actors (import, merge, analysis) may write any layer: they restore or bring in work
  that others did.

Commands call ``check_write`` before they change a layer; the GUI may call ``can_write`` to
grey out actions.
"""
from __future__ import annotations

import json

from sqlite_utils import Database

from annotator.store.db import get_setting, set_setting

REVIEWERS = "reviewers"
SYSTEM_ACTORS = frozenset({"system", "import", "merge", "analysis", "suggestions", "seed"})


def reviewers(db: Database) -> list[str]:
    """The names allowed to write the gold layer ([] = anyone)."""
    raw = get_setting(db, REVIEWERS)
    try:
        names = json.loads(raw) if raw else []
    except json.JSONDecodeError:
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


def set_reviewers(db: Database, names) -> None:
    """Name the reviewers (an empty list opens the gold layer to every analyst again)."""
    names = [n.strip() for n in names if n and n.strip()]
    set_setting(db, REVIEWERS, json.dumps(names, ensure_ascii=False) if names else None)


def is_reviewer(db: Database, actor: str) -> bool:
    names = reviewers(db)
    return not names or actor in names or actor in SYSTEM_ACTORS


def _layer(db: Database, layer_id: int) -> tuple[str, str]:
    row = db.execute("SELECT name, kind FROM layers WHERE id = ?", [layer_id]).fetchone()
    if row is None:
        raise ValueError(f"no layer {layer_id}")
    return row


def can_write(db: Database, actor: str, layer_id: int) -> bool:
    """Whether ``actor`` may change quotes, statuses or entities of the layer."""
    name, kind = _layer(db, layer_id)
    if actor in SYSTEM_ACTORS:
        return True
    if kind == "gold":
        return is_reviewer(db, actor)
    if kind == "suggestions":
        return False
    return actor == name


def check_write(db: Database, actor: str, layer_id: int) -> None:
    """Raise ``PermissionError`` with a message for the user unless ``can_write``."""
    if can_write(db, actor, layer_id):
        return
    name, kind = _layer(db, layer_id)
    if kind == "gold":
        raise PermissionError(f"{actor} is not a reviewer: only {', '.join(reviewers(db))} "
                              f"may change the gold layer '{name}'")
    if kind == "suggestions":
        raise PermissionError(f"the suggestions layer '{name}' is written by the analysis only")
    raise PermissionError(f"{actor} cannot change {name}'s layer: an analyst changes only "
                          f"their own layer")


def visible_layers(db: Database, actor: str, *, blind: bool = False) -> list[dict]:
    """The layers ``actor`` may show beside their own (id, name, kind, mine), in the order
    own, other analysts, gold, suggestions. Blind mode (coding without seeing the others)
    hides the other analysts' layers and gold, which is made of them; reviewers are never
    blind (they compare)."""
    order = {"analyst": 1, "gold": 2, "suggestions": 3}
    rows = db.execute("SELECT id, name, kind FROM layers").fetchall()
    blind = blind and not (reviewers(db) and actor in reviewers(db))
    out = []
    for lid, name, kind in rows:
        mine = kind == "analyst" and name == actor
        if blind and not mine and kind in ("analyst", "gold"):
            continue
        out.append({"id": lid, "name": name, "kind": kind, "mine": mine})
    return sorted(out, key=lambda r: (not r["mine"], order[r["kind"]], r["name"]))
