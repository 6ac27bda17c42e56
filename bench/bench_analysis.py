"""Import + analysis throughput of the app against raw spaCy ``nlp.pipe``, in one run.

    python bench/bench_analysis.py [--articles 200] [--processes 1] [--rounds 2]

Both sides use the same pipeline, batch size and number of processes, on the same PolNeAR
train articles; the model is loaded once before timing (as the app's worker loads it once).
Prints words/s for each and the ratio app/raw (target >= 0.85).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.nlp import pipeline as nlp_mod
from annotator.nlp.analysis import analyze  # noqa: E402
from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.store.db import open_project  # noqa: E402

TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"


def articles(n: int) -> tuple[list[Path], list[str], int]:
    """The first ``n`` PolNeAR train articles: their files, texts and number of words."""
    files = sorted(TRAIN.glob("*.txt"))[:n]
    texts = [f.read_bytes().decode("utf-8-sig") for f in files]
    return files, texts, sum(len(t.split()) for t in texts)


def raw(nlp, texts, batch_size, n_process=1) -> float:
    start = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    return time.perf_counter() - start


def app(files, batch_size, n_process) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.quotebook"
        start = time.perf_counter()
        db = open_project(path)
        import_paths(db, files)
        report = analyze(db, batch_size=batch_size, n_process=n_process)
        db.close()
        elapsed = time.perf_counter() - start
        assert report.analyzed == len(files), report.summary()
        return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    files, texts, words = articles(args.articles)
    nlp = nlp_mod.load()
    raw(nlp, texts[:20], args.batch_size, 1)  # warm up caches before either side is timed
    raw_best = app_best = float("inf")
    for _ in range(args.rounds):  # interleaved, best of each: this machine is noisy
        raw_best = min(raw_best, raw(nlp, texts, args.batch_size, args.processes))
        app_best = min(app_best, app(files, args.batch_size, args.processes))
    print(f"{len(files)} articles, {words} words, model {nlp_mod.model_label(nlp)}, "
          f"{args.processes} process(es), batch {args.batch_size}, best of {args.rounds}")
    print(f"raw nlp.pipe:           {words / raw_best:10.0f} words/s ({raw_best:.2f} s)")
    print(f"app import + analysis:  {words / app_best:10.0f} words/s ({app_best:.2f} s)")
    print(f"ratio app/raw:          {raw_best / app_best:10.3f}  (target >= 0.85)")


if __name__ == "__main__":
    main()
