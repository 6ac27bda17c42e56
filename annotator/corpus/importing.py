"""Import articles into a project: streamed, de-duplicated by text hash, whole articles only."""
from __future__ import annotations

import hashlib
import json
import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from sqlite_utils import Database

from annotator.corpus.formats import source_for
from annotator.corpus.native import Restorer, is_record_error
from annotator.corpus.sources import Notes, readable, unexpected
from annotator.editing.article_rows import article_total
from annotator.store.db import log_event, now
from annotator.tasks import Task, ensure

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

INSERT = """INSERT INTO articles(hash, text, title, outlet, author, url, published, filename,
    source_path, source, meta, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(hash) DO NOTHING"""


def text_hash(text: str) -> str:
    """The article's id across projects: SHA-1 of its UTF-8 text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# the connection's settings while importing, restored after: a 128 MiB page cache (the
# text-hash index and the FTS segments being merged stay in memory), and statement journals
# in memory (each article's INSERT journals the ~8 pages it changes, because its FTS trigger
# may abort: in a temporary file that was half of what an import wrote)
IMPORT_PRAGMAS = {"cache_size": -131072, "temp_store": 2}
# a batch (one transaction) is a share of the project's size, within bounds: each commit
# rewrites the pages of the text-hash index its new articles fall in, at random; with a fixed
# batch of 1,000 that is ~1 page per article at 1,000,000 articles against ~0.75 at 100,000,
# while a batch of 1/50 of the project rewrites the same share per article at any size from
# 50,000 to 1,000,000 (issue 14: the import rate at 1M rose from ~0.7 to ~0.9 of the rate at
# 100k). A batch also ends at a budget of text: the memory it holds and the time it holds the
# project (another writer waits for it, up to ``BUSY_TIMEOUT_MS``) go with its text.
BATCH_SHARE, BATCH_MIN = 50, 1000


@dataclass(frozen=True)
class Batches:
    """The most an import's transaction writes: ``articles`` articles, ``text`` characters."""
    articles: int = 20_000
    text: int = 32 * 2**20

    def __post_init__(self):
        if self.articles < 1 or self.text < 1:
            raise ValueError(f"batches of at least one article and character, not {self}")


BATCHES = Batches()   # 2-3 s at 1,000,000 articles of ~1,860 characters, 2 cores
WINDOW_BATCHES = Batches(5_000, 8 * 2**20)   # under a second: the analyst codes beside it
EXAMPLES = 20  # lines kept of each kind of problem; the others are counted


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: list[str] = field(default_factory=list)   # the first EXAMPLES duplicates:
    duplicate_count: int = 0                              # "file:line: same text as article N"
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0
    cancelled: bool = False
    quotes: int = 0          # restored from a native Quotebook export
    quotes_present: int = 0  # not restored: a quote with the same uuid is in the project
    analysis: object = None  # the AnalysisReport of the analysis that followed, if any

    def duplicate(self, line: str) -> None:
        self.duplicate_count += 1
        if len(self.duplicates) < EXAMPLES:
            self.duplicates.append(line)

    def summary(self) -> str:
        text = (f"imported {self.imported} article(s) from {self.files} file(s); "
                f"{self.duplicate_count} duplicate(s), {len(self.skipped)} skipped")
        if self.quotes:
            text += f"; {self.quotes} quote(s) restored"
        return text + (" (cancelled)" if self.cancelled else "")

    def problems(self) -> list[tuple[str, str]]:
        """(kind, line) to tell the user: warnings and skipped records, the first EXAMPLES
        of each and then one line for the rest; duplicates and quotes already in the project
        as one line each."""
        out = []
        for kind, lines in (("warning", self.warnings), ("skipped", self.skipped)):
            out += [(kind, line) for line in lines[:EXAMPLES]]
            if len(lines) > EXAMPLES:
                out.append((kind, f"{len(lines) - EXAMPLES} more record(s) {kind} "
                                  f"({len(lines)} in all)"))
        if self.duplicate_count:
            first = self.duplicates[0]
            out.append(("duplicate", f"{self.duplicate_count} article(s) already in the "
                                     f"project (the same text), not imported again; the "
                                     f"first: {first}"))
        if self.quotes_present:
            out.append(("duplicate", f"{self.quotes_present} quote(s) already in the project "
                                     f"(the same id), not imported again"))
        return out


