"""The native JSONL export: one article a line, with entities and quotes (a contract)."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable

from sqlite_utils import Database

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

QUOTE_SQL = """
SELECT q.id, q.uuid, q.article_id, q.kind, q.speaker_start, q.speaker_end, q.cue_start,
       q.cue_end, q.status, q.confidence, q.note, q.created, q.updated, l.name,
       s.id, s.name, s.role, s.organisation, t.name, p.label
FROM quotes q JOIN layers l ON l.id = q.layer_id
LEFT JOIN speakers s ON s.id = q.speaker_id
LEFT JOIN topics t ON t.id = q.topic_id
LEFT JOIN positions p ON p.id = q.position_id
WHERE q.article_id IN ({ids}) {layer}
ORDER BY q.article_id, q.start, q.id"""


class ExportError(Exception):
    """An export that could not be written; nothing was left at the target path."""


def _layer_id(db: Database, layer: str | None) -> int | None:
    if layer is None:
        return None
    row = db.execute("SELECT id FROM layers WHERE name = ?", [layer]).fetchone()
    if row is None:
        names = [r[0] for r in db.execute("SELECT name FROM layers ORDER BY name")]
        raise ExportError(f"no layer '{layer}' in this project "
                          f"(layers: {', '.join(names) or 'none yet'})")
    return row[0]


def _span(text: str, start, end, **extra) -> dict | None:
    if start is None or end is None:
        return extra or None
    return {**extra, "start": start, "end": end, "text": text[start:end]}


def article_records(db: Database, *, layer: str | None = None, chunk: int = 500):
    """Yield the export record of every article, in id order, ``chunk`` articles per query."""
    layer_id = _layer_id(db, layer)
    layer_sql = "" if layer_id is None else f"AND q.layer_id = {int(layer_id)}"
    ent_layer = "layer_id IS NULL" if layer_id is None else \
        f"(layer_id IS NULL OR layer_id = {int(layer_id)})"
    last = 0
    while True:
        arts = db.execute(
            "SELECT id, hash, text, title, outlet, author, url, published, filename, source, "
            "meta FROM articles WHERE id > ? ORDER BY id LIMIT ?", [last, chunk]).fetchall()
        if not arts:
            return
        last = arts[-1][0]
        ids = ",".join(str(a[0]) for a in arts)
        ents: dict[int, list] = {}
        for aid, s, e, lab in db.execute(
                f'SELECT article_id, start, "end", label FROM entities WHERE article_id IN ({ids})'
                f" AND removed = 0 AND {ent_layer} ORDER BY article_id, start, \"end\""):
            ents.setdefault(aid, []).append((s, e, lab))
        quotes: dict[int, list] = {}
        rows = db.execute(QUOTE_SQL.format(ids=ids, layer=layer_sql)).fetchall()
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
            yield {
                "id": digest,
                "text": text,
                "meta": record_meta,
                "entities": [{"start": s, "end": e, "label": lab, "text": text[s:e]}
                             for s, e, lab in ents.get(aid, [])],
                "quotes": [_quote(text, q, frags.get(q[0], [])) for q in quotes.get(aid, [])],
            }


def _quote(text: str, q, fragments: list) -> dict:
    (_, uid, _, kind, sp_s, sp_e, cue_s, cue_e, status, confidence, note, created, updated,
     layer, spk_id, spk_name, role, org, topic, position) = q
    speaker = None
    if spk_id is not None or sp_s is not None:
        speaker = {"id": spk_id, "name": spk_name if spk_id is not None else text[sp_s:sp_e],
                   "start": sp_s, "end": sp_e, "role": role, "organisation": org}
    return {
        "id": uid, "fragments": fragments,
        "start": fragments[0][0] if fragments else None,
        "end": fragments[-1][1] if fragments else None,
        "text": text[fragments[0][0]:fragments[-1][1]] if fragments else "",
        "kind": kind, "speaker": speaker, "cue": _span(text, cue_s, cue_e),
        "topic": topic, "position": position, "layer": layer, "status": status,
        "confidence": confidence, "note": note, "created": created, "updated": updated,
    }


def write_atomically(out: str | Path, lines, *, total: int, progress: Progress | None = None,
                     cancel: Cancel | None = None) -> int:
    """Write ``lines`` to a temporary file beside ``out`` and rename it into place.

    A failure or cancel leaves no partial file at ``out`` (and removes the temporary one).
    Returns the number of lines written; raises ``ExportError`` with the reason.
    """
    out = Path(out)
    if out.is_dir():
        raise ExportError(f"{out}: is a folder; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent or ".")
    except OSError as exc:
        raise ExportError(f"{out}: cannot write there ({exc.strerror or exc})") from exc
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(line)
                count += 1
                if progress and count % 200 == 0:
                    progress(count, total, out.name)
                if cancel and cancel():
                    raise ExportError(f"{out}: export cancelled; nothing written")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{out}: write failed ({exc.strerror or exc}); nothing written") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if progress:
        progress(count, total, out.name)
    return count


def export_jsonl(db: Database, out: str | Path, *, layer: str | None = None,
                 progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Export every article (quotes of ``layer`` only, when given) to ``out``; return count."""
    _layer_id(db, layer)  # an unknown layer fails before any file is touched
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    lines = (json.dumps(rec, ensure_ascii=False) + "\n"
             for rec in article_records(db, layer=layer))
    return write_atomically(out, lines, total=total, progress=progress, cancel=cancel)
