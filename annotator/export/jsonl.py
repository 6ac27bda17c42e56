"""The native JSONL export: one article a line, with entities and quotes (a contract).

Beside ``NAME.jsonl`` the export writes ``NAME.registry.json`` (the codebook, the speaker
registry and the layers; see ``registry_file``), so importing the pair into a new project gives
back the same articles, speakers, codebook and annotations.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from sqlite_utils import Database

from annotator.export.files import atomic_file, file_mode
from annotator.selection import ResolvedSelection, Selection
from annotator.tasks import Task, ensure

QUOTE_SQL = """
SELECT q.id, q.uuid, q.article_id, q.kind, q.speaker_start, q.speaker_end, q.cue_start,
       q.cue_end, q.status, q.confidence, q.note, q.created, q.updated, l.name,
       s.id, s.name, s.role, s.organisation, t.name, p.label, s.kind, p.value
FROM quotes q JOIN layers l ON l.id = q.layer_id
LEFT JOIN speakers s ON s.id = q.speaker_id
LEFT JOIN topics t ON t.id = q.topic_id
LEFT JOIN positions p ON p.id = q.position_id
WHERE q.article_id IN ({ids}) AND {where}
ORDER BY q.article_id, q.start, q.id"""


def combine(filters: Selection | None, layer: str | None) -> Selection:
    """``filters`` with the single ``layer`` of the older keyword added."""
    filters = filters or Selection()
    if layer is not None and layer not in filters.layers:
        filters = replace(filters, layers=filters.layers + (layer,))
    return filters


def _span(text: str, start, end, **extra) -> dict | None:
    if start is None or end is None:
        return extra or None
    return {**extra, "start": start, "end": end, "text": text[start:end]}


def article_records(db: Database, *, layer: str | None = None,
                    filters: Selection | ResolvedSelection | None = None, chunk: int = 500,
                    extended: bool = False):
    """Yield the export record of every chosen article, in id order, ``chunk`` per query.

    ``extended`` adds ``article_id`` (the row id) to the record, and ``position_value`` and
    the speaker's ``kind`` to each quote, for the derived formats; the native shape is without.
    """
    rf = filters if isinstance(filters, ResolvedSelection) else combine(filters, layer).resolve(db)
    a_where, a_params = rf.article_where("a")
    q_where, e_where = rf.quote_where("q"), rf.entity_where("e")
    if not extended and not rf.layer_ids:  # the native export keeps analysts' entities too
        e_where = "e.removed = 0"
    last = 0
    while True:
        arts = db.execute(
            "SELECT a.id, a.hash, a.text, a.title, a.outlet, a.author, a.url, a.published, "
            f"a.filename, a.source, a.meta FROM articles a WHERE a.id > ? AND {a_where} "
            "ORDER BY a.id LIMIT ?", [last, *a_params, chunk]).fetchall()
        if not arts:
            return
        last = arts[-1][0]
        ids = ",".join(str(a[0]) for a in arts)
        ents: dict[int, list] = {}
        for aid, s, e, lab, owner in db.execute(  # by article: the layer index would scan
                f'SELECT e.article_id, e.start, e."end", e.label, l.name FROM entities e '
                f"INDEXED BY idx_entities_article LEFT JOIN layers l ON l.id = e.layer_id "
                f"WHERE e.article_id IN ({ids}) AND {e_where} "
                'ORDER BY e.article_id, e.start, e."end"'):
            ents.setdefault(aid, []).append((s, e, lab, owner))
        statuses: dict[int, dict] = {}
        for aid, name, status in db.execute(
                f"SELECT st.article_id, l.name, st.status FROM article_status st JOIN layers l "
                f"ON l.id = st.layer_id WHERE st.article_id IN ({ids}) ORDER BY l.name"):
            statuses.setdefault(aid, {})[name] = status
        quotes: dict[int, list] = {}
        rows = db.execute(QUOTE_SQL.format(ids=ids, where=q_where)).fetchall()
        frags: dict[int, list] = {}
        if rows:
            qids = ",".join(str(r[0]) for r in rows)
            for qid, s, e in db.execute(f'SELECT quote_id, start, "end" FROM quote_fragments '
                                        f"WHERE quote_id IN ({qids}) ORDER BY quote_id, ord"):
                frags.setdefault(qid, []).append([s, e])
        for r in rows:
            quotes.setdefault(r[2], []).append(r)
        for aid, digest, text, title, outlet, author, url, published, filename, source, meta \
                in arts:
            extra = json.loads(meta or "{}")
            record_meta = {"title": title, "outlet": outlet, "author": author, "url": url,
                           "published": published, "filename": filename, "source": source}
            record_meta.update({k: v for k, v in extra.items() if k not in record_meta})
            record = {
                "id": digest,
                "text": text,
                "meta": record_meta,
                "entities": [dict({"start": s, "end": e, "label": lab, "text": text[s:e]},
                                  **({"layer": owner} if owner else {}))
                             for s, e, lab, owner in ents.get(aid, [])],
                "quotes": [_quote(text, q, frags.get(q[0], []), extended)
                           for q in quotes.get(aid, [])],
            }
            if aid in statuses:  # each layer's to do / in progress / done / skipped
                record["statuses"] = statuses[aid]
            if extended:
                record["article_id"] = aid
            yield record
        del arts, rows, quotes, frags, ents  # one chunk in memory at a time


def _quote(text: str, q, fragments: list, extended: bool = False) -> dict:
    (_, uid, _, kind, sp_s, sp_e, cue_s, cue_e, status, confidence, note, created, updated,
     layer, spk_id, spk_name, role, org, topic, position, spk_kind, value) = q
    speaker = None
    if spk_id is not None or sp_s is not None:
        speaker = {"id": spk_id, "name": spk_name if spk_id is not None else text[sp_s:sp_e],
                   "start": sp_s, "end": sp_e, "role": role, "organisation": org}
    if extended and speaker is not None:
        speaker["kind"] = spk_kind
    record = {
        "id": uid, "fragments": fragments,
        "start": fragments[0][0] if fragments else None,
        "end": fragments[-1][1] if fragments else None,
        "text": text[fragments[0][0]:fragments[-1][1]] if fragments else "",
        "kind": kind, "speaker": speaker, "cue": _span(text, cue_s, cue_e),
        "topic": topic, "position": position, "layer": layer, "status": status,
        "confidence": confidence, "note": note, "created": created, "updated": updated,
    }
    if extended:
        record["position_value"] = value
    return record


def _write_companions(companions: dict) -> list[tuple[str, Path]]:
    """Write each companion file to a temporary file beside it; return (temp, target) pairs."""
    done = []
    try:
        for target, text in companions.items():
            target = Path(target)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                       dir=target.parent or ".")
            done.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                os.fchmod(fh.fileno(), file_mode())
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        for tmp, _ in done:
            Path(tmp).unlink(missing_ok=True)
        raise
    return done


def write_atomically(out: str | Path, lines, *, total: int, task: Task | None = None,
                     encoding: str | None = "utf-8", companions: dict | None = None) -> int:
    """Write ``lines`` to a temporary file beside ``out`` and rename it into place.

    ``encoding=None`` writes ``lines`` that are bytes already, as they are.
    A failure or cancel leaves no partial file at ``out`` (and removes the temporary one).
    ``companions`` ({path: text}) are small files written the same way and renamed into place
    just before ``out``. Returns the number of lines written; raises ``ExportError``.
    """
    task = ensure(task)
    out = Path(out)
    count = 0
    side: list = []
    with atomic_file(out) as tmp:   # fsynced and renamed into place after the companions
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC)
            with (os.fdopen(fd, "wb") if encoding is None else  # lines already bytes
                  os.fdopen(fd, "w", encoding=encoding, newline="\n")) as fh:
                for line in lines:
                    fh.write(line)
                    count += 1
                    if count % 200 == 0:
                        task.progress(count, total, out.name)
                    task.check()
            side = _write_companions(companions or {})
            for side_tmp, target in side:
                os.replace(side_tmp, target)
        except BaseException:
            for path, _ in side:
                Path(path).unlink(missing_ok=True)
            raise
    task.progress(count, total, out.name)
    return count


def export_jsonl(db: Database, out: str | Path, *, layer: str | None = None,
                 filters: Selection | None = None, registry: bool = True,
                 task: Task | None = None) -> int:
    """Export the chosen articles (every one by default) to ``out``; return their count.

    With ``registry`` (the default), ``NAME.registry.json`` is written beside ``out``.
    """
    task = ensure(task)
    from annotator.corpus.sidecar import registry_json, registry_path
    rf = combine(filters, layer).resolve(db)  # a bad name fails before any file is touched
    total = rf.article_count()
    lines = (json.dumps(rec, ensure_ascii=False) + "\n"
             for rec in article_records(db, filters=rf))
    companions = {registry_path(out): registry_json(db)} if registry else None
    return write_atomically(out, lines, total=total, task=task,
                            companions=companions)
