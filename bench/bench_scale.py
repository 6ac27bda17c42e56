"""A project at scale: the figures of issue 14 for the desk, ``stats`` and import.

    python bench/bench_scale.py --articles N [--keep PATH] [--import N] [--no-import]

Builds the synthetic corpus of ``bench/scale_corpus.py`` (N articles of ~245 words, 40
outlets, 3 years, 0.6 coded quotes per article by 2,000 speakers, dense and sparse topics) by
bulk inserts, or reuses the project at ``--keep PATH`` when it is there (built there when not).
Then, warm (the project file in the page cache), each operation next to a baseline measured in
the same run: a bare SQLite read of the same rows on a plain connection.

- open the window until the article list shows its first rows (offscreen Qt);
- jump to row 0.9 N (select the article there, rows painted);
- search the common word ``sanctions`` (~42% of the articles), also typed with the row at
  0.9 N selected; status filter "done";
- ``stats`` and ``stats --by speaker,position`` (the CLI's handlers, output to /dev/null);
- import without analysis through the real import path (``import_paths`` in a fresh process,
  as ``quotebook import --no-analyze``): ``--import M`` articles (default 100,000; the issue's
  large figure is ``--import 1000000``) into a new project; the rate of the first and of the
  last 10% (ratio: the target is >= 0.9), the baseline being JSON parsing of the same file.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_import import child  # noqa: E402
from scale_corpus import COMMON_WORD, LAYER, build, write_jsonl  # noqa: E402

ROUNDS = 3


def best(fn) -> float:
    """The fastest of ROUNDS runs of ``fn``, in ms."""
    times = []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * min(times)


def line(what: str, ms: float, base_ms: float, target: str) -> None:
    print(f"{what:<44} {ms:9.1f} ms   baseline {base_ms:8.1f} ms   x{ms / max(base_ms, 1e-3):7.1f}"
          f"   target {target}")


def desk_figures(path: Path, n: int) -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.store.db import open_project
    from ui.main_window import MainWindow
    app = QApplication.instance() or QApplication([])
    raw = sqlite3.connect(str(path))
    page = "SELECT id, title, outlet, published FROM articles WHERE id >= ? ORDER BY id LIMIT 256"
    base_page = lambda first: best(lambda: raw.execute(page, [first]).fetchall())  # noqa: E731
    # open the window until the list shows: in a fresh window each time
    opened, holder = [], {}
    for _ in range(ROUNDS):
        db = open_project(path)
        t = time.perf_counter()
        w = MainWindow(db, path, analyst=LAYER)
        w.show()
        app.processEvents()
        assert w.articles.model.rowCount() > 0 and w.articles.model.row(0)
        opened.append(1000 * (time.perf_counter() - t))
        if holder:
            w.close()
            db.close()
        else:
            holder.update(w=w, db=db)
    line("open the window until the list shows", min(opened), base_page(1), "< 500 ms")
    w = holder["w"]
    panel = w.articles
    deep = int(0.9 * n)
    deep_id = panel.model.row(deep)["id"] if panel.model.row(deep) else deep + 1

    def jump():
        panel.model.refresh()  # a new list each time: nothing cached from the last round
        assert panel.select(deep_id)
        app.processEvents()
    line(f"jump to row {deep:,}", best(jump), base_page(deep_id), "< 100 ms")

    search_sql = ("SELECT a.id, a.title, a.outlet, a.published FROM articles a WHERE a.id IN "
                  "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT 256)")
    base_search = best(lambda: raw.execute(search_sql, [COMMON_WORD]).fetchall())
    hits = raw.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                       [COMMON_WORD]).fetchone()[0]

    def search(select_deep: bool):
        def run():
            panel.search_box.blockSignals(True)
            panel.search_box.clear()
            panel._apply_filters()
            if select_deep:
                panel.select(deep_id, emit=False)
            panel.search_box.setText(COMMON_WORD)
            panel.search_box.blockSignals(False)
            t = time.perf_counter()
            panel._apply_filters()
            app.processEvents()
            assert panel.model.rowCount() > 0 and panel.model.row(0)
            return 1000 * (time.perf_counter() - t)
        return min(run() for _ in range(ROUNDS))
    line(f"search '{COMMON_WORD}' ({hits:,} hits): first rows", search(False), base_search,
         "< 100 ms")
    line("  the same, typed with a deep row selected", search(True), base_search, "< 100 ms")
    panel.search_box.clear()
    panel._apply_filters()
    done_sql = ("SELECT a.id, a.title, a.outlet, a.published FROM articles a JOIN article_status "
                "s ON s.article_id = a.id WHERE s.status = 'done' ORDER BY a.id LIMIT 256")
    base_done = best(lambda: raw.execute(done_sql).fetchall())
    done_box = panel.status_box.findData("done")

    def status_filter():
        panel.status_box.setCurrentIndex(0)
        t = time.perf_counter()
        panel.status_box.setCurrentIndex(done_box)
        app.processEvents()
        assert panel.model.row(0)
        return 1000 * (time.perf_counter() - t)
    line('status filter "done"', min(status_filter() for _ in range(ROUNDS)), base_done,
         "< 100 ms")
    panel.status_box.setCurrentIndex(0)
    w.close()
    holder["db"].close()
    raw.close()


def stats_figures(path: Path) -> None:
    from annotator.cli.main import run as cli
    raw = sqlite3.connect(str(path))
    base = best(lambda: raw.execute("SELECT speaker_id, position_id, layer_id, status "
                                    "FROM quotes").fetchall())
    out = sys.stdout
    try:
        sys.stdout = open(os.devnull, "w")
        plain = best(lambda: cli(["stats", "--project", str(path)]))
        by = best(lambda: cli(["stats", "--by", "speaker,position", "--format", "json",
                               "--project", str(path)]))
    finally:
        sys.stdout.close()
        sys.stdout = out
    line("stats (in process, the CLI's handler)", plain, base, "< 300 ms")
    line("stats --by speaker,position --format json", by, base, "< 300 ms")
    raw.close()


def _rate(marks, n: int, lo: float, hi: float) -> float:
    """Articles/s between the fractions ``lo`` and ``hi`` of the input (by bytes)."""
    t_lo = min((t for t, f in marks if f >= lo), default=0.0) if lo > 0 else 0.0
    t_hi = min(t for t, f in marks if f >= hi)
    f_lo = min((f for t, f in marks if f >= lo), default=0.0) if lo > 0 else 0.0
    f_hi = min(f for t, f in marks if f >= hi)
    return n * (f_hi - f_lo) / (t_hi - t_lo)


def import_figures(n: int, folder: Path) -> None:
    src = folder / "import.jsonl"
    size = write_jsonl(src, n, seed=2)
    base = child("read", src, folder / "unused")
    res = child("import", src, folder / "import.quotebook")
    assert res["n"] == n, res
    first, last = _rate(res["marks"], n, 0, 0.1), _rate(res["marks"], n, 0.9, 1.0)
    rate = n / res["seconds"]
    print(f"import {n:,} articles ({size / 2**20:.0f} MiB JSONL) without analysis: "
          f"{rate:,.0f}/s overall ({res['seconds']:.0f} s); baseline JSON parse "
          f"{n / base['seconds']:,.0f}/s (x{base['seconds'] / res['seconds']:.3f})")
    print(f"  first 10%: {first:,.0f}/s; last 10%: {last:,.0f}/s; ratio last/first "
          f"{last / first:.2f} (target >= 0.9)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--keep", help="the project to build once and measure (reused when there)")
    ap.add_argument("--import", dest="import_n", type=int, default=100_000,
                    help="articles to import through the real import path")
    ap.add_argument("--no-import", action="store_true")
    ap.add_argument("--only", choices=("desk", "stats", "import"))
    ap.add_argument("--rounds", type=int, default=3, help="best of (default 3)")
    args = ap.parse_args()
    global ROUNDS
    ROUNDS = args.rounds
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "scale.quotebook"
        if not path.exists():
            build(path, args.articles)
        have = sqlite3.connect(str(path)).execute("SELECT max(id) FROM articles").fetchone()[0]
        print(f"{have:,} articles in {path} ({path.stat().st_size / 2**30:.1f} GiB); "
              f"best of {ROUNDS}, warm")
        if args.only in (None, "desk"):
            desk_figures(path, have)
        if args.only in (None, "stats"):
            stats_figures(path)
        if args.only in (None, "import") and not args.no_import:
            import_figures(args.import_n, Path(tmp))


if __name__ == "__main__":
    main()
