"""Key presses per gold quote, coding the sample project from the machine's suggestions in the
real window (offscreen, QTest), pressing only what an analyst would.

    python bench/bench_keys.py [--verbose]

A fresh project of the bundled sample corpus, analysed with the real model, the default
codebook. Each article is opened (its first suggestion is current), then, suggestion by
suggestion in the text: one that matches no gold quote (tests/data/sample_gold.json; a match
overlaps half of the shorter span or more) gets R; one that matches gets, when its speaker is
not the gold speaker's name, S and the letters of the name until the completion highlights it
(Down to reach it when it is listed but not first; Shift+Enter creates it when it is not
registered yet, after the whole name), Enter, then the digit 1 (accept with that position,
go on). N when the current item is not a suggestion while some are left. Gold quotes without a
suggestion are tagged by hand: the selection (mouse work, counted apart), Q, the speaker as
above, the digit. The keys are charged to the gold quote they code; R on the way is reported
apart. Each group prints mean and max keys per quote against the issue's targets; a wrong
speaker counts apart whether the gold speaker is registered already (chosen in a few letters)
or new to the project (its name must be typed: the suggested name is edited when the new one
adds words to it, else typed whole).
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
from annotator.editing.codebook import load_codebook  # noqa: E402
from annotator.nlp.analysis import analyze  # noqa: E402
from annotator.project import DEFAULT_CODEBOOK, SAMPLE_CORPUS, open_or_default  # noqa: E402

GOLD = ROOT / "tests" / "data" / "sample_gold.json"
DEBUG = "--verbose" in sys.argv


def overlap(a, b) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def matches(gold, frags) -> bool:
    g = [tuple(f) for f in gold["fragments"]]
    size = min(sum(e - s for s, e in g), sum(e - s for s, e in frags))
    return 2 * overlap(g, frags) >= size


class Analyst:
    """Presses keys in the window and counts them."""

    def __init__(self, win, app):
        from PySide6.QtTest import QTest
        self.win, self.app, self.test, self.keys = win, app, QTest, 0

    def press(self, key, modifier=None, widget=None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication
        target = widget or QApplication.activePopupWidget() or QApplication.focusWidget() \
            or self.win.article_view
        self.test.keyClick(target, key, modifier or Qt.NoModifier)
        self.keys += 1
        self.app.processEvents()

    def choose_speaker(self, name: str, *, open_field: bool = True) -> None:
        """S, the letters of ``name`` until the completion highlights it, Enter."""
        from PySide6.QtCore import Qt
        panel = self.win.quote_panel
        if open_field:
            self.press(Qt.Key_S, widget=self.win.article_view)
        for ch in name:
            self.press(ch)
            highlighted = panel._highlighted()
            if highlighted and highlighted["name"] == name:
                self.press(Qt.Key_Return)
                return
            listed = [c["name"] for c in panel.choices]
            if name in listed and len(listed) <= 3:  # seen in the popup: Down to it
                current = listed.index(highlighted["name"]) if highlighted else -1
                for _ in range(listed.index(name) - current):
                    self.press(Qt.Key_Down)
                self.press(Qt.Key_Return)
                return
        self.press(Qt.Key_Return, Qt.ShiftModifier)  # a new speaker: the explicit choice

    def name_new_speaker(self, name: str, suggested: str) -> bool:
        """A name the project does not know yet that adds words to the suggested one
        (``Harbor Authority`` -> ``Port Elsin Harbor Authority``): S, Home, Ctrl+Right over
        the words kept before, the new words, Shift+Enter. False when it is no such edit."""
        from PySide6.QtCore import Qt
        sw, gw = suggested.split(), name.split()
        k = 0
        while k < len(sw) and k < len(gw) and sw[k].casefold() == gw[k].casefold():
            k += 1
        rest = sw[k:]
        if not rest and k == len(sw) or len(gw) <= len(sw) or \
                [w.casefold() for w in gw[len(gw) - len(rest):]] != [w.casefold() for w in rest]:
            return False
        self.press(Qt.Key_S, widget=self.win.article_view)
        self.press(Qt.Key_Home)
        for _ in range(k):
            self.press(Qt.Key_Right, Qt.ControlModifier)
        for ch in " ".join(gw[k:len(gw) - len(rest)]) + " ":
            self.press(ch)
        edit = self.win.quote_panel.speaker_edit
        if edit.text().strip() != name:  # the edit did not give the name: type it whole
            edit.selectAll()
            return False
        self.press(Qt.Key_Return, Qt.ShiftModifier)
        return True


def known(db, name: str) -> bool:
    """A registered speaker's name or alias."""
    return db.execute("SELECT 1 FROM speakers WHERE name = ? UNION SELECT 1 FROM "
                      "speaker_aliases WHERE alias = ?", [name, name]).fetchone() is not None


