"""DNA 3 databases through the window: File > Import's job and the Export dialog."""
import sqlite3

from dna_helpers import TEXT_1, build_dna
from export_helpers import coded  # noqa: F401 (fixture)
from window_helpers import window  # noqa: F401 (fixture)


def test_window_imports_a_dna_file_in_the_background(window, qtbot, tmp_path):
    dna = build_dna(tmp_path / "sample.dna")
    rows = window.articles.model.rowCount()
    with qtbot.waitSignal(window.runner.finished, timeout=120000):
        window.import_paths([dna])
    assert window.articles.model.rowCount() == rows + 2
    layers = dict(window.db.execute(
        "SELECT l.name, count(q.id) FROM layers l JOIN quotes q ON q.layer_id = l.id "
        "WHERE l.kind = 'analyst' GROUP BY l.name").fetchall())
    assert layers == {"alice": 1, "bob": 2}
    start, end = window.db.execute(
        "SELECT q.start, q.\"end\" FROM quotes q JOIN articles a ON a.id = q.article_id "
        "JOIN layers l ON l.id = q.layer_id WHERE l.name = 'alice'").fetchone()
    assert TEXT_1[start:end] == "Minister Anna Berg said the carbon tax must rise."


def test_export_dialog_writes_a_dna_file(qtbot, coded, project_path, tmp_path):
    from ui.export_dialog import ExportDialog
    coded.close()
    dialog = ExportDialog(project_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData("dna"))
    dialog.layer.setCurrentIndex(dialog.layer.findData("gold"))
    assert dialog.path.text().endswith(".dna")
    out = tmp_path / "dialog.dna"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.finished_export, timeout=60000) as blocker:
        dialog.export_button.click()
    assert blocker.args[0] is True and "statement(s)" in blocker.args[1]
    con = sqlite3.connect(out)
    try:
        assert [r[0] for r in con.execute("SELECT Name FROM CODERS")] == ["gold"]
        assert con.execute("SELECT count(*) FROM STATEMENTS").fetchone()[0] > 0
    finally:
        con.close()
