"""The window stays responsive during an analysis: the longest event-loop stall.

    python bench/bench_stall.py [--articles 200]

Offscreen Qt. Imports PolNeAR train articles into a temporary project, opens the main window,
and runs its analysis (worker process, progress bar, list refreshes after each batch) while a
5 ms timer records the gaps between its ticks. The baseline is the same timer with the window
idle for 2 s in the same run. Target: longest stall under 100 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.project import open_or_default  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"


def gaps_while(app, until, limit_s: float) -> list[float]:
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    timer.start()
    deadline = time.perf_counter() + limit_s
    while not until() and time.perf_counter() < deadline:
        app.processEvents(QEventLoop.AllEvents, 50)
    timer.stop()
    return gaps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--trace", action="store_true", help="list every gap over 50 ms")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        db, path = open_or_default(Path(tmp) / "stall.quotebook")
        import_paths(db, sorted(TRAIN.glob("*.txt"))[:args.articles])
        win = MainWindow(db, path, analyst="bench")
        win.show()
        app.processEvents()
        start = time.perf_counter()
        idle = gaps_while(app, lambda: time.perf_counter() - start > 2, 3)
        finished = []
        win.runner.done.connect(lambda report: finished.append((True, report.summary())))
        win.runner.failed.connect(lambda message: finished.append((False, message)))
        t0 = time.perf_counter()
        win.start_analysis()
        busy = gaps_while(app, lambda: bool(finished), 900)
        elapsed = time.perf_counter() - t0
        assert finished and finished[0][0], finished
        win.close()
        db.close()
    ms = lambda x: 1000 * x  # noqa: E731
    if args.trace:
        at = 0.0
        for gap in busy:
            at += gap
            if gap > 0.05:
                print(f"  gap of {ms(gap):.0f} ms ending {at:.2f} s after the start")
    print(f"analysis of {args.articles} articles in the window: {elapsed:.1f} s "
          f"({finished[0][1]})")
    print(f"event-loop gaps while analysing: longest {ms(max(busy)):.1f} ms (target < 100), "
          f"p99 {ms(statistics.quantiles(busy, n=100)[98]):.1f} ms, {len(busy)} ticks")
    print(f"idle baseline, same timer:       longest {ms(max(idle)):.1f} ms, "
          f"p99 {ms(statistics.quantiles(idle, n=100)[98]):.1f} ms")


if __name__ == "__main__":
    main()
