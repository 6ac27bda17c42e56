"""DNA 3 databases: import and export speed against the native JSONL of the same project.

    python bench/bench_dna.py [--articles 2000] [--words 250]

Builds a project of synthetic coded articles (``tests/synthetic.py``: 3 quotes each, with
speakers, topics and positions), exports it as native JSONL and as a DNA 3 database, then
imports each into a fresh project (no analysis). Every step runs in a fresh child process; the
figures are articles/s and the DNA / JSONL ratio measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from synthetic import build  # noqa: E402

CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
mode, project, path = sys.argv[1:4]
from annotator.store.db import open_project
db = open_project(project)
start = time.perf_counter()
if mode.startswith("export-"):
    from annotator.export import export
    export(db, mode[len("export-"):], path)
    n = db.execute("SELECT count(*) FROM articles").fetchone()[0]
else:
    from annotator.corpus.importing import import_paths
    report = import_paths(db, [path])
    n = report.imported
    assert report.quotes, report.summary()
print(json.dumps({{"n": n, "seconds": time.perf_counter() - start}}))
"""


def child(mode: str, project: Path, path: Path) -> dict:
    res = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), mode,
                          str(project), str(path)], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--words", type=int, default=250)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "source.quotebook"
        build(source, args.articles, args.words)
        rows = {}
        for fmt, suffix in (("jsonl", ".jsonl"), ("dna", ".dna")):
            out = tmp / f"corpus{suffix}"
            rows[f"export {fmt}"] = child(f"export-{fmt}", source, out)
            rows[f"import {fmt}"] = child("import", tmp / f"in-{fmt}.quotebook", out)
        for name, r in rows.items():
            print(f"{name:14} {r['n'] / r['seconds']:9,.0f} articles/s ({r['seconds']:.2f} s)")
        for step in ("export", "import"):
            ratio = rows[f"{step} dna"]["seconds"] / rows[f"{step} jsonl"]["seconds"]
            print(f"{step}: DNA takes {ratio:.2f} x the time of native JSONL")


if __name__ == "__main__":
    main()
