"""The main window, a session and the speaker registry on the default (sample) project, for
the window's tests."""
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


@pytest.fixture
def session(qtbot):
    """A desk session of analyst "tester" on the default project, without a window."""
    from ui.session import Session
    db, path = open_or_default(None)
    yield Session(db, path, "tester")
    db.close()


@pytest.fixture
def registry(qtbot, session):
    """The registry shown (it is re-read only while visible) with its controller."""
    from ui.speaker_desk import SpeakerDesk
    from ui.speaker_registry import SpeakerRegistry
    widget = SpeakerRegistry()
    qtbot.addWidget(widget)
    widget.desk = SpeakerDesk(session, widget, widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