def batch_for(articles: int, most: int = BATCHES.articles) -> int:
    """Articles per transaction of an import into a project of ``articles`` articles, at most
    ``most``."""
    return min(most, max(BATCH_MIN, articles // BATCH_SHARE))


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
        report.duplicate(f"{where}: same text as article {first[0]} ({first[1]})")


@contextmanager
def fts_deferred(db: Database):
    """Inside a write transaction: the articles inserted in the block are put in the FTS
    index in one statement when it ends (a batch's worth at once costs a fraction of row by
    row, and less so the larger the index), in the same transaction."""
    after = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    db.execute("INSERT INTO _fts_deferred(after_id) VALUES (?)", [after])
    yield
    db.execute("INSERT INTO articles_fts(rowid, title, text) SELECT id, title, text "
               "FROM articles WHERE id > ?", [after])
    db.execute("DELETE FROM _fts_deferred")


def import_paths(db: Database, paths, *, text_column: str | None = None,
                 format: str | None = None, layer: str | None = None,
                 task: Task | None = None, batch_size: int | None = None,
                 batches: Batches = BATCHES, actor: str = "import") -> ImportReport:
    """Import every supported file under ``paths``; return what was imported and skipped.

    Articles are read ``batch_size`` at a time (by default ``batch_for`` the project's size,
    growing with it up to ``batches``; a batch also ends at ``batches.text`` characters), then
    written in one short transaction: an interruption loses at most the open batch, never part
    of an article. Cancel stops after the current record, keeping what was committed. Progress
    is in bytes of input.
    ``format`` (``brat``, ``prodigy``) and ``layer`` choose how annotated files are read.
    """
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
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
    had = article_total(db)

    def size_for(articles: int) -> int:
        return batch_size or batch_for(articles, batches.articles)
    limit, text = size_for(had), 0

    def write(last: bool = False) -> None:
        """The batch in one short IMMEDIATE transaction (the files are read outside it, so
        another writer waiting for the project gets in between batches); the next batch's
        size from the project's new size."""
        nonlocal limit, text
        with db.atomic(), fts_deferred(db):
            for path, rec in batch:
                _store(db, rec, path, stamp, restorer, report, notes)
            if last:
                report.quotes, report.quotes_present = restorer.quotes, restorer.present
                log_event(db, actor=actor, action="import", target="articles",
                          after={"paths": [str(p) for p in paths], "imported": report.imported,
                                 "quotes": report.quotes,
                                 "duplicates": report.duplicate_count,
                                 "skipped": len(report.skipped),
                                 "cancelled": report.cancelled})
        batch.clear()
        limit, text = size_for(had + report.imported), 0

    before = {name: db.execute(f"PRAGMA {name}").fetchone()[0] for name in IMPORT_PRAGMAS}
    for name, value in IMPORT_PRAGMAS.items():
        db.execute(f"PRAGMA {name} = {value}")
    try:
        for path in files:
            for rec in _dated(path, read(path, notes, text_column=text_column,
                                         progress_bytes=advance), report):
                batch.append((path, rec))
                text += len(rec.text)
                if len(batch) >= limit or text >= batches.text:
                    write()
                    task.progress(done, total, path.name)
                if task.cancelled:
                    report.cancelled = True
                    break
            if report.cancelled:
                break
            task.progress(done, total, path.name)
        write(last=True)
    finally:
        for name, value in before.items():
            db.execute(f"PRAGMA {name} = {value}")
    return report


def _dated(path, records, report: ImportReport):
    """The records; then one warning for the dates not in YYYY-MM-DD form (counted, not
    kept: the import streams)."""
    odd_dates, first_odd = 0, None
    try:
        for rec in records:
            if rec.published and not ISO_DATE.match(rec.published):
                odd_dates += 1
                first_odd = first_odd or (rec.line, rec.published)
            yield rec
    finally:  # also when the import is cancelled in the middle of the file
        if odd_dates:
            line, value = first_odd
            where = f"{readable(path)}:{line}" if line else readable(path)
            report.warnings.append(
                f"{where}: {odd_dates} published date(s) not in YYYY-MM-DD form (such "
                f"as {value!r}); kept as written, but date filters and charts treat them "
                f"as undated")
