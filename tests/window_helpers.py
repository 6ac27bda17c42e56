"""The main window on the default (sample) project, for the window's tests."""
from contextlib import contextmanager

import pytest

from annotator.project import open_or_default


@contextmanager
def main_window(qtbot):
    """A shown MainWindow of analyst "tester" on the default project, closed at the end."""
    from ui.main_window import MainWindow
    db, path = open_or_default(None)
    win = MainWindow(db, path, analyst="tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    try:
        yield win
    finally:
        win.close()
        db.close()


@pytest.fixture
def window(qtbot):
    with main_window(qtbot) as win:
        yield win
