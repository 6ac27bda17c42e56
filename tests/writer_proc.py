"""A separate process that writes to a project, for the concurrency tests and bench.

    python tests/writer_proc.py edit PROJECT --analyst NAME [--count N] [--seconds S]
        [--second-open] [--until FILE] [--min N]
    python tests/writer_proc.py analyze PROJECT [--seconds S] [--batch-size N]

``edit`` opens the project like the window does, optionally opens and closes a second
connection through ``open_project`` as a worker thread would (import, export...), prints
``READY``, then applies core edit commands in a loop, each in its own layer:

    ACK <uuid> <ms>            AddQuote.apply returned (the quote is acknowledged)
    NOTE <uuid> <note> <ms>    UpdateQuote.apply (the quote's note) returned
    FAIL <uuid|-> <error>      an edit raised (counted, the loop goes on)
    END <added> <failed> <s>   the loop is over (seconds from READY)

The loop stops after ``--count`` AddQuotes, ``--max-failures`` failed edits, ``--seconds``,
or (with ``--until``) once FILE exists and at least ``--min`` quotes were added. Every line
is flushed at once, so the reader sees exactly what was acknowledged. Exit code 0 when no
edit failed, else 3.

``analyze`` runs ``annotator.analysis.analyze`` with the real model, cancelled after
``--seconds``; it prints ``ANALYZED <n>`` (exit 0) or the error (exit 1).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def edit(args) -> int:
    from annotator.editing.edits import AddQuote, UpdateQuote
    from annotator.store.db import ensure_layer, open_project

    db = open_project(args.project, create=False)
    if args.second_open:  # what the import job / the export dialog do while the window is open
        open_project(args.project, create=False).close()
    layer = ensure_layer(db, args.analyst)
    articles = db.execute("SELECT id, length(text) FROM articles WHERE length(text) > 40 "
                          "ORDER BY id LIMIT 50").fetchall()
    if not articles:
        say("FAIL - no articles")
        return 3
    say(f"READY {os.getpid()} {layer}")
    failures = added = 0
    started = time.monotonic()
    deadline = started + args.seconds
    i = 0
    while added < args.count and failures < args.max_failures and time.monotonic() < deadline:
        if args.until and added >= args.min and os.path.exists(args.until):
            break
        aid, length = articles[i % len(articles)]
        start = (i * 7) % (length - 30)
        i += 1
        cmd = AddQuote(article_id=aid, layer_id=layer, fragments=[(start, start + 20)],
                       actor=args.analyst)
        t = time.perf_counter()
        try:
            cmd.apply(db)
        except Exception as exc:  # noqa: BLE001 - reported, the test counts them
            failures += 1
            say(f"FAIL - {type(exc).__name__}: {exc}")
            continue
        added += 1
        say(f"ACK {cmd.uuid} {1000 * (time.perf_counter() - t):.3f}")
        note = f"n{i}"
        t = time.perf_counter()
        try:
            UpdateQuote(uuid=cmd.uuid, actor=args.analyst, note=note).apply(db)
        except Exception as exc:  # noqa: BLE001
            failures += 1
            say(f"FAIL {cmd.uuid} {type(exc).__name__}: {exc}")
            continue
        say(f"NOTE {cmd.uuid} {note} {1000 * (time.perf_counter() - t):.3f}")
    db.close()
    say(f"END {added} {failures} {time.monotonic() - started:.3f}")
    return 3 if failures else 0


def analyze(args) -> int:
    from annotator.nlp.analysis import analyze as run
    from annotator.store.db import open_project
    from annotator.tasks import Task

    deadline = time.monotonic() + args.seconds
    try:
        db = open_project(args.project, create=False)
        try:
            report = run(db, batch_size=args.batch_size,
                         task=Task(cancel=lambda: time.monotonic() > deadline))
        finally:
            db.close()
    except Exception as exc:  # noqa: BLE001
        say(f"ERROR {type(exc).__name__}: {exc}")
        return 1
    say(f"ANALYZED {report.analyzed}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    e = sub.add_parser("edit")
    e.add_argument("project")
    e.add_argument("--analyst", required=True)
    e.add_argument("--count", type=int, default=100)
    e.add_argument("--seconds", type=float, default=30)
    e.add_argument("--second-open", action="store_true")
    e.add_argument("--until")
    e.add_argument("--min", type=int, default=0)
    e.add_argument("--max-failures", type=int, default=200)
    a = sub.add_parser("analyze")
    a.add_argument("project")
    a.add_argument("--seconds", type=float, default=20)
    a.add_argument("--batch-size", type=int, default=8)
    args = ap.parse_args()
    return edit(args) if args.mode == "edit" else analyze(args)


if __name__ == "__main__":
    sys.exit(main())
