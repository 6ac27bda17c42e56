"""Start the desktop app: QApplication, the project, the main window."""
from __future__ import annotations

import os
import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.project import open_or_default
from annotator.store import ProjectError


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Quotebook")
    app.setOrganizationName("Quotebook")
    return app


def run_gui(*, project=None, analyst=None, model=None) -> int:
    """Open the main window on ``project`` (default: the sample project); return exit code."""
    app = make_app()
    from .main_window import MainWindow
    try:
        db, path = open_or_default(project)
    except ProjectError as exc:
        QMessageBox.critical(None, "Quotebook", str(exc))
        print(f"quotebook: {exc}", file=sys.stderr)
        return 1
    settings = QSettings()
    if analyst:
        settings.setValue("analyst", analyst)
    window = MainWindow(db, path, analyst=settings.value("analyst", "") or "", model=model)
    window.show()
    window.start_analysis()
    quit_after = os.environ.get("QUOTEBOOK_QUIT_AFTER_MS")  # for the start-up smoke test
    if quit_after:
        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()
