"""Start the desktop app: QApplication, who is working, the project, the main window."""
from __future__ import annotations

import getpass
import os
import sqlite3
import sys
import traceback

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from annotator.errors import is_corrupt, user_message
from annotator.project import Project, default_project_path
from annotator.store.db import ProjectDamaged, ProjectError

from .plain import message_box
from .session import RESERVED

_windows: list = []  # open main windows (kept referenced)
_last_resort: list = []  # the box the exception hook shows (one at a time)


def one_line(exc: BaseException) -> str:
    """What went wrong, in one line for the user."""
    if isinstance(exc, (sqlite3.Error, OSError)):
        return user_message(exc)
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def show_unexpected(kind, exc, tb) -> None:
    """The last resort for an exception nothing else caught (e.g. in a Qt slot): the traceback
    goes to stderr for a bug report, the user sees one line in a message box, never a silent
    failure. One box at a time: more while it is open only go to stderr."""
    traceback.print_exception(kind, exc, tb, file=sys.stderr)
    if issubclass(kind, KeyboardInterrupt) or QApplication.instance() is None:
        return
    if any(box.isVisible() for box in _last_resort):
        return
    _last_resort.clear()
    parent = QApplication.activeWindow()
    box = message_box(parent, QMessageBox.Critical, "Quotebook",
                      f"Something went wrong: {one_line(exc)}",
                      informative="The details were written to the terminal (standard error); "
                                  "please include them in a bug report.")
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.destroyed.connect(lambda *_: _last_resort.clear())
    _last_resort.append(box)
    box.show()


def install_excepthook() -> None:
    sys.excepthook = show_unexpected


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Quotebook")
    app.setOrganizationName("Quotebook")
    return app


def ask_analyst(default: str = "") -> str | None:
    """Ask the analyst's name (first start, or when switching)."""
    while True:
        name, ok = QInputDialog.getText(
            None, "Welcome to Quotebook",
            "Your name (your annotations are kept as your own layer):",
            text=default or getpass.getuser())
        if not ok:
            return None
        name = name.strip()
        if name and name.lower() not in RESERVED:
            return name


def offer_restore(path, text: str) -> bool:
    """A project too damaged to open: say so and, when there is an automatic backup, offer
    to bring the newest back (the damaged file is kept aside); True once it is restored."""
    from annotator.store import backups
    from .backup_jobs import restore_job
    print(f"quotebook: {text}", file=sys.stderr)
    found = backups.backup_paths(path)
    if not found:
        message_box(None, QMessageBox.Critical, "Quotebook", text).exec()
        return False
    box = message_box(None, QMessageBox.Critical, "Quotebook", text,
                      informative=f"Bring back {found[0].name} now? The damaged file is "
                                  f"kept aside as a copy.",
                      buttons=QMessageBox.Yes | QMessageBox.No)
    if box.exec() != QMessageBox.Yes:
        return False
    outcome: list = []
    loop = QEventLoop()
    job = restore_job(path, found[0], None)
    job.done.connect(lambda result: outcome.append(result))
    job.failed.connect(lambda message: message_box(
        None, QMessageBox.Critical, "Restore backup", message).exec())
    job.finished.connect(loop.quit)
    job.start()
    loop.exec()   # the event loop runs while the backup comes back: nothing freezes
    return bool(outcome)


def open_window(project, *, analyst: str, model=None, restored: bool = False):
    """A main window on ``project`` (None: the default project); None if it cannot open. A
    damaged project is offered its last backup (once)."""
    from .main_window import MainWindow
    try:   # the window makes the daily backup itself, in a worker thread
        opened = Project.open(project, backup=False)
    except ProjectDamaged as exc:
        if not restored and offer_restore(project or default_project_path(), str(exc)):
            return open_window(project, analyst=analyst, model=model, restored=True)
        if restored:
            message_box(None, QMessageBox.Critical, "Quotebook", str(exc)).exec()
        return None
    except ProjectError as exc:
        message_box(None, QMessageBox.Critical, "Quotebook", str(exc)).exec()
        print(f"quotebook: {exc}", file=sys.stderr)
        return None
    db, path = opened.db, opened.path
    try:
        window = MainWindow(db, path, analyst=analyst, model=model)
    except (sqlite3.Error, OSError) as exc:  # damaged where the window reads, or locked
        from annotator.store.backups import damaged_message
        opened.close()
        if is_corrupt(exc) and not restored:
            if offer_restore(path, damaged_message(path, str(exc))):
                return open_window(project, analyst=analyst, model=model, restored=True)
            return None
        text = user_message(exc, path)
        message_box(None, QMessageBox.Critical, "Quotebook", text).exec()
        print(f"quotebook: {text}", file=sys.stderr)
        return None
    window.openProject.connect(lambda p: _switch(window, p, model))
    window.setAttribute(Qt.WA_DeleteOnClose)  # a closed window frees its connection
    _windows.append(window)
    window.destroyed.connect(lambda *_: (opened.close(), _windows.remove(window)
                                         if window in _windows else None))
    window.show()
    window.start_analysis()
    window.start_daily_check()
    return window


def _switch(old, project, model) -> None:
    analyst = QSettings().value("analyst", "") or old.analyst
    if open_window(project, analyst=analyst, model=model) is not None:
        old.close()


def run_gui(*, project=None, analyst=None, model=None) -> int:
    """Open the main window on ``project`` (default: the sample project); return exit code."""
    app = make_app()
    install_excepthook()
    settings = QSettings()
    if analyst:
        if analyst.strip().lower() in RESERVED:
            print(f"quotebook: '{analyst}' is reserved for a layer; choose another name",
                  file=sys.stderr)
            return 2
        settings.setValue("analyst", analyst.strip())
    name = settings.value("analyst", "") or ask_analyst()
    if not name:
        return 0
    settings.setValue("analyst", name)
    window = open_window(project, analyst=name, model=model)
    if window is None:
        return 1
    quit_after = os.environ.get("QUOTEBOOK_QUIT_AFTER_MS")  # for the start-up smoke test
    if quit_after:
        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()
