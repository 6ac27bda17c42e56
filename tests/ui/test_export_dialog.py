"""The export dialog (offscreen): choices from the project, export in a worker thread,
progress, cancel and errors shown in the dialog."""
import csv
import threading

import pytest

from annotator.export import ExportResult
from annotator.tasks import Task
from export_helpers import coded  # noqa: F401 (fixture)


@pytest.fixture
def dialog(qtbot, coded, project_path):
    from ui.export_dialog import ExportDialog
    coded.close()
    dlg = ExportDialog(project_path)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def choose(combo, data):
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_lists_the_project_choices(dialog):
    layers = [dialog.layer.itemData(i) for i in range(dialog.layer.count())]
    assert layers == ["", "gold", "alice", "suggestions"]
    assert dialog.outlet.findData("Unicode Times") > 0 and dialog.topic.count() > 2
    formats = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert formats == ["jsonl", "prodigy", "spacy", "brat", "csv", "network", "dna"]
    choose(dialog.format, "csv")
    assert dialog.path.text().endswith("test-csv.csv") and dialog.bom.isEnabled()
    choose(dialog.format, "network")
    assert dialog.path.text().endswith("test-network") and not dialog.bom.isEnabled()


def test_exports_csv_with_filters_in_a_worker(dialog, qtbot, tmp_path):
    choose(dialog.format, "csv")
    choose(dialog.layer, "gold")
    choose(dialog.outlet, "Unicode Times")
    dialog.bom.setChecked(True)
    dialog.statuses["accepted"].setChecked(True)
    dialog.date_from.setText("2026-09-01")
    out = tmp_path / "dialog.csv"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.finished_export, timeout=60000) as blocker:
        dialog.export_button.click()
        assert dialog.progress.isVisible() and dialog.cancel_button.isEnabled()
    assert blocker.args == [True, f"exported 3 quote(s) to {out}"]
    assert dialog.message.text().startswith("Exported 3 quote(s)")
    assert not dialog.progress.isVisible() and dialog.export_button.isEnabled()
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["speaker"] for r in rows] == ["Miriam Cohen", "Ahmed Sari", "José Ruiz"]


def test_errors_are_shown_in_the_dialog(dialog, qtbot, tmp_path):
    choose(dialog.format, "jsonl")
    dialog.path.setText(str(tmp_path))  # a folder, not a file
    with qtbot.waitSignal(dialog.finished_export, timeout=60000) as blocker:
        dialog.export_button.click()
    assert blocker.args[0] is False
    assert "is a folder; give a file name" in dialog.message.text()
    assert "color" in dialog.message.styleSheet()
    dialog.path.setText(str(tmp_path / "x.jsonl"))
    dialog.date_from.setText("someday")
    with qtbot.waitSignal(dialog.finished_export, timeout=60000) as blocker:
        dialog.export_button.click()
    assert blocker.args[0] is False and "is not a date" in dialog.message.text()
    assert not (tmp_path / "x.jsonl").exists()


def test_cancel_stops_the_worker_and_nothing_is_written(dialog, qtbot, tmp_path, monkeypatch):
    import ui.export_dialog as mod
    started, where = threading.Event(), []
    real_export = mod.export

    def slow_export(db, fmt, out, *, task, **kw):
        where.append(threading.current_thread() is threading.main_thread())

        def waiting():
            started.set()
            task.progress(1, 10, "x")
            while not task.cancelled:
                threading.Event().wait(0.01)
            return True
        return real_export(db, fmt, out, task=Task(progress=task.progress, cancel=waiting), **kw)
    monkeypatch.setattr(mod, "export", slow_export)
    out = tmp_path / "never.jsonl"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.finished_export, timeout=60000) as blocker:
        dialog.export_button.click()
        qtbot.waitUntil(started.is_set, timeout=30000)
        dialog.cancel_button.click()
    assert blocker.args[0] is False and "cancelled" in blocker.args[1]
    assert where == [False]  # the export ran off the UI thread
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_closing_while_exporting_cancels(dialog, qtbot, tmp_path, monkeypatch):
    import ui.export_dialog as mod
    started = threading.Event()

    def endless(db, fmt, out, *, task, **kw):
        started.set()
        while not task.cancelled:
            threading.Event().wait(0.01)
        return ExportResult(fmt, out, 0, "", cancelled=True)
    monkeypatch.setattr(mod, "export", endless)
    dialog.path.setText(str(tmp_path / "x.jsonl"))
    dialog.export_button.click()
    qtbot.waitUntil(started.is_set, timeout=30000)
    dialog.reject()
    assert not dialog.running() and not dialog.isVisible()
