"""Canonical speakers across the project: the suggestion's speaker as a registry row.

- A name (or alias) already in the registry is that speaker; a surname alone is the one
  registered person with that surname, when there is exactly one.
- A new name is added; when a registered person has the same surname and a first name spelt
  almost the same (``Sergei``/``Sergey``, ``Yevgeny``/``Evgeny``), the pair is written to
  ``speaker_merge_proposals`` for an analyst to settle: never merged, never silently split.
- A mention an analyst has tied to a speaker (an alias learnt from a correction, see
  ``annotator.editing.learning``, or one typed in the registry) is that speaker, before the
  name the rules gave: ``Sergey Lavrov`` once corrected to ``Sergei Lavrov`` stays so.
- Role and organisation fill the registry's empty fields.
- An unnamed role (``the Latvian foreign minister`` that the article does not name) is the one
  registered person whose stored role and organisation match, when there is exactly one.
"""
from __future__ import annotations

import json

from sqlite_utils import Database

from annotator.editing.names import name_parts, similar_first_names  # noqa: F401 (API)
from annotator.editing.learning import names_someone
from annotator.editing.speakers import (add_speaker, by_surname, clean_name, find_speaker,
                                        spelling_variants)
from annotator.nlp.suggest.roles import by_role_words, role_fits
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


def merge_candidates(db: Database, speaker_id: int, name: str) -> list[tuple[int, str]]:
    """Registered people whose name may be another spelling of ``name``: same surname, first
    names spelt alike, middle names that do not contradict each other."""
    return [(r["id"], r["name"]) for r in spelling_variants(db, name, exclude_id=speaker_id)]


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
    rows = by_surname(db, name, limit=2)
    return rows[0]["id"] if len(rows) == 1 else None


def by_role(db: Database, role: str | None, organisation: str | None) -> int | None:
    """The one registered person whose role (and organisation, when given) fits an unnamed
    role mention; None when there is none or more than one."""
    want = by_role_words(role, organisation)
    if want is None:
        return None
    rows = db.execute(
        "SELECT id, role, organisation FROM speakers WHERE kind = 'person' AND merged_into IS "
        "NULL AND role IS NOT NULL AND lower(role) LIKE ?", [f"%{want.head}%"]).fetchall()
    fits = [sid for sid, r, org in rows if role_fits(want, r, org) and
            (not want.organisation or org)]
    return fits[0] if len(fits) == 1 else None


def alias_speaker(db: Database, mention: str | None) -> int | None:
    """The one current speaker that has the mention's text as an alias (None: none, or two)."""
    mention = clean_name(mention)
    if not mention or not names_someone(mention):
        return None
    rows = db.execute(
        "SELECT DISTINCT s.id FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
        "WHERE a.alias = ? COLLATE NOCASE AND s.merged_into IS NULL LIMIT 2",
        [mention]).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def speaker_id_for(db: Database, name: str | None, *, kind: str = "person",
                   role: str | None = None, organisation: str | None = None,
                   cache: dict | None = None, mention: str | None = None) -> int | None:
    """The registry id of the canonical speaker ``name``, created when new (inside the
    caller's transaction); ``mention`` is the text the article names the speaker with (an
    alias of one speaker decides; then, for an unnamed role, the one registered person with
    that role). ``cache`` keeps only what later mentions cannot change (a name in the
    registry), so the result never depends on how mentions are grouped into batches."""
    name = (name or "").strip()
    if not name:
        return None
    sid = alias_speaker(db, mention) if mention else None
    if sid is None and kind == "unnamed" and role:
        sid = by_role(db, role, organisation)
    if sid is not None:
        return sid
    key = (name.lower(), kind)
    sid = cache.get(key) if cache is not None else None
    if sid is None:
        sid = find_speaker(db, name)
        if sid is None and kind == "person" and " " not in name:
            sid = _by_surname(db, name)  # not cached: a second person may share the surname
            if sid is not None:
                _fill(db, sid, role, organisation)
                return sid
        if sid is None:
            kind = kind if kind in SPEAKER_KINDS else "person"
            sid = add_speaker(db, name, role=role, organisation=organisation, kind=kind,
                              actor="suggestions")
            if kind == "person":
                propose_merges(db, sid, name)
        if cache is not None:
            cache[key] = sid
    _fill(db, sid, role, organisation)
    return sid


def _fill(db: Database, sid: int, role: str | None, organisation: str | None) -> None:
    """Fill the speaker's empty role and organisation from a mention (logged)."""
    if not (role or organisation):
        return
    cur = db.execute(
        "UPDATE speakers SET role = coalesce(role, ?), organisation = coalesce(organisation, "
        "?) WHERE id = ? AND ((role IS NULL AND ? IS NOT NULL) OR (organisation IS NULL AND "
        "? IS NOT NULL))", [role, organisation, sid, role, organisation])
    if cur.rowcount:
        log_event(db, actor="suggestions", action="fill_speaker", target=f"speaker:{sid}",
                  after={"role": role, "organisation": organisation})
