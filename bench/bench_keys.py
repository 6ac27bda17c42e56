"""Key presses per gold quote, coding the sample project from the machine's suggestions.

    python bench/bench_keys.py

A fresh project of the bundled sample corpus, analysed with the real model, the default
codebook. Each gold quote (tests/data/sample_gold.json) is matched to a pending suggestion by
overlap (half of the shorter span or more); its speaker is right when it has the gold
speaker's name (--verbose lists the others). The keys counted follow the desk's keys (README,
"The annotation desk"): N to reach the next suggestion when the previous accept did not land
on it, R for each wrong suggestion passed on the way, one digit to accept with the position;
a wrong speaker adds S + 3 letters + Enter; a gold quote without a suggestion is tagged by hand:
the selection (mouse work, counted apart), Q, 3 letters of the speaker, Enter, the digit.

Then the same project is coded in the real window (offscreen, QTest): N on each article, then
the digit 1 on each suggestion (accept with that position, go on), N again when an accept did
not move; the keys pressed and the quotes accepted are printed as a check on the count.
APPROXIMATE: the wrong-speaker and by-hand costs are the model above (none occur on the sample
project); the window pass presses only N and digits.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.editing import desk  # noqa: E402
from annotator.editing.codebook import load_codebook  # noqa: E402
from annotator.nlp.analysis import analyze  # noqa: E402
from annotator.project import DEFAULT_CODEBOOK, SAMPLE_CORPUS, open_or_default  # noqa: E402
from annotator.store.db import ensure_layer  # noqa: E402

GOLD = ROOT / "tests" / "data" / "sample_gold.json"
LETTERS = 3  # letters typed before the completion is right
DEBUG = "--verbose" in sys.argv


def overlap(a, b) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def length(frags) -> int:
    return sum(e - s for s, e in frags)


def press_in_window(db, path) -> tuple[int, int]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    app = QApplication.instance() or QApplication([])
    win = MainWindow(db, path, analyst="bench-window")
    win.resize(1280, 800)
    win.show()
    app.processEvents()
    keys = 0
    for (aid,) in db.execute("SELECT id FROM articles ORDER BY id").fetchall():
        win.annotation.load(aid)
        app.processEvents()
        view = win.article_view
        view.setFocus()
        QTest.keyClick(view, Qt.Key_N)
        keys += 1
        while win.annotation.suggestions and keys < 1000:
            n = len(win.annotation.suggestions)
            QTest.keyClick(view, Qt.Key_1)
            keys += 1
            app.processEvents()
            if len(win.annotation.suggestions) == n:
                QTest.keyClick(view, Qt.Key_N)
                keys += 1
    accepted = db.execute("SELECT count(position_id) FROM quotes q JOIN layers l ON "
                          "l.id = q.layer_id WHERE l.name = 'bench-window'").fetchone()[0]
    win.close()
    app.processEvents()
    return keys, accepted


def main() -> None:
    t0 = time.perf_counter()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        db, _ = open_or_default(Path(tmp) / "keys.quotebook")
        import_paths(db, [SAMPLE_CORPUS])
        load_codebook(db, DEFAULT_CODEBOOK)
        analyze(db)
        layer = ensure_layer(db, "bench")
        sugg_layer = desk.layer_id(db, "suggestions") or next(
            (r[0] for r in db.execute("SELECT id FROM layers WHERE name LIKE '%suggest%'")), None)
        ids = dict(db.execute("SELECT source, id FROM articles").fetchall())
        groups = {"right": [], "speaker wrong": [], "by hand": []}
        rejects = selections = names = 0
        for art in gold["articles"]:
            sugg = desk.pending_suggestions(db, ids[art["id"]], layer, sugg_layer)
            used: set[int] = set()
            cursor = -1  # index of the suggestion the last accept moved to
            for q in sorted(art["quotes"], key=lambda q: q["fragments"][0][0]):
                frags = [tuple(f) for f in q["fragments"]]
                match = next((i for i, s in enumerate(sugg) if i not in used and
                              2 * overlap(frags, s["fragments"]) >=
                              min(length(frags), length(s["fragments"]))), None)
                if match is None:
                    selections += 1
                    groups["by hand"].append(1 + LETTERS + 1 + 1)
                    continue
                keys = 0 if match == cursor else 1  # N
                passed = [i for i in range(max(cursor, 0), match) if i not in used]
                rejects += len(passed)
                s = sugg[match]
                by_name = (s.get("speaker") or "").casefold() == q["speaker"].casefold()
                names += by_name
                if not by_name and DEBUG:
                    print("  speaker differs:", repr(s.get("speaker")), "gold", repr(q["speaker"]))
                right = by_name  # the right mention under another name is a wrong speaker
                keys += 1  # the digit
                if right:
                    groups["right"].append(keys)
                else:
                    groups["speaker wrong"].append(keys + 1 + LETTERS + 1)
                used.add(match)
                cursor = match + 1
        window = press_in_window(db, Path(tmp) / "keys.quotebook")
        db.close()
    print(f"{sum(len(a['quotes']) for a in gold['articles'])} gold quotes, sample corpus, "
          f"{time.perf_counter() - t0:.1f} s")
    print(f"{'group':<15} {'quotes':>6} {'mean keys':>9} {'max':>4}  target")
    for name, target in (("right", "1"), ("speaker wrong", "<= 6"), ("by hand", "report")):
        xs = groups[name]
        mean = f"{statistics.mean(xs):.2f}" if xs else "-"
        print(f"{name:<15} {len(xs):>6} {mean:>9} {max(xs, default=0):>4}  {target}")
    print(f"right speakers by name: {names}; also: {rejects} R on wrong suggestions passed, {selections} mouse selections")
    print(f"pressed in the window: {window[0]} keys, {window[1]} quotes accepted with a "
          f"position ({window[0] / max(window[1], 1):.2f} keys per quote)")
    print("Prodigy: one key per binary decision")


if __name__ == "__main__":
    main()
