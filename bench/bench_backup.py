"""What the automatic daily backup costs on a large project.

    python bench/bench_backup.py [--articles 100000] [--words 250]

Builds a project of synthetic articles (imported without analysis), then times, each in a
fresh child process: opening the project (the baseline: what every open costs anyway),
SQLite's ``quick_check``, the online backup, and, as a second baseline in the same run, a
plain file copy of the project with ``cp`` (what any backup must at least cost).
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
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from bench_import import write_corpus  # noqa: E402

CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from annotator.store.db import open_project
from annotator.store import backups
mode, project = sys.argv[1:3]
t0 = time.perf_counter()
db = open_project(project, create=False)
opened = time.perf_counter() - t0
t1 = time.perf_counter()
if mode == "check":
    assert backups.quick_check(db) is None
elif mode == "backup":
    backups.make_backup(db, project)
elif mode == "import":
    from annotator.corpus.importing import import_paths
    import_paths(db, [sys.argv[3]])
print(json.dumps({{"open": opened, "seconds": time.perf_counter() - t1}}))
db.close()
"""


def child(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), *args],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=250)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src, project = tmp / "corpus.jsonl", tmp / "big.quotebook"
        write_corpus(src, args.articles, args.words)
        from annotator.store.db import open_project
        open_project(project).close()
        child("import", str(project), str(src))
        mib = project.stat().st_size / 2**20
        opened = child("open", str(project))["open"]
        check = child("check", str(project))["seconds"]
        t0 = time.perf_counter()
        subprocess.run(["cp", str(project), str(tmp / "copy.bin")], check=True)
        cp = time.perf_counter() - t0
        back = child("backup", str(project))["seconds"]
        print(f"project of {args.articles:,} articles: {mib:,.0f} MiB")
        print(f"{'step':<28}{'seconds':>9}{'x cp':>8}")
        for name, secs in (("open (every open)", opened), ("cp of the file (baseline)", cp),
                           ("quick_check", check), ("online backup (check + copy)", back)):
            print(f"{name:<28}{secs:>9.2f}{secs / cp:>8.1f}")


if __name__ == "__main__":
    main()
