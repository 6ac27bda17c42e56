"""A speaker's notes in the registry: the Notes column shows their first line (every line in
the tooltip), "Notes…" and a double-click on the column open the dialog, and the text the
analyst types is saved as one undoable edit. Real widgets, a real project, keys typed."""
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from annotator.editing.speakers import add_speaker
from window_helpers import registry, session  # noqa: F401 (fixtures)
from ui.speaker_registry import NOTES


def notes(db, speaker_id):
    return db.execute("SELECT notes FROM speakers WHERE id = ?", [speaker_id]).fetchone()[0]


def write_later(qtbot, seen, lines=(), cancel=False):
    """Once the notes dialog is open: note what it shows, type ``lines`` at its end (Return
    between them), then Save (or Cancel)."""
    def answer():
        from ui.speaker_notes import SpeakerNotesDialog
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SpeakerNotesDialog):  # e.g. "Select one speaker first."
            seen.append(f"not the notes dialog: {dialog!r}")
            dialog.close()
            return
        seen.append(dialog.editor.toPlainText())
        dialog.editor.moveCursor(dialog.editor.textCursor().MoveOperation.End)
        for k, line in enumerate(lines):
            if k or seen[-1]:
                qtbot.keyClick(dialog.editor, Qt.Key_Return)
            if line.isascii():
                qtbot.keyClicks(dialog.editor, line)
            else:  # QTest types ASCII only: the rest as a paste would insert it
                dialog.editor.insertPlainText(line)
        box = dialog.button_box
        box.button(QDialogButtonBox.Cancel if cancel else QDialogButtonBox.Save).click()
    QTimer.singleShot(0, answer)


def select(registry, speaker_id):
    row = next(r for r in range(registry.proxy.rowCount())
               if registry.proxy.index(r, 0).data(Qt.UserRole) == speaker_id)
    registry.table.selectionModel().select(
        registry.proxy.index(row, 0),
        QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
    return row


def test_notes_are_typed_saved_shown_and_undone(qtbot, registry, session):
    db = session.db
    berg = add_speaker(db, "Anna Berg", role="Minister")
    add_speaker(db, "Greenpeace", kind="organisation")
    session.refresh_all()
    select(registry, berg)
    button = registry.findChild(QPushButton, "speakerNotesButton")
    seen = []
    write_later(qtbot, seen, ["Finance minister since 2019", "née Berglund 😀"])
    with qtbot.waitSignal(session.changed, timeout=5000):
        button.click()
    assert seen == [""]
    assert notes(db, berg) == "Finance minister since 2019\nnée Berglund 😀"
    row = select(registry, berg)
    cell = registry.proxy.index(row, NOTES)
    assert cell.data() == "Finance minister since 2019"  # the first line in the table
    assert "née Berglund 😀" in cell.data(Qt.ToolTipRole)
    assert session.undo_stack.count() == 1

    # a double-click on the Notes column opens the same dialog with the notes in it
    write_later(qtbot, seen, ["Resigned 2024"])
    with qtbot.waitSignal(session.changed, timeout=5000):
        registry.table.doubleClicked.emit(cell)
    assert seen[-1] == "Finance minister since 2019\nnée Berglund 😀"
    assert notes(db, berg).endswith("née Berglund 😀\nResigned 2024")

    # cancelled: nothing written, nothing on the stack
    select(registry, berg)
    write_later(qtbot, seen, ["not kept"], cancel=True)
    button.click()
    assert seen[-1].endswith("Resigned 2024")
    assert notes(db, berg).endswith("Resigned 2024") and session.undo_stack.count() == 2

    assert session.undo()  # one undo step per save
    assert notes(db, berg) == "Finance minister since 2019\nnée Berglund 😀"
    assert session.undo()
    assert notes(db, berg) is None
    assert registry.proxy.index(select(registry, berg), NOTES).data() == ""
