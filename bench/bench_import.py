"""Import without analysis: articles/s and peak memory for a large synthetic JSONL corpus.

    python bench/bench_import.py [--articles 100000] [--words 250]

Writes the corpus to a temporary folder, then in a fresh child process imports it into a new
project (``import_paths``, as ``quotebook import --no-analyze`` does) and reports its time and
peak resident memory. As a baseline in the same run, another child only reads and parses the
same file (json.loads per line), so the ratio shows what the project write costs.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
mode, src, project = sys.argv[1:4]
marks = []  # (seconds, fraction of the input read) at each batch
start = time.perf_counter()
if mode == "import":
    from annotator.corpus.importing import import_paths
    from annotator.store.db import open_project
    from annotator.tasks import Task
    db = open_project(project)
    task = Task(lambda done, total, note: marks.append((time.perf_counter() - start,
                                                        done / max(total, 1))))
    report = import_paths(db, [src], task=task)
    n = report.imported
    db.close()
else:
    n = 0
    with open(src, "rb") as fh:
        for line in fh:
            json.loads(line)
            n += 1
elapsed = time.perf_counter() - start
print(json.dumps({{"n": n, "seconds": elapsed, "marks": marks,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

VOCAB = ("minister said talks would resume sanctions council government officials told "
         "reporters statement agreement border trade policy election campaign voters senator "
         "according to the of and in a that on for with as was were by his her their").split()


def write_corpus(path: Path, n: int, words: int) -> int:
    rnd = random.Random(7)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            body = " ".join(rnd.choice(VOCAB) for _ in range(words))
            fh.write(json.dumps({"id": f"syn-{i}", "title": f"Synthetic article {i}",
                                 "outlet": "Bench Wire", "published": "2026-01-01",
                                 "text": f"Article {i}. {body}."}) + "\n")
    return path.stat().st_size


def child(mode: str, src: Path, project: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), mode, str(src),
                          str(project)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=250)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        size = write_corpus(src, args.articles, args.words)
        base = child("read", src, Path(tmp) / "unused")
        t0 = time.perf_counter()
        res = child("import", src, Path(tmp) / "bench.quotebook")
        wall = time.perf_counter() - t0
        project_mb = sum(p.stat().st_size for p in Path(tmp).glob("bench.quotebook*")) / 2**20
    assert res["n"] == args.articles, res
    print(f"{args.articles} synthetic articles of ~{args.words} words, "
          f"{size / 2**20:.0f} MiB of JSONL")
    print(f"read + parse only (baseline): {base['n'] / base['seconds']:9.0f} articles/s, "
          f"peak {base['peak_mb']:.0f} MiB")
    print(f"import (no analysis):         {res['n'] / res['seconds']:9.0f} articles/s "
          f"(target >= 5000), peak {res['peak_mb']:.0f} MiB, {res['seconds']:.1f} s "
          f"({wall:.1f} s with start-up); project file {project_mb:.0f} MiB")
    print(f"ratio import/baseline:        {base['seconds'] / res['seconds']:9.3f}")


if __name__ == "__main__":
    main()
