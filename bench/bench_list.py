"""The article list with 100,000 articles: open, refresh, jump, filter and search times.

    python bench/bench_list.py [--articles 100000]

Offscreen Qt. Builds a temporary project of short synthetic articles, opens the main window on
it and times what an analyst does with the list; the baseline is a bare count of the articles
in the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.store.db import open_project  # noqa: E402
from ui.app import make_app  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402


def timed(app, what: str, action) -> None:
    start = time.perf_counter()
    action()
    app.processEvents()
    print(f"{what:<34} {1000 * (time.perf_counter() - start):7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with open(tmp / "c.jsonl", "w") as fh:
            for i in range(args.articles):
                fh.write(json.dumps({"id": f"a{i}", "title": f"Article {i}",
                                     "text": f"Text {i} about trade and talks."}) + "\n")
        db = open_project(tmp / "list.quotebook")
        import_paths(db, [tmp / "c.jsonl"])
        app = make_app()
        timed(app, "baseline: count(*) of the articles",
              lambda: db.execute("SELECT count(*) FROM articles").fetchone())
        holder = {}
        timed(app, "open the window on the project", lambda: holder.update(
            w=MainWindow(db, tmp / "list.quotebook", analyst="bench")) or holder["w"].show())
        w = holder["w"]
        panel = w.articles
        timed(app, "refresh the list", panel.refresh)
        timed(app, f"jump to article {3 * args.articles // 4}",
              lambda: panel.select(3 * args.articles // 4))
        timed(app, "filter: my status done", lambda: panel.status_box.setCurrentIndex(
            panel.status_box.findData("done")))
        panel.status_box.setCurrentIndex(0)
        for words in ("trade", str(args.articles - 1)):
            panel.search_box.setText(words)
            timed(app, f"search {words!r}", panel._apply_filters)
        w.close()
        db.close()


if __name__ == "__main__":
    main()
