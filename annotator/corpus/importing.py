"""Import articles into a project: streamed, de-duplicated by text hash, whole articles only."""
from __future__ import annotations

import hashlib
import json
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from sqlite_utils import Database

from annotator.corpus.formats import source_for
from annotator.corpus.native import Restorer, is_record_error
from annotator.corpus.sources import Notes, readable, unexpected
from annotator.store.db import log_event, now
from annotator.tasks import Task, ensure

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

INSERT = """INSERT INTO articles(hash, text, title, outlet, author, url, published, filename,
    source_path, source, meta, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(hash) DO NOTHING"""


def text_hash(text: str) -> str:
    """The article's id across projects: SHA-1 of its UTF-8 text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: list[str] = field(default_factory=list)   # "file:line: same text as article N"
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0
    cancelled: bool = False
    quotes: int = 0          # restored from a native Quotebook export
    analysis: object = None  # the AnalysisReport of the analysis that followed, if any

    def summary(self) -> str:
        text = (f"imported {self.imported} article(s) from {self.files} file(s); "
                f"{len(self.duplicates)} duplicate(s), {len(self.skipped)} skipped")
        if self.quotes:
            text += f"; {self.quotes} quote(s) restored"
        return text + (" (cancelled)" if self.cancelled else "")


def _store(db: Database, rec, path, stamp: str, restorer: Restorer, report: ImportReport,
           notes: Notes) -> None:
    """Store one record; a native one with its annotations in a savepoint of its own.

    A record that fails is skipped with file, line and reason; only its own writes are undone
    (a plain record is one statement, which SQLite undoes by itself).
    """
    where = f"{rec.source_path}:{rec.line}" if rec.line else rec.source_path
    native = rec.annotations is not None
    if native:
        # the registry serves the whole file, outside the savepoint
        restorer.start_file(path, rec.registry)
    was_open = db.conn.in_transaction
    restorer.begin()
    try:
        with db.atomic() if native else nullcontext():
            digest = text_hash(rec.text)
            cur = db.execute(INSERT, [
                digest, rec.text, rec.title, rec.outlet, rec.author, rec.url, rec.published,
                rec.filename, rec.source_path, rec.source,
                json.dumps(rec.meta, ensure_ascii=False, default=str), stamp])
            new = cur.rowcount != 0
            if new:
                article_id = cur.lastrowid
            else:
                first = db.execute("SELECT id, source FROM articles WHERE hash = ?",
                                   [digest]).fetchone()
                article_id = first[0]
            if native:
                restorer.restore(article_id, rec.text, rec.annotations, new=new, where=where)
    except Exception as exc:
        restorer.undo()
        if not is_record_error(exc) or was_open and not db.conn.in_transaction:
            raise
        notes.skip(where, unexpected(exc))
        return
    if new:
        report.imported += 1
    else:
        report.duplicates.append(
            f"{where}: same text as article {first[0]} ({first[1]}); not imported again")


def import_paths(db: Database, paths, *, text_column: str | None = None,
                 format: str | None = None, layer: str | None = None,
                 task: Task | None = None, batch_size: int = 1000,
                 actor: str = "import") -> ImportReport:
    """Import every supported file under ``paths``; return what was imported and skipped.

    Articles are read ``batch_size`` at a time, then written in one short transaction: an
    interruption loses at most the open batch, never part of an article. Cancel stops after
    the current record, keeping what was committed. Progress is in bytes of input.
    ``format`` (``brat``, ``prodigy``) and ``layer`` choose how annotated files are read.
    """
    task = ensure(task)
    expand_files, read = source_for(db, paths, format, layer)
    files, problems = expand_files(paths)
    report = ImportReport(files=len(files), skipped=list(problems))
    notes = Notes(skipped=report.skipped, warnings=report.warnings)
    total = sum(f.stat().st_size for f in files)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n

    stamp = now()
    restorer = Restorer(db, notes, stamp, actor=actor)
    batch: list = []   # records read and parsed, not written yet

    def write(last: bool = False) -> None:
        """The batch in one short IMMEDIATE transaction (the files are read outside it, so
        another writer waiting for the project gets in between batches)."""
        with db.atomic():
            for path, rec in batch:
                _store(db, rec, path, stamp, restorer, report, notes)
            if last:
                report.quotes = restorer.quotes
                log_event(db, actor=actor, action="import", target="articles",
                          after={"paths": [str(p) for p in paths], "imported": report.imported,
                                 "quotes": report.quotes,
                                 "duplicates": len(report.duplicates),
                                 "skipped": len(report.skipped),
                                 "cancelled": report.cancelled})
        batch.clear()

    for path in files:
        odd_dates, first_odd = 0, None  # counted, not kept: the import streams
        for rec in read(path, notes, text_column=text_column, progress_bytes=advance):
            if rec.published and not ISO_DATE.match(rec.published):
                odd_dates += 1
                first_odd = first_odd or (rec.line, rec.published)
            batch.append((path, rec))
            if len(batch) >= batch_size:
                write()
                task.progress(done, total, path.name)
            if task.cancelled:
                report.cancelled = True
                break
        if odd_dates:
            line, value = first_odd
            where = f"{readable(path)}:{line}" if line else readable(path)
            report.warnings.append(
                f"{where}: {odd_dates} published date(s) not in YYYY-MM-DD form (such "
                f"as {value!r}); kept as written, but date filters and charts treat them "
                f"as undated")
        if report.cancelled:
            break
        task.progress(done, total, path.name)
    write(last=True)
    return report

