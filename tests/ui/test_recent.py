"""File > Open recent lists projects, even when QSettings gives one project back as a string."""
from PySide6.QtCore import QSettings

from annotator.project import open_or_default


def test_one_recent_project_is_one_entry(qtbot, tmp_path):
    from ui.actions import recent_projects
    from ui.main_window import MainWindow
    db, path = open_or_default(tmp_path / "p.quotebook")
    QSettings().setValue("recent", str(path))   # how a one-item list reads back from disk
    assert recent_projects() == [str(path)]
    win = MainWindow(db, path, analyst="tester")
    qtbot.addWidget(win)
    win.menus.fill_recent()
    assert [a.text() for a in win.menus.recent_menu.actions()] == [str(path)]
    win.close()
    db.close()
