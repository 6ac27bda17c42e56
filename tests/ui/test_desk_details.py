"""The smaller points of the coding loop (issue 11, Deliver 5), each first seen failing."""
from PySide6.QtCore import Qt

from annotator.editing.edits import SetArticleStatus
from window_helpers import window  # noqa: F401 (fixture)


def press(qtbot, widget, key, modifier=Qt.NoModifier):
    qtbot.keyClick(widget, key, modifier)


def test_header_says_done_after_ctrl_d_on_the_last_article(window, qtbot):
    current = window.annotation.article_id
    for (aid,) in window.db.execute("SELECT id FROM articles WHERE id != ?", [current]):
        assert window.session.run(SetArticleStatus(article_id=aid, status="done",
                                                   layer_id=window.session.layer_id,
                                                   actor="tester"))
    assert "to do" in window.article_pane.meta.text()
    press(qtbot, window.article_view, Qt.Key_D, Qt.ControlModifier)
    assert window.annotation.article_id == current  # nothing left to open
    assert window.article_pane.meta.text().endswith("done")
    press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier)
    assert window.article_pane.meta.text().endswith("to do")


def test_export_dialog_without_dates_says_so(qtbot, tmp_path):
    from annotator.project import Project
    from ui.export_dialog import ExportDialog
    path = tmp_path / "plain.quotebook"
    source = tmp_path / "note.txt"
    source.write_text("A plain text without a date.\n", encoding="utf-8")
    with Project.open(path) as project:
        project.import_files([source], analyze=False)
    dialog = ExportDialog(path)
    qtbot.addWidget(dialog)
    for edit in (dialog.date_from, dialog.date_to):
        assert "None" not in edit.placeholderText()
        assert "No article has a date" in edit.toolTip()


def test_article_details_edited_from_the_window_undone_with_ctrl_z(window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox
    aid = window.annotation.article_id
    seen = []

    def fill_in():  # runs inside the dialog's own event loop
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.objectName())
        dialog.edits["published"].setText("14/01/2026")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Save).click()
        seen.append(dialog.error.text())  # refused, still open
        dialog.edits["published"].setText("2025-12-31")
        dialog.edits["outlet"].setText("The Ledger")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Save).click()
    QTimer.singleShot(0, fill_in)
    press(qtbot, window.article_view, Qt.Key_D, Qt.ControlModifier | Qt.ShiftModifier)
    assert seen == ["articleDetails", "date: '14/01/2026' is not a date in YYYY-MM-DD form"]
    row = window.db.execute("SELECT outlet, published FROM articles WHERE id = ?",
                            [aid]).fetchone()
    assert row == ("The Ledger", "2025-12-31")
    assert window.article_pane.meta.text().startswith("The Ledger · 2025-12-31 · ")
    window.activateWindow()  # offscreen, closing a dialog activates no window by itself
    qtbot.waitUntil(window.isActiveWindow)
    press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier)
    assert window.article_pane.meta.text().startswith("Northern Ledger · 2026-01-14 · ")


def visible_columns(table) -> list[str]:
    """Header titles of the columns shown whole inside the table's viewport."""
    model, out = table.model(), []
    for col in range(model.columnCount()):
        left = table.columnViewportPosition(col)
        if not table.isColumnHidden(col) and 0 <= left and \
                left + table.columnWidth(col) <= table.viewport().width():
            out.append(model.headerData(col, Qt.Horizontal))
    return out


def test_at_1024x700_the_list_keeps_status_and_quotes(window, qtbot):
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    table = window.articles.table
    shown = visible_columns(table)
    assert {"Title", "Status", "Quotes"} <= set(shown), shown
    assert table.columnWidth(0) >= 100
    assert not table.horizontalScrollBar().isVisible()


def test_the_side_panels_widen_with_the_window(window, qtbot):
    def settled(width):
        window.resize(width, 800)
        qtbot.waitUntil(lambda: window.width() == width)
        widths = []  # the docks follow once the layout has run: wait until they stop moving

        def still():
            widths.append((window.quote_dock.width(), window.article_dock.width()))
            return len(widths) > 1 and widths[-1] == widths[-2]
        qtbot.waitUntil(still)
        return widths[-1]
    before = settled(1280)
    after = settled(1920)
    assert after[0] >= before[0] * 1.4 and after[1] >= before[1] * 1.4, (before, after)
    again = settled(1280)  # and back: the text keeps its room
    assert abs(again[0] - before[0]) <= 4 and abs(again[1] - before[1]) <= 4, (before, again)


def test_search_hits_are_marked_and_f3_walks_them(window, qtbot):
    from ui.article_view import CURRENT_HIT, HIT
    view = window.article_view
    window.articles.search_box.setText("steel")
    aid = window.db.execute("SELECT id FROM articles WHERE source = 'sample-02'").fetchone()[0]
    with qtbot.waitSignal(window.annotation.articleLoaded):
        assert window.articles.select(aid)
    hits = [view.text[s:e] for s, e in view.hits]
    assert len(hits) >= 2 and {h.casefold() for h in hits} == {"steel"}
    assert view.hit == 0

    def colour_at(span):
        qt = view.offsets.to_qt(span[0])
        return [s.format.background().color().name() for s in view.extraSelections()
                if s.cursor.selectionStart() <= qt < s.cursor.selectionEnd()][-1]
    assert colour_at(view.hits[0]) == CURRENT_HIT and colour_at(view.hits[1]) == HIT
    window.article_view.setFocus()
    with qtbot.waitSignal(window.search_hits.message) as said:
        qtbot.keyClick(view, Qt.Key_F3)
    assert view.hit == 1 and said.args == [f"Search hit 2 of {len(hits)}"]
    assert colour_at(view.hits[1]) == CURRENT_HIT
    qtbot.keyClick(view, Qt.Key_F3, Qt.ShiftModifier)
    qtbot.keyClick(view, Qt.Key_F3, Qt.ShiftModifier)  # round to the last
    assert view.hit == len(hits) - 1
    window.articles.search_box.clear()
    assert view.hits == []


def test_review_mode_fits_1024x700(window, qtbot):
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    window.menus.review_action.trigger()
    assert window.review_dock.isVisible()
    assert window.minimumSizeHint().width() <= 1024, window.minimumSizeHint()
    heights = []  # the docks follow once the layout has run: wait until they stop moving

    def still():
        heights.append((window.review_dock.height(), window.article_view.height()))
        return len(heights) > 1 and heights[-1] == heights[-2] and heights[-1][0] > 0
    qtbot.waitUntil(still)
    for dock in (window.article_dock, window.quote_dock, window.review_dock):
        box = dock.geometry()
        assert box.right() < window.width() and box.bottom() < window.height(), dock
    assert window.review_panel.table.height() >= 100
    assert window.article_view.height() >= 200


def test_no_stray_tab_bar_over_the_status_bar(window):
    from PySide6.QtWidgets import QTabBar
    bar = window.statusBar().geometry()
    for tabs in window.findChildren(QTabBar):
        if tabs.isVisible() and tabs.window() is window:
            where = tabs.geometry().translated(tabs.parentWidget().mapTo(window, tabs.pos())
                                               - tabs.pos())
            assert not where.intersects(bar), [tabs.tabText(i) for i in range(tabs.count())]
