"""Merge another analyst's project file into this one: plan first, then one transaction.

Matching (``plan_merge`` reads the other file, writes nothing):

- articles by text hash (the article's id across projects); a new article comes with its
  entities, an existing one keeps its text and entities (analysts' own entities are added);
- layers by name (a layer whose kind differs is a conflict, and its work is left out);
- speakers: the same name, role, organisation and kind is the same speaker; else one speaker
  here whose name or alias is the other's name or an alias, with no contradicting role or
  organisation (empty matches anything). Two candidates, or a contradiction, is a *conflict*:
  the speaker comes in as a new speaker, listed, to be merged by hand (never combined
  silently). A matched speaker gains the other's aliases that name nobody here, and the
  other's notes when it has none (different notes of its own are kept, a conflict listed);
- codebook: topics by name, positions by topic and label (a different value is a conflict:
  ours is kept);
- quotes by uuid (one already here is left as it is); article statuses per article and layer
  (the later change wins); comments by article, quote, author, time and text.

``apply_merge`` redoes the plan inside its transaction and writes everything in it: a failure
half way leaves the project as it was, and merging the same file twice changes nothing.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlite_utils import Database

from annotator.store.migrations import known
from annotator.review.merge_apply import has_column
from annotator.store.db import APPLICATION_ID, log_event, now
from annotator.tasks import Cancelled, Task, ensure


class MergeError(Exception):
    """The other file cannot be merged (not a project, newer version, same file)."""


@dataclass
class MergePlan:
    """What a merge would do: counts, the mappings, and the conflicts to settle by hand."""
    other: Path
    articles_new: list = field(default_factory=list)      # other article ids to copy
    articles: dict = field(default_factory=dict)          # other article id -> ours (existing)
    layers: dict = field(default_factory=dict)            # other layer id -> ours or None (new)
    layer_rows: dict = field(default_factory=dict)        # other layer id -> (name, kind)
    speakers: dict = field(default_factory=dict)          # other speaker id -> ours or None
    speaker_rows: dict = field(default_factory=dict)      # other id -> (name, role, org, kind)
    aliases_new: list = field(default_factory=list)       # (other speaker id, alias)
    speaker_notes: dict = field(default_factory=dict)     # other speaker id -> its notes
    notes_new: list = field(default_factory=list)         # (our speaker id, notes) to fill
    topics_new: list = field(default_factory=list)
    positions_new: list = field(default_factory=list)     # (topic name, label)
    quotes_new: int = 0
    quotes_present: int = 0
    statuses: int = 0
    comments_new: int = 0
    entities_new: int = 0
    conflicts: list = field(default_factory=list)
    cancelled: bool = False   # apply_merge was cancelled: nothing was merged

    def counts(self) -> dict:
        return {"articles_new": len(self.articles_new), "articles_matched": len(self.articles),
                "layers_new": sum(v is None for v in self.layers.values()),
                "speakers_new": sum(v is None for v in self.speakers.values()),
                "speakers_matched": sum(isinstance(v, int) for v in self.speakers.values()),
                "aliases_new": len(self.aliases_new), "notes_new": len(self.notes_new),
                "topics_new": len(self.topics_new),
                "positions_new": len(self.positions_new), "quotes_new": self.quotes_new,
                "quotes_already_here": self.quotes_present, "statuses": self.statuses,
                "comments_new": self.comments_new, "entities_new": self.entities_new,
                "conflicts": len(self.conflicts)}

    @property
    def changes(self) -> int:
        """Rows the merge would write (0: nothing to do)."""
        c = self.counts()
        return sum(v for k, v in c.items() if k not in ("articles_matched", "speakers_matched",
                                                        "quotes_already_here", "conflicts"))

    def summary(self) -> str:
        c = self.counts()
        new_layers = [n for i, (n, _k) in self.layer_rows.items() if self.layers.get(i) is None]
        lines = [f"merge {self.other}:",
                 f"  articles: {c['articles_new']} new, {c['articles_matched']} already here",
                 f"  layers: {c['layers_new']} new ({', '.join(new_layers) or '-'})",
                 f"  speakers: {c['speakers_new']} new, {c['speakers_matched']} matched, "
                 f"{c['aliases_new']} alias(es) added, {c['notes_new']} speaker(s)' notes "
                 f"filled in",
                 f"  codebook: {c['topics_new']} topic(s), {c['positions_new']} position(s) new",
                 f"  quotes: {c['quotes_new']} new, {c['quotes_already_here']} already here",
                 f"  article statuses: {c['statuses']}, comments: {c['comments_new']}, "
                 f"entities: {c['entities_new']}",
                 f"  conflicts: {c['conflicts']}"]
        lines += [f"    - {text}" for text in self.conflicts]
        if not self.changes:
            lines.append("  nothing to merge: the project already holds all of it")
        return "\n".join(lines)


def open_other(path) -> sqlite3.Connection:
    """The other project, read-only; MergeError when it is not a project we can read."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise MergeError(f"{path}: no such project file")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        applied = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'quotebook'")]
    except sqlite3.DatabaseError as exc:
        raise MergeError(f"{path}: not a Quotebook project ({exc})") from exc
    if app_id != APPLICATION_ID or not applied:
        conn.close()
        raise MergeError(f"{path}: not a Quotebook project")
    if set(applied) - set(known()):
        conn.close()
        raise MergeError(f"{path}: written by a newer version of Quotebook; update to merge it")
    return conn


