"""Export: articles/s and peak memory for 10,000 coded articles (native JSONL and the others).

    python bench/bench_export.py [--articles 10000] [--words 250] [--formats jsonl,csv,...]

Builds a project of synthetic articles, each with 8 entities and 3 coded quotes (speaker,
cue, topic, position; one split in two fragments). Each measurement runs in a fresh child
process that reports its time and peak resident memory:

- baseline: a plain loop that reads every article row and writes ``json.dumps`` of its text and
  metadata (the least any JSONL export must do), so the ratio shows what entities, quotes and
  the filter cost;
- the native JSONL export of every article, and of a quarter of them (a date filter), to show
  that memory does not grow with the corpus;
- then each other format asked for.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from synthetic import build  # noqa: E402  (the project the streaming tests use too)

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
mode, project, out, date_to = sys.argv[1:5]
from annotator.store.db import open_project
db = open_project(project, create=False)
start, cpu = time.perf_counter(), time.process_time()
if mode == "baseline":
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for row in db.execute("SELECT hash, text, title, outlet, published FROM articles "
                              "ORDER BY id"):
            fh.write(json.dumps({{"id": row[0], "text": row[1], "meta": {{
                "title": row[2], "outlet": row[3], "published": row[4]}}}},
                ensure_ascii=False) + "\n")
            n += 1
else:
    from annotator.selection import Selection
    from annotator.export import export
    if mode == "prodigy":  # spaCy's import and the tokenizer, timed apart (inside the total)
        from annotator.export.tokens import offsets_tokenizer
        offsets_tokenizer()
    setup = time.perf_counter() - start
    filters = Selection(date_to=date_to or None)
    export(db, mode, out, filters=filters)
    n = filters.resolve(db).article_count()
elapsed = time.perf_counter() - start
print(json.dumps({{"n": n, "seconds": elapsed, "setup": locals().get("setup", 0.0),
                  "cpu": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

def child(mode: str, project: Path, out: Path, date_to: str = "") -> dict:
    res = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), mode,
                          str(project), str(out), date_to], capture_output=True, text=True)
    if res.returncode:
        raise SystemExit(res.stderr)
    return json.loads(res.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--words", type=int, default=250)
    ap.add_argument("--formats", default="prodigy,spacy,brat,csv,network",
                    help="other formats to time after jsonl (comma-separated, or '')")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = tmp / "bench.quotebook"
        t0 = time.perf_counter()
        build(project, args.articles, args.words)
        print(f"{args.articles} synthetic articles of ~{args.words} words, 8 entities and 3 "
              f"coded quotes each (built in {time.perf_counter() - t0:.0f} s)")
        base = child("baseline", project, tmp / "base.jsonl")
        full = child("jsonl", project, tmp / "full.jsonl")
        quarter = child("jsonl", project, tmp / "quarter.jsonl", date_to="2026-03-31")
        size = (tmp / "full.jsonl").stat().st_size / 2**20
        print(f"baseline (rows -> json.dumps):  {base['n'] / base['seconds']:8.0f} articles/s, "
              f"peak {base['peak_mb']:.0f} MiB")
        print(f"jsonl export, all:             {full['n'] / full['seconds']:8.0f} articles/s "
              f"(target >= 2000), peak {full['peak_mb']:.0f} MiB, {full['seconds']:.2f} s, "
              f"{size:.0f} MiB written")
        print(f"jsonl export, a quarter:       {quarter['n'] / quarter['seconds']:8.0f} "
              f"articles/s ({quarter['n']} articles), peak {quarter['peak_mb']:.0f} MiB")
        print(f"ratio jsonl/baseline speed:    {base['seconds'] / full['seconds']:8.3f}")
        print(f"peak memory all/quarter:       {full['peak_mb'] / quarter['peak_mb']:8.3f}")
        for fmt in filter(None, args.formats.split(",")):
            res = child(fmt, project, tmp / f"out-{fmt}")
            print(f"{fmt + ' export, all:':31s}{res['n'] / res['seconds']:8.0f} articles/s, "
                  f"peak {res['peak_mb']:.0f} MiB, {res['seconds']:.2f} s; speed "
                  f"{full['seconds'] / res['seconds']:.3f} of jsonl's; per CPU second "
                  f"{res['n'] / res['cpu']:.0f} articles, {full['cpu'] / res['cpu']:.3f} of "
                  "jsonl's")
            if fmt == "prodigy":  # target >= 1,000/s; spaCy's start is in the total
                part = child(fmt, project, tmp / "quarter-prodigy", date_to="2026-03-31")
                work = res["seconds"] - res["setup"]
                print(f"{'  after spaCy started:':31s}{res['n'] / work:8.0f} articles/s "
                      f"(spaCy's import and tokenizer {res['setup']:.2f} s)")
                print(f"{'  a quarter:':31s}{part['n'] / part['seconds']:8.0f} articles/s, "
                      f"peak {part['peak_mb']:.0f} MiB; peak all/quarter "
                      f"{res['peak_mb'] / part['peak_mb']:.3f}")


if __name__ == "__main__":
    main()
