"""Canonical speakers across the project: the suggestion's speaker as a registry row.

- A name (or alias) already in the registry is that speaker; a surname alone is the one
  registered person with that surname, when there is exactly one.
- A new name is added; when a registered person has the same surname and a first name spelt
  almost the same (``Sergei``/``Sergey``, ``Yevgeny``/``Evgeny``), the pair is written to
  ``speaker_merge_proposals`` for an analyst to settle: never merged, never silently split.
- Role and organisation fill the registry's empty fields.
"""
from __future__ import annotations

import json
import unicodedata

from sqlite_utils import Database

from annotator.editing.speakers import add_speaker, find_speaker
from annotator.store.db import get_setting, log_event, now
from annotator.vocab import SPEAKER_KINDS

SETTING = "speech_verbs"


def speech_verbs_setting(db: Database) -> list[str]:
    """The project's extra speech-verb lemmas (``_settings.speech_verbs``, a JSON list)."""
    raw = get_setting(db, SETTING)
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw.split(",")
    return [str(v).strip().lower() for v in value if str(v).strip()]


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in word if not unicodedata.combining(c))


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def similar_first_names(a: str, b: str) -> bool:
    """Two spellings of one first name (not two different names)."""
    a, b = _fold(a).rstrip("."), _fold(b).rstrip(".")
    if a == b:
        return True
    if min(len(a), len(b)) < 3:
        return False
    return _distance(a, b) <= max(1, min(len(a), len(b)) // 3)


SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def name_parts(name: str) -> tuple[str, list[str], str, str] | None:
    """(first, middles, last, suffix) of a person's name (suffix: ``jr`` or ``""``); None when
    ``name`` does not look like a name (one word, a phrase in lower case, a comma)."""
    words = name.split()
    suffix = ""
    while words and words[-1].lower() in SUFFIXES:
        suffix = words.pop().lower().rstrip(".") + suffix
    if not 2 <= len(words) <= 4 or "," in name or not all(w[0].isupper() for w in words):
        return None
    return words[0], words[1:-1], words[-1], suffix


def _middles_agree(a: list[str], b: list[str]) -> bool:
    """``H.W.`` and ``W.`` are two people; a middle name on one side only is no evidence."""
    if not a or not b:
        return True
    x, y = _fold(a[0]).rstrip("."), _fold(b[0]).rstrip(".")
    return x.startswith(y) or y.startswith(x)


def merge_candidates(db: Database, speaker_id: int, name: str) -> list[tuple[int, str]]:
    """Registered people whose name may be another spelling of ``name``: same surname, first
    names spelt alike, middle names that do not contradict each other."""
    parts = name_parts(name)
    if parts is None:
        return []
    first, middles, last, suffix = parts
    out = []
    for sid, other in db.execute(
            "SELECT id, name FROM speakers WHERE kind = 'person' AND merged_into IS NULL "
            "AND id != ? AND name LIKE ?", [speaker_id, f"%{last}%"]).fetchall():
        theirs = name_parts(other)
        if theirs is None or other.lower() == name.lower() or _fold(theirs[2]) != _fold(last):
            continue
        if similar_first_names(theirs[0], first) and _middles_agree(theirs[1], middles) and \
                theirs[3] == suffix:       # Donald Trump is not Donald Trump Jr.
            out.append((sid, other))
    return out


def propose_merges(db: Database, speaker_id: int, name: str) -> int:
    """Write merge proposals for ``speaker_id``; return how many are new."""
    count = 0
    for other_id, other in merge_candidates(db, speaker_id, name):
        a, b = sorted((speaker_id, other_id))
        cur = db.execute(
            "INSERT OR IGNORE INTO speaker_merge_proposals(speaker_id, other_id, reason, created) "
            "VALUES (?, ?, ?, ?)", [a, b, f"'{name}' and '{other}': same surname, first names "
                                          f"spelt alike, middle names compatible", now()])
        if cur.rowcount:
            count += 1
            log_event(db, actor="suggestions", action="propose_merge",
                      target=f"speaker:{a}", after={"other": b, "names": [name, other]})
    return count


def merge_proposals(db: Database, status: str = "proposed") -> list[dict]:
    """The merge proposals with that status, each with both speakers' names."""
    rows = db.execute(
        "SELECT p.id, p.speaker_id, a.name, p.other_id, b.name, p.reason, p.status "
        "FROM speaker_merge_proposals p JOIN speakers a ON a.id = p.speaker_id "
        "JOIN speakers b ON b.id = p.other_id WHERE p.status = ? ORDER BY p.id",
        [status]).fetchall()
    return [dict(zip(("id", "speaker_id", "speaker", "other_id", "other", "reason", "status"),
                     r)) for r in rows]


def _by_surname(db: Database, name: str) -> int | None:
    rows = db.execute("SELECT id FROM speakers WHERE kind = 'person' AND merged_into IS NULL "
                      "AND name LIKE ? LIMIT 2", [f"% {name}"]).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def speaker_id_for(db: Database, name: str | None, *, kind: str = "person",
                   role: str | None = None, organisation: str | None = None,
                   cache: dict | None = None) -> int | None:
    """The registry id of the canonical speaker ``name``, created when new (inside the
    caller's transaction)."""
    name = (name or "").strip()
    if not name:
        return None
    key = (name.lower(), kind)
    if cache is not None and key in cache:
        return cache[key]
    sid = find_speaker(db, name)
    if sid is None and kind == "person" and " " not in name:
        sid = _by_surname(db, name)
    if sid is None:
        kind = kind if kind in SPEAKER_KINDS else "person"
        sid = add_speaker(db, name, role=role, organisation=organisation, kind=kind,
                          actor="suggestions")
        if kind == "person":
            propose_merges(db, sid, name)
    elif role or organisation:
        cur = db.execute(
            "UPDATE speakers SET role = coalesce(role, ?), organisation = coalesce(organisation, "
            "?) WHERE id = ? AND ((role IS NULL AND ? IS NOT NULL) OR (organisation IS NULL AND "
            "? IS NOT NULL))", [role, organisation, sid, role, organisation])
        if cur.rowcount:
            log_event(db, actor="suggestions", action="fill_speaker", target=f"speaker:{sid}",
                      after={"role": role, "organisation": organisation})
    if cache is not None:
        cache[key] = sid
    return sid
