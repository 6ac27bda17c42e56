"""The desk's speed: open a big article with all highlights; key press to quote on disk.

    python bench/bench_desk.py [--words 10000] [--entities 1000] [--quotes 100] [--tags 100]

Offscreen Qt. Opening = load the article into the view and quote panel and paint once; the
baseline in the same run is showing the same text with no highlights. Tagging = from the Q key
press (selection already made) to the quote committed in the project file; the baseline is one
raw INSERT + COMMIT of a quote row on the same database, right after each key press; their
ratio (median and p95) is the figure to watch: it does not depend on the disk's speed. It is
given twice: to the window redrawn (the key press handled: the edit is committed, then the
article, its quotes and the list are shown again) and to the edit committed (when the
command's ``apply`` returned, its transaction on disk).

    --dir FOLDER puts the project there (default: a temporary folder, which may be in memory).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.editing import commands
from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.project import open_or_default  # noqa: E402
from annotator.editing.edits import add_quote  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

WORDS = ("the minister said talks would resume after sanctions were lifted and officials "
         "told reporters that trade fell sharply as voters in the capital waited").split()


def build(folder: Path, words: int, entities: int, quotes: int):
    rnd = random.Random(3)
    paras = []
    for p in range(words // 100):
        paras.append(" ".join(rnd.choice(WORDS) for _ in range(100)) + " 🎉.")
    text = "\n\n".join(paras)
    src = folder / "big.txt"
    src.write_text(text, encoding="utf-8")
    db, path = open_or_default(folder / "bench.quotebook")
    import_paths(db, [src])
    aid = 1
    starts = sorted(rnd.sample(range(0, len(text) - 20), entities))
    rows = [(aid, s, s + 8, rnd.choice(["PERSON", "ORG", "GPE", "DATE"])) for s in starts]
    db.conn.executemany('INSERT INTO entities(article_id, start, "end", label) VALUES (?,?,?,?)',
                        rows)
    db.execute("UPDATE articles SET analyzed_at = 'x'")
    db.conn.commit()
    step = len(text) // (quotes + 1)
    for i in range(quotes):
        add_quote(db, article_id=aid, layer="bench", fragments=[(i * step, i * step + 120)])
    return db, path, text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--entities", type=int, default=1_000)
    ap.add_argument("--quotes", type=int, default=100)
    ap.add_argument("--tags", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--dir", help="where to put the project (default: a temporary folder)")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        db, path, text = build(Path(tmp), args.words, args.entities, args.quotes)
        win = MainWindow(db, path, analyst="bench")
        win.resize(1280, 800)
        win.show()
        app.processEvents()
        view = win.article_view
        opens, plains = [], []
        for _ in range(args.rounds):
            view.show_article("", [], [], [])
            app.processEvents()
            t = time.perf_counter()
            win.annotation.load(1)
            view.viewport().repaint()
            opens.append(time.perf_counter() - t)
            view.show_article("", [], [], [])
            app.processEvents()
            t = time.perf_counter()
            view.setPlainText(text)
            view.viewport().repaint()
            plains.append(time.perf_counter() - t)
        win.annotation.load(1)
        n_ent, n_q = len(view.entities), len(win.annotation.quotes)
        view.setFocus()
        tags, disks, raws = [], [], []
        committed: list = []  # when each edit's apply returned: its transaction is committed
        plain_apply = commands.Command.apply

        def timed_apply(self, db):
            change = plain_apply(self, db)
            committed.append(time.perf_counter())
            return change

        commands.Command.apply = timed_apply
        spans = [(i * 97 + 50, i * 97 + 90) for i in range(args.tags)]
        for s, e in spans:
            view.setFocus()  # as the mouse selection gives it (tagging moves it to the speaker)
            view.select_span(s, e)
            before = len(committed)
            t = time.perf_counter()
            QTest.keyClick(view, Qt.Key_Q)
            tags.append(time.perf_counter() - t)
            assert len(committed) == before + 1
            disks.append(committed[-1] - t)
            t = time.perf_counter()
            db.execute("INSERT INTO quotes(uuid, article_id, layer_id, start, \"end\", created, "
                       "updated) VALUES (?, 1, 1, ?, ?, 'x', 'x')", [f"raw-{s}", s, e])
            db.conn.commit()
            raws.append(time.perf_counter() - t)
        stored = db.execute("SELECT count(*) FROM quotes q JOIN layers l ON l.id = q.layer_id "
                            "WHERE l.name = 'bench' AND q.uuid NOT LIKE 'raw-%'").fetchone()[0]
        assert stored == args.quotes + args.tags, stored
        commands.Command.apply = plain_apply
        win.close()
        db.close()
    ms = lambda xs: 1000 * statistics.median(xs)  # noqa: E731
    p95 = lambda xs: 1000 * sorted(xs)[min(len(xs) - 1, int(0.95 * len(xs)))]  # noqa: E731
    print(f"article of {args.words} words, {n_ent} entities, {n_q} quotes; median of "
          f"{args.rounds}")
    print(f"open with all highlights: {ms(opens):7.1f} ms (target < 100); plain text only "
          f"{ms(plains):.1f} ms; ratio {statistics.median(opens) / statistics.median(plains):.2f}")
    print(f"Q key to quote on disk:   {ms(tags):7.1f} ms median, {1000 * max(tags):.1f} ms max "
          f"over {args.tags} (target < 20 median); raw INSERT+COMMIT {ms(raws):.2f} ms")
    for what, xs in (("key to window redrawn", tags), ("key to edit committed", disks)):
        print(f"{what} / raw INSERT+COMMIT: median {ms(xs):.2f} / {ms(raws):.2f} ms = "
              f"x{statistics.median(xs) / statistics.median(raws):.1f}; p95 {p95(xs):.2f} / "
              f"{p95(raws):.2f} ms = x{p95(xs) / p95(raws):.1f} (target < x20)")


if __name__ == "__main__":
    main()
