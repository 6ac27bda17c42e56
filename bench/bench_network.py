"""The discourse network at scale: a realistic sparse network and the dense worst case.

    python bench/bench_network.py [PROJECT]     # default /work/scale-data/1m.quotebook

PROJECT is opened read-only (``bench/bench_scale.py`` builds the 1M-article corpus: 600,000
coded quotes by 2,000 speakers on ten topics; nine are sparse, about 220 speakers each, and
one, Sanctions, is dense: every speaker takes a position on it). Printed for the sparse
network (the nine topics) and the dense one (every topic): the baseline (a bare SQLite
grouping of the same quotes by speaker and position), the whole network (ties of every
weight), the view's graph (300 speakers, 3,000 ties) with its layout, and the streamed
export (time, files' size and the process's peak memory, measured in a child process).
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.export.network_files import export_network  # noqa: E402
from annotator.insights.layout import force_layout  # noqa: E402
from annotator.insights.network import discourse_network  # noqa: E402
from annotator.selection import Selection  # noqa: E402
from annotator.store.db import ProjectDatabase  # noqa: E402

DEFAULT = Path("/work/scale-data/1m.quotebook")
VIEW_SPEAKERS, VIEW_TIES = 300, 3000  # ui/network_view.py's MAX_SPEAKERS and MAX_TIES


def read_only(path: Path) -> ProjectDatabase:
    db = ProjectDatabase(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    db.execute("PRAGMA cache_size = -65536")
    return db


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def sparse_topics(db) -> tuple[str, ...]:
    """Every topic but the one with the most speakers (the dense one)."""
    rows = db.execute("SELECT t.name, count(DISTINCT q.speaker_id) FROM quotes q "
                      "JOIN topics t ON t.id = q.topic_id GROUP BY t.id ORDER BY 2").fetchall()
    return tuple(name for name, _n in rows[:-1])


def export_child(path: Path, topics: list[str]) -> dict:
    """Run in a fresh process: the export's time, size and the process's peak memory."""
    db = read_only(path)
    out = Path(tempfile.mkdtemp(prefix="bench-network-")) / "net"
    try:
        _net, seconds = timed(lambda: export_network(db, out, filters=Selection(topics=topics)))
        size = sum(p.stat().st_size for p in out.iterdir())
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    return {"seconds": seconds, "bytes": size,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def case(path: Path, db, name: str, topics: tuple[str, ...]) -> None:
    f = Selection(topics=topics)
    where = f"topic_id IN (SELECT id FROM topics WHERE name IN ({','.join('?' * len(topics))}))"
    base = min(timed(lambda: db.execute(
        f"SELECT speaker_id, position_id, count(*) FROM quotes WHERE status != 'rejected' "
        f"AND {where} GROUP BY 1, 2", list(topics)).fetchall())[1] for _ in range(3))
    net, whole = timed(lambda: discourse_network(db, f))
    view, view_t = timed(lambda: discourse_network(db, f, top=VIEW_TIES,
                                                   speakers=VIEW_SPEAKERS))
    nodes = [n for n, _ in view.congruence.nodes]
    _pos, layout_t = timed(lambda: force_layout(
        nodes, [(s, t, a["weight"]) for s, t, a in view.congruence.edges]))
    child = subprocess.run([sys.executable, __file__, "--export-child", str(path), *topics],
                           capture_output=True, text=True, check=True)
    exp = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"{name}: {net.all_speakers:,} speakers, {len(net.congruence.edges):,} congruence "
          f"and {len(net.conflict.edges):,} conflict ties")
    print(f"  baseline (group the quotes by speaker and position) {base:6.2f} s")
    print(f"  whole network (every tie, as arrays)                {whole:6.2f} s  "
          f"x {whole / base:.1f}  (target < 5 s)")
    print(f"  the view's graph ({VIEW_SPEAKERS} speakers, {VIEW_TIES:,} ties)        "
          f"{view_t:6.2f} s  x {view_t / base:.1f}; layout {layout_t:.2f} s")
    print(f"  network export, streamed                            {exp['seconds']:6.2f} s  "
          f"x {exp['seconds'] / base:.1f}; {exp['bytes'] / 2**20:,.0f} MiB written, "
          f"peak memory {exp['peak_mib']:.0f} MiB")


def main() -> None:
    if sys.argv[1:2] == ["--export-child"]:
        print(json.dumps(export_child(Path(sys.argv[2]), sys.argv[3:])))
        return
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        sys.exit(f"{path}: no such project (build it with bench/bench_scale.py)")
    db = read_only(path)
    print(f"{path} ({path.stat().st_size / 2**30:.1f} GiB), {os.cpu_count()} cores")
    sparse = sparse_topics(db)
    every = tuple(r[0] for r in db.execute("SELECT name FROM topics"))
    case(path, db, "sparse network (every topic but the densest)", sparse)
    case(path, db, "dense worst case (every topic)", every)


if __name__ == "__main__":
    main()