def _speaker_index(db: Database) -> tuple[dict, dict, dict]:
    """Our current speakers: by exact fields, by lower-cased name or alias, and their rows."""
    exact, names, rows = {}, {}, {}
    for r in db.query("SELECT id, name, role, organisation, kind FROM speakers "
                      "WHERE merged_into IS NULL ORDER BY id"):
        rows[r["id"]] = r
        exact.setdefault((r["name"], r["role"] or "", r["organisation"] or "", r["kind"]),
                         r["id"])
        names.setdefault(r["name"].lower(), set()).add(r["id"])
    for sid, alias in db.execute("SELECT a.speaker_id, a.alias FROM speaker_aliases a JOIN "
                                 "speakers s ON s.id = a.speaker_id WHERE s.merged_into IS NULL"):
        names.setdefault(alias.lower(), set()).add(sid)
    return exact, names, rows


def _compatible(a, b) -> bool:
    return not a or not b or a.strip().lower() == b.strip().lower()


def _plan_speakers(db: Database, other, plan: MergePlan) -> None:
    exact, names, rows = _speaker_index(db)
    aliases: dict = {}
    for sid, alias in other.execute("SELECT speaker_id, alias FROM speaker_aliases"):
        aliases.setdefault(sid, []).append(alias)
    merged = {}
    claimed: dict = {}  # our speakers matched by name or alias (not exactly) -> matched once
    notes = "notes" if has_column(other, "speakers", "notes") else "NULL"
    for sid, name, role, org, kind, into, said in other.execute(
            f"SELECT id, name, role, organisation, kind, merged_into, {notes} FROM speakers "
            "ORDER BY id"):
        if into is not None:
            merged[sid] = into
            continue
        plan.speaker_rows[sid] = (name, role, org, kind)
        if said and said.strip():
            plan.speaker_notes[sid] = said
        own = aliases.get(sid, [])
        found = exact.get((name, role or "", org or "", kind))
        if found is None:
            cands = set().union(*(names.get(n.lower(), set()) for n in [name, *own]))
            described = ", ".join(f"{rows[c]['name']} ({rows[c]['role'] or '-'}, "
                                  f"{rows[c]['organisation'] or '-'})" for c in sorted(cands))
            fits = [c for c in cands if _compatible(role, rows[c]["role"]) and
                    _compatible(org, rows[c]["organisation"]) and kind == rows[c]["kind"]]
            if len(cands) > 1:
                plan.conflicts.append(f"speaker {name!r}: its name or aliases name several "
                                      f"speakers here ({described}); added as a new speaker")
            elif fits and fits[0] in claimed:  # two speakers there, one here: keep them apart
                plan.conflicts.append(
                    f"speaker {name!r} ({role or '-'}, {org or '-'}) and {claimed[fits[0]]!r} "
                    f"there both match {described} here; added as a new speaker")
            elif fits:
                found = fits[0]
                claimed[found] = name
            elif cands:
                plan.conflicts.append(
                    f"speaker {name!r} ({role or '-'}, {org or '-'}, {kind}) differs from "
                    f"{described} here; added as a new speaker")
        plan.speakers[sid] = found
        if found is not None and sid in plan.speaker_notes:
            _plan_notes(db, plan, found, name, plan.speaker_notes[sid])
        for alias in [name, *own]:
            owners = names.get(alias.lower(), set())
            if found is not None and not owners:
                plan.aliases_new.append((sid, alias))
            elif found is not None and owners - {found} and alias != name:
                plan.conflicts.append(f"alias {alias!r} of {name!r} names another speaker here;"
                                      f" not added")
    for sid, into in merged.items():          # merged speakers follow their root
        while into in merged:
            into = merged[into]
        plan.speakers[sid] = ("root", into)


