"""Analysis words/s in-process, with ``--processes 2`` and on a Dask ``LocalCluster`` of 1 and
2 workers, against raw ``nlp.pipe`` (1 process) measured in the same run.

    python bench/bench_cluster.py [--articles 200] [--rounds 2] [--batch-size 32]

The same PolNeAR train articles each time, imported (untimed) into a fresh project, then
analysed (timed: NER, quote suggestions, writing). The model is loaded before timing, here and
on the cluster's workers (as a long-lived cluster has it); ``--processes 2`` loads it in its
two spaCy processes within the timing, as the app does. Prints words/s and the ratio to raw.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.nlp import pipeline as nlp_mod  # noqa: E402
from annotator.nlp.analysis import analyze  # noqa: E402
from annotator.store.db import open_project  # noqa: E402
from bench_analysis import articles, raw  # noqa: E402 (PolNeAR train from ../shared)


def app(files, batch_size, **where) -> float:
    """Seconds to analyse ``files`` in a fresh project (the import is not timed)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_project(Path(tmp) / "bench.quotebook")
        import_paths(db, files)
        start = time.perf_counter()
        report = analyze(db, batch_size=batch_size, **where)
        elapsed = time.perf_counter() - start
        db.close()
        assert report.analyzed == len(files), report.summary()
        return elapsed


def warm_cluster(n_workers: int):
    """A LocalCluster of ``n_workers`` single-threaded processes with the model loaded."""
    from distributed import Client, LocalCluster

    from annotator.nlp.cluster_worker import ModelPlugin
    start = time.perf_counter()
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, scheduler_kwargs={"dashboard": False})
    client = Client(cluster)
    client.register_plugin(ModelPlugin(None))
    return cluster, client, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    files, texts, words = articles(args.articles)
    nlp = nlp_mod.load()
    raw(nlp, texts[:20], args.batch_size)  # warm up caches before anything is timed
    load_before = os.getloadavg()[0]
    started: dict[int, float] = {}

    def on_cluster(n: int) -> float:
        """Analysis time on a fresh, warm LocalCluster of ``n`` workers (closed after: idle
        workers would take from the other runs)."""
        cluster, client, started[n] = warm_cluster(n)
        try:
            return app(files, args.batch_size, scheduler=cluster.scheduler_address)
        finally:
            client.close()
            cluster.close()

    runs = {"raw nlp.pipe, 1 process": lambda: raw(nlp, texts, args.batch_size),
            "app in-process": lambda: app(files, args.batch_size),
            "app --processes 2": lambda: app(files, args.batch_size, n_process=2),
            "app LocalCluster 1 worker": lambda: on_cluster(1),
            "app LocalCluster 2 workers": lambda: on_cluster(2)}
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.rounds):  # interleaved, best of each: this machine is noisy
        for name, run in runs.items():
            best[name] = min(best[name], run())
    print(f"{len(files)} articles, {words} words, model {nlp_mod.model_label(nlp)}, "
          f"batch {args.batch_size}, best of {args.rounds}; {os.cpu_count()} cores, load "
          f"average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    base = best["raw nlp.pipe, 1 process"]
    for name, seconds in best.items():
        print(f"{name:32} {words / seconds:8.0f} words/s ({seconds:6.2f} s)  "
              f"ratio to raw {base / seconds:5.2f}")
    for n, seconds in started.items():
        print(f"LocalCluster of {n} started with the model loaded in {seconds:.1f} s (untimed)")


if __name__ == "__main__":
    main()
