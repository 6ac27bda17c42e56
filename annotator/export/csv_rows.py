"""CSV: one row per quote with its article, speaker, cue and code (for R, pandas, Excel).

RFC 4180 quoting (a cell with a comma, a double quote or a line break is quoted, quotes
doubled), ``\\r\\n`` between rows; with ``bom`` the file starts with a UTF-8 byte order mark so
Excel reads it as UTF-8. ``text`` is ``article[start:end]`` (as in the native JSONL);
``quote_text`` joins the fragments with `` … ``; ``fragments`` is ``start-end;start-end``. A text
cell a spreadsheet would run as a formula starts with ``'`` (see ``csv_cells``) unless
``raw_cells``.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlite_utils import Database

from annotator.export.cells import safe_row
from annotator.selection import Selection
from annotator.tasks import Task, ensure
from annotator.export.jsonl import article_records, write_atomically

COLUMNS = ("article_id", "source", "title", "outlet", "author", "published", "url", "layer",
           "quote_id", "kind", "status", "start", "end", "fragments", "text", "quote_text",
           "speaker", "speaker_role", "speaker_organisation", "speaker_kind",
           "speaker_mention", "speaker_start", "speaker_end", "cue", "cue_start", "cue_end",
           "topic", "position", "position_value", "confidence", "note", "created", "updated")


def rows(record: dict):
    """The CSV rows (dicts) of one extended export record."""
    text, meta = record["text"], record["meta"]
    for q in record["quotes"]:
        speaker = q["speaker"] or {}
        cue = q["cue"] or {}
        mention = (text[speaker["start"]:speaker["end"]]
                   if speaker.get("start") is not None else "")
        yield {
            "article_id": record["id"], "source": meta.get("source"),
            "title": meta.get("title"), "outlet": meta.get("outlet"),
            "author": meta.get("author"), "published": meta.get("published"),
            "url": meta.get("url"), "layer": q["layer"], "quote_id": q["id"],
            "kind": q["kind"], "status": q["status"], "start": q["start"], "end": q["end"],
            "fragments": ";".join(f"{s}-{e}" for s, e in q["fragments"]), "text": q["text"],
            "quote_text": " … ".join(text[s:e] for s, e in q["fragments"]),
            "speaker": speaker.get("name"), "speaker_role": speaker.get("role"),
            "speaker_organisation": speaker.get("organisation"),
            "speaker_kind": speaker.get("kind"), "speaker_mention": mention,
            "speaker_start": speaker.get("start"), "speaker_end": speaker.get("end"),
            "cue": cue.get("text"), "cue_start": cue.get("start"), "cue_end": cue.get("end"),
            "topic": q["topic"], "position": q["position"],
            "position_value": q.get("position_value"), "confidence": q["confidence"],
            "note": q["note"], "created": q["created"], "updated": q["updated"],
        }


def export_csv(db: Database, out: str | Path, *, filters: Selection | None = None,
               bom: bool = False, raw_cells: bool = False, task: Task | None = None) -> int:
    """Write one row per chosen quote to ``out``; return the number of quotes.

    Without a status filter, rejected quotes are left out. Text cells that start like a
    formula get a leading ``'`` unless ``raw_cells``.
    """
    task = ensure(task)
    rf = (filters or Selection()).with_default_statuses().resolve(db)
    total = rf.article_count()
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    done = 0

    def take() -> str:
        value = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return value

    def lines():
        nonlocal done
        writer.writeheader()
        yield take()
        for record in article_records(db, filters=rf, extended=True):
            for row in rows(record):
                writer.writerow(row if raw_cells else safe_row(row))
                yield take()
            done += 1
            if done % 200 == 0:
                task.progress(done, total, Path(out).name)

    count = write_atomically(out, lines(), total=total, task=task,
                             encoding="utf-8-sig" if bom else "utf-8")
    task.progress(done, total, Path(out).name)
    return count - 1