def _plan_notes(db: Database, plan: MergePlan, found: int, name: str, said: str) -> None:
    """The other's notes of a matched speaker: filled in when ours has none; different notes
    of ours are kept and listed as a conflict."""
    (here,) = db.execute("SELECT notes FROM speakers WHERE id = ?", [found]).fetchone()
    here = next((n for sid, n in plan.notes_new if sid == found), here)
    if not (here or "").strip():
        plan.notes_new.append((found, said))
    elif here.strip() != said.strip():
        plan.conflicts.append(f"speaker {name!r}: its notes there differ from ours; ours kept")


def _plan_codebook(db: Database, other, plan: MergePlan) -> None:
    topics = {name for (name,) in db.execute("SELECT name FROM topics")}
    ours = {(t, label): value for t, label, value in db.execute(
        "SELECT t.name, p.label, p.value FROM positions p JOIN topics t ON t.id = p.topic_id")}
    value = "p.value" if has_column(other, "positions", "value") else "NULL"
    for (name,) in other.execute('SELECT name FROM topics ORDER BY "order", id'):
        if name not in topics:
            plan.topics_new.append(name)
    for t, label, v in other.execute(f"SELECT t.name, p.label, {value} FROM positions p JOIN "
                                     "topics t ON t.id = p.topic_id ORDER BY t.id, p.\"order\""):
        if (t, label) not in ours:
            plan.positions_new.append((t, label))
        elif ours[(t, label)] != v:
            plan.conflicts.append(f"position {t}: {label}: value {v} there, {ours[(t, label)]} "
                                  f"here; ours kept")


def plan_merge(db: Database, other_path) -> MergePlan:
    """What merging ``other_path`` into ``db`` would do (reads only)."""
    other = open_other(other_path)
    try:
        return _plan(db, other, Path(other_path))
    finally:
        other.close()


def _plan(db: Database, other, path: Path) -> MergePlan:
    main = db.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()[0]
    if main and Path(main).resolve() == path.resolve():
        raise MergeError(f"{path}: is this project itself")
    plan = MergePlan(other=path)
    ours = dict(db.execute("SELECT name, id FROM layers").fetchall())
    kinds = dict(db.execute("SELECT name, kind FROM layers").fetchall())
    for lid, name, kind in other.execute("SELECT id, name, kind FROM layers ORDER BY id"):
        plan.layer_rows[lid] = (name, kind)
        if name in ours and kinds[name] != kind:
            plan.conflicts.append(f"layer {name!r} is {kind} there and {kinds[name]} here; "
                                  f"its quotes and statuses are left out")
            plan.layer_rows[lid] = (name, None)
        plan.layers[lid] = ours.get(name)
    here = dict(db.execute("SELECT hash, id FROM articles").fetchall())
    for aid, h in other.execute("SELECT id, hash FROM articles ORDER BY id"):
        if h in here:
            plan.articles[aid] = here[h]
        else:
            plan.articles_new.append(aid)
    _plan_speakers(db, other, plan)
    _plan_codebook(db, other, plan)
    usable = [lid for lid, (_n, k) in plan.layer_rows.items() if k is not None]
    mine = {u for (u,) in db.execute("SELECT uuid FROM quotes")}
    for (u,) in other.execute(f"SELECT uuid FROM quotes WHERE layer_id IN "
                              f"({','.join(map(str, usable)) or 'NULL'})"):
        if u in mine:
            plan.quotes_present += 1
        else:
            plan.quotes_new += 1
    from annotator.review.merge_apply import count_statuses_comments_entities
    count_statuses_comments_entities(db, other, plan)
    return plan


def apply_merge(db: Database, plan: MergePlan, *, actor: str = "merge",
                task: Task | None = None) -> MergePlan:
    """Merge ``plan.other`` into ``db`` in one transaction; return the plan it carried out
    (made again inside the transaction, so it holds even if the project changed since).

    A long job (``annotator.tasks``): progress in steps of the merge; the merge is one unit,
    so a cancel rolls it all back and returns ``plan`` with ``cancelled=True``.
    """
    from annotator.review.merge_apply import STEPS, write
    task = ensure(task)
    other = open_other(plan.other)
    try:
        with db.atomic():
            task.progress(0, STEPS, "plan")
            fresh = _plan(db, other, plan.other)
            if fresh.changes:
                write(db, other, fresh, task)
                log_event(db, actor=actor, action="merge", target=f"file:{plan.other}",
                          after=dict(fresh.counts(), at=now()))
    except Cancelled:
        return replace(plan, cancelled=True)
    finally:
        other.close()
    task.progress(STEPS, STEPS, "done")
    return fresh
