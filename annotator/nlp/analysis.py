"""NLP analysis of every article not yet analysed: spaCy NER and quote suggestions (see
``suggest/``), stored once per article.

``analyze(db, task=...)`` is a long job (``annotator.tasks``); the window runs it in a worker
process that opens its own connection (``worker.py``). Each batch of articles is
written in one transaction together with the mark that they are analysed: a cancelled or
killed run resumes where it stopped, without duplicates.

``analyze(db, redo=True)`` re-suggests every article, analysed ones too, with what the
registry now knows: the run's start is the ``redo_since`` setting, and every article analysed
before it is pending again until the run ends (so a cancelled redo resumes, with or without
``redo``). The decisions analysts took on suggestions are kept (``suggestions_layer``).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from annotator.nlp import pipeline as nlp_mod
from annotator.store.db import get_setting, log_event, now, set_setting
from annotator.nlp.results import doc_results, parse  # noqa: F401 (doc_results: API)
from annotator.nlp.suggest import speech_lemmas
from annotator.nlp.speaker_matching import speech_verbs_setting
from annotator.nlp.suggestions_layer import replace_suggestions, suggestions_layer
from annotator.tasks import Task, ensure


@dataclass
class AnalysisReport:
    analyzed: int = 0
    entities: int = 0
    quotes: int = 0
    pending_before: int = 0
    model: str = ""
    seconds: float = 0.0
    cancelled: bool = False
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"analysed {self.analyzed} of {self.pending_before} article(s) with {self.model}: "
                f"{self.entities} entities, {self.quotes} quote suggestion(s) "
                f"in {self.seconds:.1f} s")
        return text + (" (cancelled; run analyze again to resume)" if self.cancelled else "")


REDO = "redo_since"
PENDING = "(analyzed_at IS NULL OR analyzed_at < ?)"


def _since(db) -> str:
    """Articles analysed before this are pending (a redo under way), else none are."""
    return get_setting(db, REDO) or ""


def pending_count(db, redo: bool = False) -> int:
    """How many articles an analysis would analyse (``redo``: every article)."""
    if redo:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    return db.execute(f"SELECT count(*) FROM articles WHERE {PENDING}",
                      [_since(db)]).fetchone()[0]


def _texts(db, max_length: int, too_long: list, chunk: int = 256):
    """(text, id) of unanalysed articles in id order, read in chunks (not all in memory)."""
    last = 0
    since = _since(db)
    while True:
        rows = db.execute(
            f"SELECT id, text FROM articles WHERE {PENDING} AND id > ? "
            "ORDER BY id LIMIT ?", [since, last, chunk]).fetchall()
        if not rows:
            return
        for article_id, text in rows:
            if len(text) > max_length:
                too_long.append(article_id)
                continue
            yield text, article_id
        last = rows[-1][0]


def _write(db, batch: list, label: str, report: AnalysisReport | None = None) -> int:
    """Store one batch of (article_id, results) and mark those articles analysed, atomically:
    entities, quote suggestions (replacing earlier ones) and the mark, in one transaction."""
    stamp = now()
    count = 0
    cache: dict = {}
    with db.atomic():
        layer_id = suggestions_layer(db)
        for article_id, results in batch:
            n_quotes = replace_suggestions(db, article_id, results.get("quotes", []),
                                           layer_id=layer_id, stamp=stamp, cache=cache)
            if report is not None:
                report.quotes += n_quotes
            db.execute("DELETE FROM entities WHERE article_id = ? AND layer_id IS NULL "
                       "AND removed = 0", [article_id])
            struck = set(db.execute(   # an analyst struck these out: they stay so
                'SELECT start, "end" FROM entities WHERE article_id = ? AND layer_id IS NULL',
                [article_id]).fetchall())
            rows = [(article_id, s, e, lab) for s, e, lab in results["entities"]
                    if (s, e) not in struck]
            db.conn.executemany(
                'INSERT INTO entities(article_id, start, "end", label) VALUES (?, ?, ?, ?)', rows)
            db.execute("UPDATE articles SET analyzed_at = ?, analyzed_model = ? WHERE id = ?",
                       [stamp, label, article_id])
            count += len(rows)
    return count


def analyze(db, *, model: str | None = None, batch_size: int = 32, n_process: int = 1,
            scheduler: str | None = None, local_cluster: int = 0,
            task: Task | None = None, redo: bool = False) -> AnalysisReport:
    """Analyse every article of the project ``db`` that has not been analysed yet (``redo``:
    every article, see above).

    The model is ``model``, else the project's ``model`` setting, else the default pipeline.
    Quote suggestions use the default speech verbs plus the project's ``speech_verbs``
    setting. Progress is in articles; a cancel stops after the article in hand, whose batch
    is stored. The parse runs here (``n_process`` spaCy processes), or on the Dask scheduler
    at ``scheduler``, or on a new local cluster of ``local_cluster`` worker processes.
    Raises ``nlp.ModelMissing`` when that pipeline is not installed, ``cluster.ClusterError``
    when the cluster cannot be reached or loses a batch (what was written is kept).
    """
    task = ensure(task)
    started = time.perf_counter()
    name = model or get_setting(db, "model")
    lemmas = speech_lemmas(speech_verbs_setting(db))
    if not (scheduler or local_cluster):
        nlp = nlp_mod.load(name)
        _start_redo(db, redo)
        return _run(db, (nlp_mod.model_label(nlp), nlp.max_length),
                    lambda items: parse(nlp, items, lemmas, batch_size=batch_size,
                                        n_process=n_process),
                    batch_size, task, started)
    from annotator.nlp.cluster import connect
    with connect(scheduler, local_cluster, name) as remote:
        _start_redo(db, redo)
        return _run(db, remote.model_info(),
                    lambda items: remote.results(items, lemmas, batch_size),
                    batch_size, task, started)


def _start_redo(db, redo: bool) -> None:
    """A redo starts now, unless one is under way (see above)."""
    if redo and not _since(db):
        set_setting(db, REDO, now())


def _run(db, info: tuple[str, int], parsed, batch_size: int, task: Task,
         started: float) -> AnalysisReport:
    """Write what ``parsed(items)`` yields for the pending articles, batch by batch."""
    label, max_length = info
    report = AnalysisReport(pending_before=pending_count(db), model=label)
    task.progress(0, report.pending_before, label)
    too_long: list[int] = []
    batch: list = []
    results = parsed(_texts(db, max_length, too_long))
    for article_id, result in results:
        batch.append((article_id, result))
        stop = task.cancelled
        if len(batch) >= batch_size or stop:
            report.entities += _write(db, batch, label, report)
            report.analyzed += len(batch)
            batch = []
            task.progress(report.analyzed, report.pending_before, label)
        if stop:
            report.cancelled = True
            break
    results.close()  # stops the parse (local processes, or the batches still on the cluster)
    if batch:
        report.entities += _write(db, batch, label, report)
        report.analyzed += len(batch)
    if too_long:
        with db.atomic():
            db.execute(f"UPDATE articles SET analyzed_at = ?, analyzed_model = ? "
                       f"WHERE id IN ({','.join('?' * len(too_long))})",
                       [now(), f"{label} (skipped: longer than {max_length} characters)",
                        *too_long])
        report.warnings.append(f"{len(too_long)} article(s) longer than {max_length} "
                               f"characters were not analysed (ids {too_long[:10]}...)")
    report.seconds = time.perf_counter() - started
    # the articles set aside as too long are done with too
    task.progress(report.analyzed + len(too_long), report.pending_before, label)
    with db.atomic():
        if not report.cancelled:
            set_setting(db, REDO, None)   # a redo under way is done
        log_event(db, actor="analysis", action="analyze", target="articles",
                  after={"analyzed": report.analyzed, "model": label,
                         "cancelled": report.cancelled})
    return report
