"""A project at scale: the figures of issue 14 for the desk, ``stats`` and import.

    python bench/bench_scale.py --articles N [--keep PATH] [--only desk|stats|import]
                                [--rounds 3] [--import-chunk 20000] [--import-rounds 3]

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
  as ``quotebook import --no-analyze``) of ``--import-chunk`` new articles into a project of
  100,000 and into a copy of the project measured (N articles), alternating, best of
  ``--import-rounds``: the rate at N over the rate at 100,000 (target >= 0.9); the baseline
  is JSON parsing of the same file. ``BENCH_TMP`` chooses the folder of the copies.
- ``--only whole-import``: the issue's own figure, a whole corpus of N articles imported into
  a new project against a corpus of 100,000 (best of ``--import-rounds``, alternating).
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


def _copy(source: Path, target: Path) -> None:
    """A copy of a project through SQLite's backup API (never a file copy)."""
    src, dest = sqlite3.connect(str(source)), sqlite3.connect(str(target))
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()


def import_figures(path: Path, n: int, folder: Path, chunk: int, rounds: int) -> None:
    """The import rate into a project of 100,000 articles and into one of ``n`` (a copy of
    the project measured): ``chunk`` new articles each time, in fresh processes, the two
    alternating ``rounds`` times (the best of each: the machine is shared)."""
    small = folder / "small.quotebook"
    build(small, 100_000, log=lambda *_: None)
    big = folder / "big.quotebook"
    if n > 100_000:
        _copy(path, big)
    rates: dict[str, list[float]] = {"small": [], "big": []}
    base = []
    for r in range(rounds):
        src = folder / f"new{r}.jsonl"
        size = write_jsonl(src, chunk, seed=2, start=10_000_000 + r * chunk)
        base.append(chunk / child("read", src, folder / "unused")["seconds"])
        for name, project in (("small", small), ("big", big)):
            if name == "big" and n <= 100_000:
                continue
            res = child("import", src, project)
            assert res["n"] == chunk, res
            rates[name].append(chunk / res["seconds"])
    print(f"import {chunk:,} new articles ({size / 2**20:.0f} MiB JSONL) without analysis, "
          f"best of {rounds}; baseline JSON parse {max(base):,.0f}/s")
    small_rate = max(rates["small"])
    print(f"  into 100,000 articles: {small_rate:,.0f}/s (x{small_rate / max(base):.3f} of the "
          f"baseline; all: {', '.join(f'{x:,.0f}' for x in rates['small'])})")
    if rates["big"]:
        big_rate = max(rates["big"])
        print(f"  into {n:,} articles: {big_rate:,.0f}/s (all: "
              f"{', '.join(f'{x:,.0f}' for x in rates['big'])}); ratio to 100,000: "
              f"{big_rate / small_rate:.2f} (target >= 0.9)")


def whole_import_figures(n: int, folder: Path, rounds: int) -> None:
    """The issue's own figure: a whole corpus of ``n`` articles imported into a new project
    against one of 100,000 (fresh processes; the 100,000 run before and after the big one,
    best of those), each next to its JSON parse baseline."""
    small_src, big_src = folder / "whole-100k.jsonl", folder / "whole-big.jsonl"
    write_jsonl(small_src, 100_000, seed=3)
    write_jsonl(big_src, n, seed=3)
    small, big = [], []
    peak = {100_000: 0.0, n: 0.0}   # MiB resident, the most of any run

    def one(src: Path, k: int, into: list) -> None:
        project = folder / "whole.quotebook"
        for p in folder.glob("whole.quotebook*"):
            p.unlink()
        res = child("import", src, project)
        assert res["n"] == k, res
        into.append(k / res["seconds"])
        peak[k] = max(peak[k], res["peak_mb"])

    for r in range(rounds):
        one(small_src, 100_000, small)
        one(big_src, n, big)
    one(small_src, 100_000, small)
    base_small = 100_000 / child("read", small_src, folder / "unused")["seconds"]
    base_big = n / child("read", big_src, folder / "unused")["seconds"]
    print(f"whole import into a new project, without analysis (best of {rounds}, alternating):")
    print(f"  100,000 articles: {max(small):,.0f}/s (all: "
          f"{', '.join(f'{x:,.0f}' for x in small)}); JSON parse {base_small:,.0f}/s; "
          f"peak {peak[100_000]:,.0f} MiB")
    print(f"  {n:,} articles: {max(big):,.0f}/s (all: {', '.join(f'{x:,.0f}' for x in big)}); "
          f"JSON parse {base_big:,.0f}/s; peak {peak[n]:,.0f} MiB")
    print(f"  ratio to 100,000: {max(big) / max(small):.2f} (target >= 0.9)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--keep", help="the project to build once and measure (reused when there)")
    ap.add_argument("--import-chunk", type=int, default=20_000,
                    help="new articles imported each time through the real import path")
    ap.add_argument("--import-rounds", type=int, default=3)
    ap.add_argument("--no-import", action="store_true")
    ap.add_argument("--only", choices=("desk", "stats", "import", "whole-import"),
                    help="whole-import: a corpus of N imported into a new project against "
                         "100,000 (no project built)")
    ap.add_argument("--rounds", type=int, default=3, help="best of (default 3)")
    args = ap.parse_args()
    global ROUNDS
    ROUNDS = args.rounds
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        if args.only == "whole-import":
            return whole_import_figures(args.articles, Path(tmp), args.import_rounds)
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
            import_figures(path, have, Path(tmp), args.import_chunk, args.import_rounds)


if __name__ == "__main__":
    main()
