"""The README's pictures of the desk and review mode, and the same views at 1024x700 and
1920x1080 to look at by eye.

    python bench/screenshots.py [OUT_DIR]     # docs/desk.png, docs/review.png; OUT_DIR/*.png

A fresh sample project (the coded gold layer of ``bench/sample_insights.py``, analysed with
the real model); analyst ``alice`` accepts the first suggestions of the first article with the
keys (the digit), so the desk shows her quotes, the suggestions left and the current one.
Rendered offscreen (QT_QPA_PLATFORM=offscreen unless set).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()  # a first start: no saved window layout
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from annotator.nlp.analysis import analyze  # noqa: E402
from annotator.store.db import open_project  # noqa: E402
from sample_insights import build  # noqa: E402

SIZES = {"small": (1024, 700), "desk": (1280, 800), "large": (1920, 1080)}


def settle(app, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.quotebook"
        build(path)
        db = open_project(path)
        analyze(db)
        win = MainWindow(db, path, analyst="alice")
        win.resize(*SIZES["desk"])
        win.show()
        settle(app)
        first = db.execute("SELECT id FROM articles ORDER BY id").fetchone()[0]
        win.articles.select(first)
        settle(app)
        for key in (Qt.Key_1, Qt.Key_1):  # two suggestions accepted with a position
            win.article_view.setFocus()
            QTest.keyClick(win.article_view, key)
            settle(app)
        for name, size in SIZES.items():
            win.resize(*size)
            settle(app)
            win.grab().save(str(out / f"desk-{name}.png"))
        win.menus.review_action.trigger()
        settle(app)
        for name, size in SIZES.items():
            win.resize(*size)
            settle(app)
            win.grab().save(str(out / f"review-{name}.png"))
        docs = ROOT / "docs"
        (out / "desk-desk.png").replace(docs / "desk.png")
        (out / "review-desk.png").replace(docs / "review.png")
        win.close()
        db.close()
    print(f"wrote docs/desk.png, docs/review.png and {out}/desk-*.png, review-*.png")


if __name__ == "__main__":
    main()
