"""Field checks for imported data: names as text, whole numbers, choices, text SQLite can take.

A ``Fields`` collects what it had to change or drop, each naming the field (``topics[0].order``,
``quotes[2].speaker.name``); the caller reports them with the file (and line).
"""
from __future__ import annotations

import json
import math
import re

SURROGATE = re.compile("[\ud800-\udfff]")


def as_text(value) -> str:
    """A scalar as text (``12`` -> ``"12"``); a list or object as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def shown(value, limit: int = 40) -> str:
    """A value as it would be written in JSON, cut to ``limit`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def bad_string(text: str) -> str | None:
    """Why SQLite cannot store ``text`` as it is (a lone surrogate), or None."""
    match = SURROGATE.search(text)
    if match:
        return f"contains a lone surrogate ({shown(match.group())[1:-1]}), which is not text"
    return None


def find_bad_string(data, path: str = "") -> str | None:
    """The first string (value or key) in ``data`` that SQLite cannot store: 'field' and why."""
    stack = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            why = bad_string(value)
            if why:
                return f"'{where}' {why}" if where else why
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                why = bad_string(key)
                if why:
                    return f"a key {why}"
                stack.append((item, f"{where}.{key}" if where else key))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]") for i, item in reversed(list(enumerate(value))))
    return None


def depth(data, limit: int) -> int:
    """How deeply ``data`` nests lists and objects, counted up to ``limit + 1``."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, (list, dict)):
            deepest = max(deepest, level)
            if level > limit:
                return level
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, level + 1) for item in items if isinstance(item, (list, dict)))
    return deepest


class Fields:
    """Checks fields one by one; ``problems`` lists (field, why) for what was changed or lost."""

    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def note(self, field: str, why: str) -> None:
        self.problems.append((field, why))

    def name(self, value, field: str) -> str | None:
        """Text (``None`` when empty or missing); a number becomes its text (noted)."""
        if value is None:
            return None
        if isinstance(value, str):
            why = bad_string(value)
            if why:
                self.note(field, f"{why}; not kept")
                return None
            return value if value.strip() else None
        if is_number(value) and math.isfinite(value):
            self.note(field, f"a number ({shown(value)}), kept as the text {as_text(value)!r}")
            return as_text(value)
        self.note(field, f"must be text, not {shown(value)}; not kept")
        return None

    def whole(self, value, field: str, default: int) -> int:
        """A whole number; anything else is noted and ``default`` (its place) used."""
        if is_whole(value) and -2**63 <= value < 2**63:
            return value
        if value is not None:
            self.note(field, f"must be a whole number (its place in the list), not "
                             f"{shown(value)}; its place in the list ({default}) is used")
        return default

    def number(self, value, field: str) -> int | float | None:
        if value is None or (is_number(value) and math.isfinite(value)
                             and abs(value) < 2**63):
            return value
        self.note(field, f"must be a number, not {shown(value)}; not kept")
        return None

    def choice(self, value, field: str, choices, default):
        if value is None or value == "":
            return default
        if value in choices:
            return value
        self.note(field, f"must be one of {', '.join(choices)}, not {shown(value)}; "
                         f"{default or 'the default'} is used")
        return default

    def unknown(self, data: dict, known, field: str) -> None:
        """Note every key of ``data`` that is not in ``known`` (it cannot be kept)."""
        for key in data:
            if key not in known:
                self.note(f"{field}.{key}" if field else key,
                          f"unknown field ({shown(data[key])}); not kept")
