"""Several writers on one project: two analysts editing plus an import, against one analyst
alone, in the same run.

    python bench/bench_writers.py [--edits 150] [--articles 2000] [--dir FOLDER]

Each editor is a process (``tests/writer_proc.py edit``) adding quotes and setting their
note in its own layer, as the window does; every edit is its own transaction on disk
(synchronous = FULL). "alone": one editor, nothing else. "together": two editors and
``main.py import`` of ARTICLES JSONL records (``--no-analyze``) started at once; the editors
go on until the import is over and they have made their edits. Per editor: edits per second,
median, p95 and slowest edit, and the edits that failed (``database is locked``...).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WRITER = ROOT / "tests" / "writer_proc.py"

from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.project import SAMPLE_CORPUS, open_or_default  # noqa: E402


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *map(str, args)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_ready(proc: subprocess.Popen, lines: list) -> None:
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"editor ended before READY: {proc.stderr.read()[-1000:]}")
        lines.append(line.rstrip("\n"))
        if line.startswith("READY"):
            return


def summary(lines: list, seconds_limit: float) -> dict:
    ms = [float(line.split()[-1]) for line in lines if line.startswith(("ACK ", "NOTE "))]
    fails = sum(1 for line in lines if line.startswith("FAIL"))
    end = [line for line in lines if line.startswith("END ")]
    seconds = float(end[0].split()[3]) if end else seconds_limit
    ms_sorted = sorted(ms) or [float("nan")]
    return {"edits": len(ms), "failed": fails, "per_s": len(ms) / seconds if seconds else 0,
            "median": statistics.median(ms_sorted),
            "p95": ms_sorted[min(len(ms_sorted) - 1, int(0.95 * len(ms_sorted)))],
            "max": ms_sorted[-1]}


def editor_args(path, name, edits, stop=None):
    args = [WRITER, "edit", path, "--analyst", name, "--seconds", "120",
            "--max-failures", "100000"]
    return args + (["--count", str(edits * 20), "--until", stop, "--min", str(edits)]
                   if stop else ["--count", str(edits)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=150, help="quotes each editor adds (each "
                    "is two edits: add, then set its note)")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--dir", help="where to put the project (default: a temporary folder; "
                    "pick one on the disk you care about, /tmp may be in memory)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        tmp = Path(tmp)
        path = tmp / "bench.quotebook"
        db, _ = open_or_default(path)
        import_paths(db, [SAMPLE_CORPUS])
        db.close()
        bulk = tmp / "bulk.jsonl"
        with open(bulk, "w", encoding="utf-8") as fh:
            for i in range(args.articles):
                text = (f"Report {i}. “We will not accept plan {i},” said Minister Anna Berg. "
                        f"Officials told reporters that trade fell by {i % 40} percent. ") * 8
                fh.write(json.dumps({"id": f"b{i}", "title": f"B {i}", "text": text}) + "\n")

        rows = []
        # one editor alone
        lines: list = []
        alone = start(*editor_args(path, "solo", args.edits))
        wait_ready(alone, lines)
        out, err = alone.communicate(timeout=300)
        lines += out.splitlines()
        rows.append(("alone", "solo", summary(lines, 120), alone.returncode))

        # two editors and an import
        stop = tmp / "stop"
        editors = {name: start(*editor_args(path, name, args.edits, stop))
                   for name in ("alice", "bob")}
        seen = {name: [] for name in editors}
        for name, proc in editors.items():
            wait_ready(proc, seen[name])
        t = time.perf_counter()
        importer = start(ROOT / "main.py", "import", bulk, "--no-analyze", "--project", path)
        imp_out, imp_err = importer.communicate(timeout=600)
        import_s = time.perf_counter() - t
        stop.touch()
        for name, proc in editors.items():
            out, err = proc.communicate(timeout=300)
            seen[name] += out.splitlines()
            rows.append(("together", name, summary(seen[name], 120), proc.returncode))

    print(f"{args.edits} quotes per editor (add + note = {2 * args.edits} edits); import of "
          f"{args.articles} articles beside the two editors: {import_s:.2f} s, exit "
          f"{importer.returncode}" + (f" ({imp_err.strip().splitlines()[-1]})"
                                      if importer.returncode else ""))
    print(f"{'run':<9} {'editor':<6} {'edits':>6} {'failed':>6} {'edits/s':>8} "
          f"{'median ms':>9} {'p95 ms':>7} {'max ms':>8} {'exit':>4}")
    for run, name, s, code in rows:
        print(f"{run:<9} {name:<6} {s['edits']:>6} {s['failed']:>6} {s['per_s']:>8.1f} "
              f"{s['median']:>9.2f} {s['p95']:>7.2f} {s['max']:>8.1f} {code:>4}")
    solo = rows[0][2]
    together = [r[2] for r in rows[1:]]
    print(f"together/alone: edits/s x{sum(s['per_s'] for s in together) / solo['per_s']:.2f} "
          f"(both editors), slowest edit {max(s['max'] for s in together):.1f} ms against "
          f"{solo['max']:.1f} ms alone")


if __name__ == "__main__":
    main()
