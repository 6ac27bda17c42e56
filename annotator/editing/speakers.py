"""The project's speaker registry: canonical speakers and their aliases."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlite_utils import Database

from annotator.editing.names import same_person_spelling
from annotator.store.db import log_event, now
from annotator.vocab import SPEAKER_KINDS


def find_speaker(db: Database, name: str) -> int | None:
    """The id of the speaker whose canonical name or an alias is ``name`` (case-insensitive)."""
    row = db.execute(
        "SELECT id FROM speakers WHERE name = ? COLLATE NOCASE AND merged_into IS NULL "
        "UNION SELECT s.id FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
        "WHERE a.alias = ? COLLATE NOCASE AND s.merged_into IS NULL LIMIT 1",
        [name, name]).fetchone()
    return row[0] if row else None


def insert_speaker(db: Database, name: str, *, role: str | None = None,
                   organisation: str | None = None, kind: str = "person", aliases=(),
                   created: str | None = None, notes: str | None = None) -> int:
    """Insert a speaker and its aliases inside the caller's transaction (the one place that
    writes a speaker row); return its id."""
    speaker_id = db.execute("INSERT INTO speakers(name, role, organisation, kind, notes, "
                            "created) VALUES (?, ?, ?, ?, ?, ?)",
                            [name, role, organisation, kind, notes or None,
                             created or now()]).lastrowid
    for alias in aliases:
        db.execute("INSERT OR IGNORE INTO speaker_aliases(speaker_id, alias) VALUES (?, ?)",
                   [speaker_id, alias])
    return speaker_id


def add_speaker(db: Database, name: str, *, role: str | None = None,
                organisation: str | None = None, kind: str = "person",
                aliases: tuple[str, ...] = (), actor: str = "system",
                notes: str | None = None) -> int:
    """Create a speaker (one transaction, logged) and return its id."""
    name = name.strip()
    if not name:
        raise ValueError("a speaker needs a name")
    if kind not in SPEAKER_KINDS:
        raise ValueError(f"speaker kind must be one of {', '.join(SPEAKER_KINDS)}, not {kind!r}")
    with db.atomic():
        speaker_id = insert_speaker(db, name, role=role, organisation=organisation, kind=kind,
                                    aliases=aliases, notes=notes)
        log_event(db, actor=actor, action="add_speaker", target=f"speaker:{speaker_id}",
                  after={"name": name, "role": role, "organisation": organisation,
                         "kind": kind, "aliases": list(aliases), "notes": notes or None})
    return speaker_id


# -- resolution: a typed or clicked name to the registry's speaker --------------------------

SPEAKER_SQL = ("SELECT id, name, role, organisation, kind FROM speakers "
               "WHERE merged_into IS NULL")


def _speakers(db: Database, where: str, params, limit: int = -1) -> list[dict]:
    return [dict(zip(("id", "name", "role", "organisation", "kind"), r)) for r in db.execute(
        f"{SPEAKER_SQL} AND {where} ORDER BY name COLLATE NOCASE, id LIMIT ?",
        [*params, limit]).fetchall()]


def speaker_row(db: Database, speaker_id: int) -> dict | None:
    """A speaker (id, name, role, organisation, kind), or the one it was merged into."""
    for _ in range(32):  # a chain of merges, never a loop
        row = db.execute("SELECT merged_into FROM speakers WHERE id = ?", [speaker_id]).fetchone()
        if row is None:
            return None
        if row[0] is None:
            break
        speaker_id = row[0]
    rows = _speakers(db, "id = ?", [speaker_id])
    return rows[0] if rows else None


def by_surname(db: Database, surname: str, *, limit: int = 50) -> list[dict]:
    """Registered people whose name ends with the word ``surname`` (case-insensitive)."""
    return _speakers(db, "kind = 'person' AND name LIKE ?", [f"% {surname.strip()}"], limit)


def spelling_variants(db: Database, name: str, *, exclude_id: int | None = None) -> list[dict]:
    """Registered people whose name may be another spelling of ``name`` (``Sergei``/``Sergey
    Lavrov``; not ``George W.``/``George H.W. Bush`` nor ``Donald Trump``/``Donald Trump
    Jr.``)."""
    words = name.split()
    if len(words) < 2:
        return []
    rows = _speakers(db, "kind = 'person' AND id != ? AND name LIKE ?",
                     [-1 if exclude_id is None else exclude_id, f"%{words[-1].rstrip('.')}%"])
    return [r for r in rows if same_person_spelling(name, r["name"])]


@dataclass
class Resolution:
    """What a name means in the registry: one ``speaker`` (how: ``exact``, ``alias``,
    ``surname``, ``spelling``), several ``candidates`` (never picked silently), or nothing.
    ``name`` is the name looked up (the article's full name for a surname)."""
    name: str
    speaker: dict | None = None
    how: str = ""
    candidates: list[dict] = field(default_factory=list)


SPACES = re.compile(r"\s+")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def clean_name(name: str | None) -> str:
    """A name as typed or clicked: spaces collapsed, a possessive dropped."""
    name = SPACES.sub(" ", name or "").strip()
    return POSSESSIVE.sub("", name).strip(" ,.;:") if name else ""


def full_names(name: str, article_names) -> list[str]:
    """The article's longer names that end with ``name``, longest first (``Pompeo`` → ``Mike
    Pompeo``, the suggestions' surname rule)."""
    low = name.lower()
    found = {clean_name(c) for c in article_names or ()}
    return sorted((c for c in found if c.lower().endswith(" " + low)),
                  key=lambda c: (-len(c.split()), c))


def resolve_speaker(db: Database, name: str | None, *, article_names=()) -> Resolution:
    """The registered speaker a name stands for: the article's full name for a surname
    (``article_names``), then the registry: a name or alias (case-insensitive), a surname
    that one registered person has, another spelling of one registered person's name.
    Two or more possible speakers are ``candidates``: no silent pick."""
    name = clean_name(name)
    fulls = full_names(name, article_names) if name else []
    # a registered full name of the article (a title before it is no other person), else
    # the longest one
    name = next((n for n in fulls if find_speaker(db, n) is not None), fulls[0] if fulls
                else name)
    out = Resolution(name=name)
    if not name:
        return out
    sid = find_speaker(db, name)
    if sid is not None:
        out.speaker = speaker_row(db, sid)
        out.how = "exact" if out.speaker["name"].lower() == name.lower() else "alias"
        return out
    found, how = (by_surname(db, name), "surname") if " " not in name else \
        (spelling_variants(db, name), "spelling")
    if len(found) == 1:
        out.speaker, out.how = found[0], how
    else:
        out.candidates = found
    return out


def describe(speaker: dict) -> str:
    """``Mike Pompeo — Secretary of State, United States`` (to tell two people apart)."""
    extra = ", ".join(v for v in (speaker.get("role"), speaker.get("organisation")) if v)
    return f"{speaker['name']} — {extra}" if extra else speaker["name"]


NEW_SPEAKER = "New speaker: "


def _alias_starts(db: Database, choice: dict, pattern) -> bool:
    return any(pattern.search(a) for (a,) in db.execute(
        "SELECT alias FROM speaker_aliases WHERE speaker_id = ?", [choice["speaker_id"]]))


def speaker_choices(db: Database, typed: str | None, *, article_names=(),
                    limit: int = 12) -> list[dict]:
    """The speaker field's completion for what is typed: the registered speakers it resolves
    to, those whose name or alias contains it, names of the article not registered yet (as
    new speakers), and ``New speaker: typed`` unless the name is registered. Each choice:
    ``name`` (the value set), ``label`` (what the list shows), ``speaker_id`` (None: new);
    the first has ``default`` when it is the one registered speaker meant (Enter takes it)."""
    typed = clean_name(typed)
    if not typed:
        return []
    res = resolve_speaker(db, typed, article_names=article_names)
    like = f"%{typed}%"
    rows = ([res.speaker] if res.speaker else []) + res.candidates + _speakers(
        db, "(name LIKE ? OR id IN (SELECT speaker_id FROM speaker_aliases WHERE alias LIKE ?))",
        [like, like], limit)
    out, seen = [], set()
    for r in rows:
        if r["id"] not in seen and len(out) < limit:
            seen.add(r["id"])
            out.append({"name": r["name"], "label": describe(r), "speaker_id": r["id"]})
    # the one registered speaker meant is the default (highlighted: Enter takes it): the
    # name resolved, else the only registered name or alias with a word starting so
    starts = re.compile(r"(?:^|\s)" + re.escape(typed), re.IGNORECASE)
    if res.speaker is not None:
        out[0]["default"] = True
    elif not res.candidates:
        hits = [c for c in out if starts.search(c["name"]) or _alias_starts(db, c, starts)]
        if len(hits) == 1:
            out.remove(hits[0])
            out.insert(0, dict(hits[0], default=True))
    names = {c["name"].lower() for c in out}
    exact = res.how in ("exact", "alias")
    for cand in [clean_name(n) for n in article_names or ()]:
        if typed.lower() in cand.lower() and cand.lower() not in names and \
                find_speaker(db, cand) is None and len(out) < limit:
            names.add(cand.lower())
            out.append({"name": cand, "label": f"{NEW_SPEAKER}{cand} (in this article)",
                        "speaker_id": None})
    if not exact and typed.lower() not in names:
        out.append({"name": typed, "label": f"{NEW_SPEAKER}{typed}", "speaker_id": None})
    return out


def article_names(db: Database, article_id: int) -> list[str]:
    """The people and organisations the article names: its PERSON and ORG entities, then the
    canonical speakers of its quotes (the suggestions' ``Mike Pompeo`` for ``Pompeo``)."""
    text = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    names = [text[0][s:e] for s, e in db.execute(
        'SELECT start, "end" FROM entities WHERE article_id = ? AND removed = 0 AND label IN '
        "('PERSON', 'ORG') ORDER BY start", [article_id])] if text else []
    names += [r[0] for r in db.execute(
        "SELECT DISTINCT s.name FROM quotes q JOIN speakers s ON s.id = q.speaker_id "
        "WHERE q.article_id = ? AND q.status != 'rejected' AND s.merged_into IS NULL",
        [article_id])]
    return list(dict.fromkeys(clean_name(n) for n in names if clean_name(n)))


def resolve_mention(db: Database, article_id: int, start: int, end: int) -> Resolution:
    """The speaker a mention in the text stands for, as the suggestions resolve it: the
    canonical speaker a quote of the article already gives this very mention, else the
    article's full name for it (``Pompeo`` → ``Mike Pompeo``), then the registry
    (``resolve_speaker``)."""
    row = db.execute(
        "SELECT speaker_id FROM quotes WHERE article_id = ? AND speaker_start = ? AND "
        "speaker_end = ? AND speaker_id IS NOT NULL AND status != 'rejected' "
        "ORDER BY layer_id LIMIT 1", [article_id, start, end]).fetchone()
    speaker = speaker_row(db, row[0]) if row else None
    if speaker is not None:
        return Resolution(name=speaker["name"], speaker=speaker, how="article")
    text = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    mention = text[0][start:end] if text else ""
    return resolve_speaker(db, mention, article_names=article_names(db, article_id))
