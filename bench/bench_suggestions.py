"""What quote suggestions add to the analysis time of the same articles, in one run.

    python bench/bench_suggestions.py [--articles 200] [--rounds 2] [--processes 1]

Both sides run the app's ``analyze`` (spaCy, entities, the database) on the same PolNeAR train
articles imported into fresh projects, in interleaved rounds (best of each); the baseline has
the suggestion rules switched off. Prints seconds for each, the ratio (target <= 1.10) and the
time spent inside the rules themselves (steadier than the ratio, which moves by a few percent
from run to run).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.nlp import analysis, results
from annotator.nlp import pipeline as nlp_mod
from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.store.db import open_project  # noqa: E402

TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"


RULES = [0.0]   # seconds spent inside the suggestion rules in the last run


def run(files, *, suggestions: bool, batch_size: int, n_process: int) -> tuple[float, int]:
    """Seconds of ``analyze`` over ``files`` in a fresh project, and the suggestions made."""
    original = results.suggest_quotes
    RULES[0] = 0.0

    def timed(doc, lemmas):
        start = time.perf_counter()
        try:
            return original(doc, lemmas)
        finally:
            RULES[0] += time.perf_counter() - start
    results.suggest_quotes = timed if suggestions else (lambda doc, lemmas: [])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.quotebook"
            db = open_project(path)
            import_paths(db, files)
            start = time.perf_counter()
            report = analysis.analyze(db, batch_size=batch_size, n_process=n_process)
            elapsed = time.perf_counter() - start
            db.close()
            assert report.analyzed == len(files), report.summary()
            return elapsed, report.quotes
    finally:
        results.suggest_quotes = original


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    files = sorted(TRAIN.glob("*.txt"))[:args.articles]
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    nlp_mod.load()  # the worker loads the model once, before any article
    run(files[:10], suggestions=True, batch_size=args.batch_size, n_process=1)  # warm up
    base = with_s = rules = float("inf")
    quotes = 0
    for _ in range(args.rounds):
        base = min(base, run(files, suggestions=False, batch_size=args.batch_size,
                             n_process=args.processes)[0])
        seconds, quotes = run(files, suggestions=True, batch_size=args.batch_size,
                              n_process=args.processes)
        with_s, rules = min(with_s, seconds), min(rules, RULES[0])
    print(f"{len(files)} articles, {words} words, {quotes} suggestions")
    print(f"analysis without suggestions: {base:.2f} s ({words / base:,.0f} words/s)")
    print(f"analysis with suggestions:    {with_s:.2f} s ({words / with_s:,.0f} words/s)")
    print(f"ratio with/without: {with_s / base:.3f} (target <= 1.10)")
    print(f"of which the rules themselves: {rules:.2f} s, {rules / base:.1%} of the analysis "
          f"(the rest of the difference is the database work, and noise)")


if __name__ == "__main__":
    main()
