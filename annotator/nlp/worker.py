"""Run the analysis in a worker process (spaCy holds the GIL), polled without blocking.

The worker opens its own connection to the project (``open_project``) and runs the job
``analysis.analyze``; its task's progress and the outcome come back as messages on a queue, and
its cancel flag is an event set from the window's process. ``ui/jobs.py`` shows it like any job.
"""
from __future__ import annotations

import multiprocessing as mp
import queue as queue_mod
import sqlite3
import traceback
from dataclasses import asdict
from pathlib import Path


def _run_analysis(project_path: str, model, batch_size: int, n_process: int, messages,
                  cancel_event, redo: bool = False) -> None:
    from annotator.errors import user_message
    from annotator.nlp.analysis import analyze
    from annotator.nlp.pipeline import ModelMissing
    from annotator.store.db import open_project
    from annotator.tasks import Task
    task = Task(progress=lambda done, total, note: messages.put(("progress", done, total, note)),
                cancel=cancel_event)
    try:
        db = open_project(project_path, create=False)
        try:
            report = analyze(db, model=model, batch_size=batch_size, n_process=n_process,
                             task=task, redo=redo)
        finally:
            db.close()
        messages.put(("done", asdict(report)))
    except ModelMissing as exc:
        messages.put(("error", str(exc)))
    except (sqlite3.Error, OSError) as exc:   # e.g. the disk is full: one line
        messages.put(("error", f"analysis failed: {user_message(exc, project_path)}"))
    except Exception as exc:  # reported to the UI, which shows it; the worker then ends
        messages.put(("error", f"analysis failed: {exc}\n{traceback.format_exc()}"))


class AnalysisProcess:
    """The analysis of one project in a separate process.

    ``poll()`` returns the messages that arrived, never waiting: ``("progress", done, total,
    note)``, then ``("done", report_dict)`` or ``("error", message)``.
    """

    def __init__(self, project_path: str | Path, *, model: str | None = None,
                 batch_size: int = 32, n_process: int = 1, redo: bool = False):
        ctx = mp.get_context("spawn")  # never fork a process that runs Qt
        self.messages = ctx.Queue()
        self.cancel_event = ctx.Event()
        self.process = ctx.Process(
            target=_run_analysis, name="quotebook-analysis",
            args=(str(project_path), model, batch_size, n_process, self.messages,
                  self.cancel_event, redo))
        self.finished = False

    def start(self) -> "AnalysisProcess":
        self.process.start()
        return self

    def poll(self) -> list[tuple]:
        out = []
        while True:
            try:
                msg = self.messages.get_nowait()
            except queue_mod.Empty:
                break
            out.append(msg)
            if msg[0] in ("done", "error"):
                self.finished = True
        if not out and not self.finished and not self.process.is_alive():
            try:  # the last words of a worker that just ended may still be in the pipe
                out.append(self.messages.get(timeout=0.2))
                self.finished = out[-1][0] in ("done", "error")
                return out
            except queue_mod.Empty:
                pass
            # died without a word (killed, crashed): what it committed is kept
            self.finished = True
            out.append(("error", f"the analysis worker stopped unexpectedly "
                                 f"(exit code {self.process.exitcode}); run it again to resume"))
        return out

    def cancel(self) -> None:
        self.cancel_event.set()

    def is_alive(self) -> bool:
        return self.process.is_alive()

    def join(self, timeout: float | None = None) -> None:
        self.process.join(timeout)

    def terminate(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