def code_article(analyst, aid, golds, groups, stats) -> None:
    from PySide6.QtCore import Qt
    win = analyst.win
    win.activateWindow()
    assert win.articles.select(aid)
    analyst.app.processEvents()
    win.article_view.setFocus()
    todo = sorted(golds, key=lambda q: q["fragments"][0][0])
    moves = 0  # N presses, charged to the gold quote they lead to
    while win.annotation.suggestions and analyst.keys < 5000:
        start = analyst.keys
        current = win.quote_panel.current()
        if not win.quote_panel.is_suggestion(current):
            analyst.press(Qt.Key_N, widget=win.article_view)
            moves += 1
            continue
        gold = next((g for g in todo if matches(g, current["fragments"])), None)
        if gold is None:
            analyst.press(Qt.Key_R, widget=win.article_view)
            stats["rejects"] += 1
            continue
        todo.remove(gold)
        right = (current.get("speaker") or "").casefold() == gold["speaker"].casefold()
        group = "right"
        if not right:
            if DEBUG:
                print(f"  speaker {current.get('speaker')!r}, gold {gold['speaker']!r}")
            group = "speaker registered" if known(win.db, gold["speaker"]) else "speaker new"
            if group == "speaker registered" or not analyst.name_new_speaker(
                    gold["speaker"], current.get("speaker") or ""):
                analyst.choose_speaker(gold["speaker"])
            win.article_view.setFocus()
        analyst.press(Qt.Key_1, widget=win.article_view)
        groups[group].append(analyst.keys - start + moves)
        if DEBUG and not right:
            print(f"    {analyst.keys - start + moves} keys")
        moves = 0
    for gold in todo:  # no suggestion: tagged by hand
        start = analyst.keys
        (s, e), *rest = gold["fragments"]
        win.article_view.setFocus()
        win.article_view.select_span(s, e)
        stats["selections"] += 1 + len(rest)
        analyst.press(Qt.Key_Q, widget=win.article_view)
        analyst.choose_speaker(gold["speaker"], open_field=False)  # Q opens the field
        win.article_view.setFocus()
        analyst.press(Qt.Key_1, widget=win.article_view)
        groups["by hand"].append(analyst.keys - start)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    t0 = time.perf_counter()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    groups = {"right": [], "speaker registered": [], "speaker new": [], "by hand": []}
    stats = {"rejects": 0, "selections": 0}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "keys.quotebook"
        db, _ = open_or_default(path)
        import_paths(db, [SAMPLE_CORPUS])
        load_codebook(db, DEFAULT_CODEBOOK)
        analyze(db)
        ids = dict(db.execute("SELECT source, id FROM articles").fetchall())
        app = QApplication.instance() or QApplication([])
        win = MainWindow(db, path, analyst="bench")
        win.resize(1280, 800)
        win.show()
        app.processEvents()
        analyst = Analyst(win, app)
        for art in gold["articles"]:
            code_article(analyst, ids[art["id"]], art["quotes"], groups, stats)
        coded = db.execute("SELECT count(*) FROM quotes q JOIN layers l ON l.id = q.layer_id "
                           "WHERE l.name = 'bench' AND q.position_id IS NOT NULL").fetchone()[0]
        win.close()
        app.processEvents()
        db.close()
    total = sum(len(a["quotes"]) for a in gold["articles"])
    print(f"{total} gold quotes, sample corpus, coded in the window: {coded} quotes with a "
          f"position, {analyst.keys} keys in all ({time.perf_counter() - t0:.1f} s)")
    print(f"{'group':<18} {'quotes':>6} {'mean keys':>9} {'max':>4}  target")
    for name, target in (("right", "1"), ("speaker registered", "<= 6"),
                         ("speaker new", "report"), ("by hand", "report")):
        xs = groups[name]
        mean = f"{statistics.mean(xs):.2f}" if xs else "-"
        print(f"{name:<18} {len(xs):>6} {mean:>9} {max(xs, default=0):>4}  {target}")
    print(f"also pressed: {stats['rejects']} R on suggestions that are no gold quote; "
          f"{stats['selections']} mouse selections for quotes by hand")
    print("Prodigy: one key per binary decision (accept/reject), no speaker or position")


if __name__ == "__main__":
    main()
