"""The annotation desk, driven by keyboard and mouse with pytest-qt (offscreen)."""
import json
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from annotator.editing import desk
from annotator.export.jsonl import export_jsonl
from annotator.offsets import Utf16Map
from annotator.project import open_or_default
from annotator.editing.edits import add_quote
from annotator.store.db import open_project
from conftest import ROOT, cli_env
from window_helpers import window  # noqa: F401 (fixture)


def open_source(win, source):
    aid = win.db.execute("SELECT id FROM articles WHERE source = ?", [source]).fetchone()[0]
    assert win.articles.select(aid)
    assert win.annotation.article_id == aid
    return aid


def my_quotes(win, aid):
    return desk.article_quotes(win.db, aid, win.session.layer_id)


def press(qtbot, widget, key, modifier=Qt.NoModifier):
    qtbot.keyClick(widget, key, modifier)


def tag(win, qtbot, start, end):
    win.article_view.setFocus()
    win.article_view.select_span(start, end)
    press(qtbot, win.article_view, Qt.Key_Q)


def test_widgets_have_names_and_the_list_shows_the_sample(window):
    for name in ("articleList", "articleView", "quotePanel", "searchBox", "speakerEdit",
                 "positionBox", "speakerRegistry"):
        widget = window.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    assert window.articles.model.rowCount() == 10
    assert "tester" in window.counts.text() and "10 articles" in window.counts.text()
    assert window.article_pane.title.text()  # the first article is open


def test_tag_quote_speaker_position_by_keyboard_then_undo_redo(window, qtbot):
    aid = open_source(window, "sample-01")
    text = window.annotation.text
    start = text.index("“We have waited")
    tag(window, qtbot, start + 2, text.index("river,”") + 2)  # a sloppy selection
    (q,) = my_quotes(window, aid)
    assert text[q["start"]:q["end"]] == text[start:text.index("river,”") + 7]  # snapped, marks
    assert q["kind"] == "direct"
    assert window.quote_panel.speaker_edit.hasFocus()
    qtbot.keyClicks(window.quote_panel.speaker_edit, "Anna Kovacs")
    # a new speaker is an explicit choice (issue 11): Shift+Enter
    press(qtbot, window.quote_panel.speaker_edit, Qt.Key_Return, Qt.ShiftModifier)
    (q,) = my_quotes(window, aid)
    assert q["speaker"] == "Anna Kovacs"
    assert text[q["speaker_start"]:q["speaker_end"]] == "Anna Kovacs"
    assert window.article_view.hasFocus()
    press(qtbot, window.article_view, Qt.Key_2)
    (q,) = my_quotes(window, aid)
    expected = window.quote_panel.position_for_key("2")
    assert q["position_id"] == expected["id"] and q["topic_id"] is not None
    assert [r["name"] for r in desk.speakers_table(window.db)] == ["Anna Kovacs"]
    press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier)  # undo position
    assert my_quotes(window, aid)[0]["position_id"] is None
    press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier)  # undo speaker (+ create)
    assert my_quotes(window, aid)[0]["speaker_id"] is None
    assert desk.speakers_table(window.db) == []
    press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier)  # undo the quote
    assert my_quotes(window, aid) == []
    for _ in range(3):
        press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    (q,) = my_quotes(window, aid)
    assert (q["speaker"], q["position_id"]) == ("Anna Kovacs", expected["id"])
    # on disk: a second connection sees it
    other = open_project(window.project_path)
    assert other.execute("SELECT count(*) FROM quotes").fetchone()[0] == 1
    other.close()


def test_split_quote_gets_a_second_fragment_and_click_sets_mention(window, qtbot):
    aid = open_source(window, "sample-01")
    text = window.annotation.text
    first = text.index("“Nobody is pretending")
    second = text.index("“But we are finally")
    tag(window, qtbot, first, text.index("away,”") + 6)
    window.article_view.setFocus()
    window.article_view.select_span(second, text.index("same room.”") + 11)
    press(qtbot, window.article_view, Qt.Key_Q, Qt.ShiftModifier)
    (q,) = my_quotes(window, aid)
    assert len(q["fragments"]) == 2 and q["fragments"][1][0] == second
    # the speaker by Ctrl+clicking a PERSON mention in the text
    name = text.index("Anna Kovacs")
    window.article_view.select_span(name, name + len("Anna Kovacs"))
    window.annotation.add_entity("PERSON")
    window.quote_panel.list.setCurrentRow(0)
    view = window.article_view
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_qt(name + 3))
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.ControlModifier, point)
    (q,) = my_quotes(window, aid)
    assert (q["speaker_start"], q["speaker_end"]) == (name, name + len("Anna Kovacs"))
    assert q["speaker"] == "Anna Kovacs"


def test_delete_then_undo_brings_back_speaker_and_position(window, qtbot):
    aid = open_source(window, "sample-02")
    text = window.annotation.text
    tag(window, qtbot, 0, text.index(" ", 30))
    window.annotation.set_speaker("Yevgeny Morozov")
    press(qtbot, window.article_view, Qt.Key_1)
    before = my_quotes(window, aid)
    press(qtbot, window.article_view, Qt.Key_Delete)
    assert my_quotes(window, aid) == []
    press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier)
    after = my_quotes(window, aid)
    assert [(q["uuid"], q["speaker"], q["position_id"]) for q in after] == \
        [(q["uuid"], q["speaker"], q["position_id"]) for q in before]


def test_accept_and_reject_suggestions_by_keyboard(window, qtbot):
    aid = open_source(window, "sample-03")
    s1 = add_quote(window.db, article_id=aid, layer="suggestions", fragments=[(10, 40)],
                   status="suggested", confidence=0.9)
    s2 = add_quote(window.db, article_id=aid, layer="suggestions", fragments=[(50, 80)],
                   status="suggested", confidence=0.6)
    window.refresh()
    assert [q["uuid"] for q in window.annotation.suggestions] == [s1, s2]
    window.article_view.setFocus()
    assert window.quote_panel.current()["uuid"] == s1  # the first, ready for a key
    press(qtbot, window.article_view, Qt.Key_A)
    assert window.quote_panel.current()["uuid"] == s2  # moved on to the next suggestion
    press(qtbot, window.article_view, Qt.Key_R)
    mine = desk.article_quotes(window.db, aid, window.session.layer_id, include_rejected=True)
    assert {(q["origin_uuid"], q["status"]) for q in mine} == {(s1, "accepted"),
                                                              (s2, "rejected")}
    assert window.annotation.suggestions == []
    press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier)
    press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier)
    assert len(window.annotation.suggestions) == 2
    press(qtbot, window.article_view, Qt.Key_A, Qt.ShiftModifier)  # accept all
    assert {q["origin_uuid"] for q in my_quotes(window, aid)} == {s1, s2}


def test_mark_done_opens_the_next_article(window, qtbot):
    first = window.annotation.article_id
    press(qtbot, window.article_view, Qt.Key_D, Qt.ControlModifier)
    status = window.db.execute("SELECT status FROM article_status WHERE article_id = ? AND "
                               "layer_id = ?", [first, window.session.layer_id]).fetchone()
    assert status == ("done",)
    assert window.annotation.article_id == desk.next_article(window.db, window.session.layer_id,
                                                             first) != first
    assert "done: 1/10" in window.counts.text()


def test_emoji_and_rtl_offsets_survive_select_tag_export(window, qtbot, tmp_path):
    aid = open_source(window, "sample-06")
    text = window.annotation.text
    start = text.index("“We did it")
    end = text.index("”", start) + 1
    assert any(ord(c) > 0xFFFF for c in text[start:end])
    tag(window, qtbot, start, end)
    qt_cursor = window.article_view.textCursor()
    m = Utf16Map(text)
    assert (qt_cursor.selectionStart(), qt_cursor.selectionEnd()) == (m.to_qt(start),
                                                                     m.to_qt(end))
    rtl = text.index("يوسف")
    window.annotation.set_speaker("Yousef Haddad", mention=(rtl, rtl + len("يوسف حداد")))
    export_jsonl(window.db, tmp_path / "o.jsonl", layer="tester")
    rec = next(json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()
               if json.loads(line)["meta"]["source"] == "sample-06")
    (q,) = rec["quotes"]
    assert (q["start"], q["end"], q["text"]) == (start, end, text[start:end])
    assert rec["text"][q["speaker"]["start"]:q["speaker"]["end"]] == "يوسف حداد"


def test_another_process_change_refreshes_the_window(window, qtbot):
    aid = window.annotation.article_id
    other = open_project(window.project_path)
    add_quote(other, article_id=aid, layer="tester", fragments=[(0, 10)])
    other.close()
    qtbot.waitUntil(lambda: len(window.annotation.quotes) == 1, timeout=5000)


def test_import_in_background_then_analysis(window, qtbot, tmp_path, monkeypatch):
    from annotator.corpus import importing
    from ui import main_window
    caps = []   # the window's import holds the project for smaller batches than the CLI's

    def recording(conn, paths, **kwargs):
        caps.append(kwargs.get("batches"))
        return importing.import_paths(conn, paths, **kwargs)
    monkeypatch.setattr(main_window, "import_paths", recording)
    (tmp_path / "new.txt").write_text("Minister Jane Doe said the plan would work.\n")
    with qtbot.waitSignal(window.runner.finished, timeout=120000):
        window.import_paths([tmp_path / "new.txt"])
    assert caps == [importing.WINDOW_BATCHES]
    assert window.articles.model.rowCount() == 11
    assert window.db.execute("SELECT count(*) FROM articles WHERE analyzed_at IS NULL"
                             ).fetchone()[0] == 0


def test_entity_added_relabelled_removed(window, qtbot):
    aid = open_source(window, "sample-04")
    n = len(window.article_view.entities)
    window.article_view.select_span(0, 5)
    window.annotation.add_entity("EVENT")
    assert len(window.article_view.entities) == n + 1
    ent = next(e for e in window.article_view.entities if e["label"] == "EVENT"
               and e["start"] == 0)
    window.annotation.relabel_entity(ent["id"], "LAW")
    assert [e["label"] for e in window.article_view.entities if e["id"] == ent["id"]] == ["LAW"]
    window.annotation.remove_entity(ent["id"])
    assert len(window.article_view.entities) == n
    assert aid == window.annotation.article_id


def test_text_context_menu_tags_relabels_and_removes(window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    open_source(window, "sample-04")
    view = window.article_view
    view.select_span(0, 5)
    window.annotation.add_entity("EVENT")
    ent = next(e for e in view.entities if e["label"] == "EVENT" and e["start"] == 0)
    shown = []

    def close_the_menu():  # runs in the menu's own loop: note it, then close it
        menu = QApplication.activePopupWidget()
        shown.append(menu)
        menu.close()
    QTimer.singleShot(0, close_the_menu)
    view.select_span(0, 5)
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_qt(2))
    view.customContextMenuRequested.emit(view.cursorRect(cursor).center())
    (menu,) = shown  # a popup of the window, still there once closed
    texts = [a.text() for a in menu.actions()]
    assert texts[:2] == ["Tag as quote (Q)", "Add as fragment (Shift+Q)"]
    relabel = next(a.menu() for a in menu.actions() if a.text().startswith("Relabel"))
    next(a for a in relabel.actions() if a.text() == "LAW").trigger()
    assert [e["label"] for e in view.entities if e["id"] == ent["id"]] == ["LAW"]
    next(a for a in menu.actions() if a.text().startswith("Remove entity")).trigger()
    assert all(e["id"] != ent["id"] for e in view.entities)


def test_keyboard_help_lists_every_action(window):
    from ui.shortcuts import KEYS, help_html
    html = help_html()
    assert all(key in html for key, _ in KEYS.values())
    shortcuts = {a.shortcut().toString() for w in (window, window.centralWidget())
                 for a in w.actions()}
    for name in ("tag", "accept", "reject", "done", "undo", "redo", "next", "search"):
        assert KEYS[name][0] in shortcuts, name


def test_app_starts_from_main_py_and_exits_cleanly(tmp_path):
    env = cli_env()
    env.update(QT_QPA_PLATFORM="offscreen", QUOTEBOOK_QUIT_AFTER_MS="1500")
    project = tmp_path / "gui.quotebook"
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--project", str(project),
                          "--analyst", "smoke"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert project.exists()


def test_codebook_editor_edits_are_undoable(window, qtbot):
    from ui.codebook_editor import CodebookEditor
    editor = CodebookEditor(window.session, window)
    qtbot.addWidget(editor)
    first_topic = editor.data[0]
    label_item = editor.positions.item(0, 0)
    label_item.setText("Supports firmly")
    assert editor.data[0]["positions"][0]["label"] == "Supports firmly"
    editor.positions.item(0, 3).setText("not a number")
    assert editor.data[0]["positions"][0]["value"] == 1  # refused, unchanged
    assert window.quote_panel.topic_box.itemText(0) == first_topic["name"]
    window.session.undo_stack.undo()
    editor.reload()
    assert editor.data[0]["positions"][0]["label"] == first_topic["positions"][0]["label"]


def test_reserved_layer_names_are_not_analysts(window):
    from ui.session import Session
    with pytest.raises(ValueError, match="reserved"):
        Session(window.db, window.project_path, "gold")


def test_drop_files_imports_them(window, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent
    (tmp_path / "dropped.txt").write_text("A dropped article about trade.\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "dropped.txt"))])
    event = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    with qtbot.waitSignal(window.runner.finished, timeout=120000):
        window.dropEvent(event)
    assert window.articles.model.rowCount() == 11


def test_other_layers_over_mine_and_blind_mode(window, qtbot):
    aid = open_source(window, "sample-01")
    uid = add_quote(window.db, article_id=aid, layer="bob", fragments=[(10, 30)])
    add_quote(window.db, article_id=aid, layer="gold", fragments=[(40, 60)])
    window.menus.show_layer("bob")
    window.menus.show_layer("gold")
    names = [name for name, _c, _q in window.article_view.others]
    assert names == ["bob", "gold"]
    assert "bob: quote" in window.article_view.describe(15)
    window.menus.blind_action.setChecked(True)
    window.menus.blind_action.triggered.emit()
    assert [name for name, _c, _q in window.article_view.others] == []  # blind: no analysts,
    # no gold (it is made of them)
    window.menus.blind_action.setChecked(False)
    window.menus.blind_action.triggered.emit()
    window.menus.show_layer("bob", False)
    assert [name for name, _c, _q in window.article_view.others] == ["gold"]
    # a click-through from elsewhere opens the article with bob's quote selected and shown
    open_source(window, "sample-02")
    window.open_quote(aid, uid)
    assert window.annotation.article_id == aid
    assert window.article_view.selection_span() == (10, 30)
    assert "bob" in [name for name, _c, _q in window.article_view.others]


def test_review_mode_aligns_layers_takes_into_gold_and_comments(window, qtbot):
    from annotator.editing.speakers import add_speaker
    aid = open_source(window, "sample-01")
    kovacs = add_speaker(window.db, "Anna Kovacs")
    # bob and carol agree on one quote; on another, their boundaries differ
    for layer in ("bob", "carol"):
        add_quote(window.db, article_id=aid, layer=layer, fragments=[(10, 60)],
                  speaker_id=kovacs)
    add_quote(window.db, article_id=aid, layer="bob", fragments=[(100, 150)])
    add_quote(window.db, article_id=aid, layer="carol", fragments=[(100, 140)])
    window.refresh()
    window.menus.review_action.trigger()
    assert window.review_dock.isVisible()
    window.review.set_compared([desk.layer_id(window.db, "bob"), desk.layer_id(window.db, "carol")])
    panel = window.review_panel
    assert [u.status for u in panel.units] == ["agree", "boundaries"]
    assert "1 all agree" in panel.summary.text()
    panel.table.setCurrentCell(1, 0)
    assert window.article_view.selection_span() == (100, 150)
    panel.comment.setText("carol's end is right")
    panel.reason.setCurrentIndex(1)
    window.article_view.setFocus()
    press(qtbot, window.article_view, Qt.Key_2, Qt.AltModifier)  # carol's version
    gold = desk.layer_id(window.db, "gold")
    assert [(q["start"], q["end"]) for q in desk.article_quotes(window.db, aid, gold)] == \
        [(100, 140)]
    press(qtbot, window.article_view, Qt.Key_G, Qt.ControlModifier)  # accept the agreed unit
    assert [(q["start"], q["end"]) for q in desk.article_quotes(window.db, aid, gold)] == \
        [(10, 60), (100, 140)]
    assert panel.comments.count() == 1 and "carol's end is right" in panel.comments.item(0).text()
    panel.comments.setCurrentRow(0)
    panel.reply.setText("agreed")
    press(qtbot, panel.reply, Qt.Key_Return)
    assert panel.comments.count() == 2
    panel.comments.setCurrentRow(0)
    panel._resolve()
    assert "resolved" in panel.comments.item(0).text()
    panel.reviewedRequested.emit()
    from annotator.editing.workflow import article_state
    assert article_state(window.db, aid)["reviewed"]
    press(qtbot, window.article_view, Qt.Key_Z, Qt.ControlModifier)  # undo: not reviewed
    assert not article_state(window.db, aid)["reviewed"]


def test_merge_another_project_from_the_window(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    other_path = tmp_path / "bob.quotebook"
    other, _ = open_or_default(other_path)
    from annotator.corpus.importing import import_paths
    from annotator.project import SAMPLE_CORPUS
    import_paths(other, [SAMPLE_CORPUS])
    aid = other.execute("SELECT id FROM articles WHERE source = 'sample-01'").fetchone()[0]
    add_quote(other, article_id=aid, layer="bob", fragments=[(10, 40)])
    other.close()
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.Yes)
    flow = window.merge(str(other_path))
    qtbot.waitUntil(lambda: flow.merged is not None, timeout=20000)
    assert not flow.merged.cancelled and flow.merged.quotes_new == 1
    assert desk.layer_id(window.db, "bob") is not None
    mine = window.db.execute("SELECT id FROM articles WHERE source = 'sample-01'").fetchone()[0]
    assert len(desk.article_quotes(window.db, mine, desk.layer_id(window.db, "bob"))) == 1
    assert window.articles.model.rowCount() == 10  # same texts: no new articles


def test_agreement_report_in_the_window(window, qtbot, tmp_path):
    import json as json_mod
    aid = open_source(window, "sample-01")
    for layer in ("bob", "carol"):
        add_quote(window.db, article_id=aid, layer=layer, fragments=[(10, 60)])
    add_quote(window.db, article_id=aid, layer="bob", fragments=[(100, 150)])
    dialog = window.agreement_dialog()
    qtbot.addWidget(dialog)
    for i in range(dialog.layers.count()):
        item = dialog.layers.item(i)
        item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in ("bob", "carol")
                           else Qt.Unchecked)
    dialog.compute.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert "bob" in dialog.report.toPlainText() and "carol" in dialog.report.toPlainText()
    dialog.save(str(tmp_path / "a.json"), "json")
    saved = json_mod.loads((tmp_path / "a.json").read_text())
    assert saved["layers"] == ["bob", "carol"]
    dialog.save(str(tmp_path / "a.csv"), "csv")
    assert (tmp_path / "a.csv").read_text().count("\n") >= 2
    dialog.close()


def test_review_mode_ticks_the_layers_with_work_never_my_empty_layer(window, qtbot):
    aid = open_source(window, "sample-01")
    other = window.db.execute("SELECT id FROM articles WHERE source = 'sample-02'").fetchone()[0]
    for layer in ("bob", "carol"):
        add_quote(window.db, article_id=aid, layer=layer, fragments=[(10, 60)])
    add_quote(window.db, article_id=other, layer="dan", fragments=[(10, 60)])
    window.refresh()
    window.menus.review_action.trigger()
    panel = window.review_panel
    ids = lambda *names: [desk.layer_id(window.db, n) for n in names]  # noqa: E731
    assert panel.checked_layers() == ids("bob", "carol")  # not tester's empty layer, nor dan
    choices = [panel.layer_list.item(i).text() for i in range(panel.layer_list.count())]
    assert "tester (analyst)" in choices                  # still there, to tick by hand
    assert [u.status for u in panel.units] == ["agree"]
    assert panel.summary.text().startswith("1 unit(s): 1 all agree")
    open_source(window, "sample-02")                      # the next article: its own layers
    assert panel.checked_layers() == ids("dan")
    assert "only dan has worked on this article" in panel.summary.text()
    tester = next(panel.layer_list.item(i) for i in range(panel.layer_list.count())
                  if panel.layer_list.item(i).data(Qt.UserRole) == window.session.layer_id)
    tester.setCheckState(Qt.Checked)                      # by hand: chosen, and it stays
    assert window.review.compared == ids("dan", "tester")
    open_source(window, "sample-01")
    assert panel.checked_layers() == ids("dan", "tester")
    window.menus.review_action.trigger()
    window.menus.review_action.trigger()


def test_review_rows_show_units_settled_in_gold_and_mark_reviewed_says_so(window, qtbot):
    from annotator.editing.workflow import article_state
    aid = open_source(window, "sample-01")
    for layer in ("bob", "carol"):
        add_quote(window.db, article_id=aid, layer=layer, fragments=[(10, 60)])
    add_quote(window.db, article_id=aid, layer="bob", fragments=[(100, 150)])
    window.refresh()
    window.menus.review_action.trigger()
    panel = window.review_panel
    gold_column = [panel.table.horizontalHeaderItem(c).text()
                   for c in range(panel.table.columnCount())].index("Gold")
    cells = lambda: [panel.table.item(r, gold_column).text()  # noqa: E731
                     for r in range(panel.table.rowCount())]
    assert cells() == ["", ""] and "in gold" not in panel.summary.text()
    panel.table.setCurrentCell(1, 0)
    window.article_view.setFocus()
    press(qtbot, window.article_view, Qt.Key_1, Qt.AltModifier)  # bob's version into gold
    assert cells() == ["", "✓ in gold"]
    assert "1 settled in gold" in panel.summary.text()
    press(qtbot, window.article_view, Qt.Key_G, Qt.ControlModifier)
    assert cells() == ["✓ in gold", "✓ in gold"]
    panel.reviewedRequested.emit()
    assert article_state(window.db, aid)["reviewed"]
    assert "reviewed" in window.statusBar().currentMessage()


def test_agreement_dialog_compares_the_layers_with_work_and_ends_full(window, qtbot):
    aid = open_source(window, "sample-01")
    for layer in ("bob", "carol"):
        add_quote(window.db, article_id=aid, layer=layer, fragments=[(10, 60)])
    dialog = window.agreement_dialog()
    qtbot.addWidget(dialog)
    assert dialog.chosen() == ["bob", "carol"]        # tester's layer is empty: not chosen
    dialog.compute.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    qtbot.waitUntil(lambda: dialog.compute.isEnabled(), timeout=20000)
    assert dialog.result["articles"] == 1
    assert dialog.bar.value() == dialog.bar.maximum() > 0
    assert dialog.status.text() == "1 article(s) compared: bob, carol."
    for i in range(dialog.layers.count()):            # an empty layer, chosen by hand
        item = dialog.layers.item(i)
        item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in ("bob", "tester")
                           else Qt.Unchecked)
    dialog.result = None
    dialog.compute.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    qtbot.waitUntil(lambda: dialog.compute.isEnabled(), timeout=20000)
    assert dialog.result["articles"] == 0
    assert dialog.bar.value() == dialog.bar.maximum() > 0   # done, not stuck at 0%
    assert "no article that bob and tester have both worked on" in dialog.status.text()
    dialog.close()


def test_analyst_sees_reviewer_comments_and_replies(window, qtbot):
    from annotator.review.gold import AddComment
    aid = open_source(window, "sample-01")
    uid = add_quote(window.db, article_id=aid, layer="tester", fragments=[(10, 40)])
    AddComment(quote_uuid=uid, body="the speaker is Kovacs", actor="rita").apply(window.db)
    window.refresh()
    assert "1 open comment(s) on my quotes" in window.counts.text()
    panel = window.review_panel
    assert panel.comments.count() == 1 and "rita: the speaker is Kovacs" in \
        panel.comments.item(0).text()
    panel.comments.setCurrentRow(0)
    panel.reply.setText("fixed, thanks")
    press(qtbot, panel.reply, Qt.Key_Return)
    assert panel.comments.count() == 2 and "tester: fixed, thanks" in panel.comments.item(1).text()
    panel.comments.setCurrentRow(0)
    panel._resolve()
    assert panel.comments.count() == 0  # resolved threads leave the analyst's list
    assert "open comment" not in window.counts.text()


def test_single_keys_do_not_act_while_a_box_or_table_has_focus(window, qtbot):
    aid = open_source(window, "sample-01")
    tag(window, qtbot, 0, 20)
    window.article_view.setFocus()
    (q,) = my_quotes(window, aid)
    window.quote_panel.topic_box.setFocus()
    press(qtbot, window.quote_panel.topic_box, Qt.Key_2)
    window.articles.table.setFocus()
    press(qtbot, window.articles.table, Qt.Key_Delete)
    assert my_quotes(window, aid)[0]["position_id"] is None  # no position from the combo
    assert len(my_quotes(window, aid)) == 1                   # not deleted from the table
    window.quote_panel.list.setFocus()
    press(qtbot, window.quote_panel.list, Qt.Key_2)             # the quote list codes
    assert my_quotes(window, aid)[0]["position_id"] is not None


def test_typing_survives_a_refresh_and_bad_names_are_refused(window, qtbot):
    from annotator.editing.codebook import codebook
    aid = open_source(window, "sample-01")
    tag(window, qtbot, 0, 20)
    qtbot.keyClicks(window.quote_panel.speaker_edit, "Anna Ko")
    window.refresh()
    assert window.quote_panel.speaker_edit.text() == "Anna Ko"
    from ui.codebook_editor import CodebookEditor
    editor = CodebookEditor(window.session, window)
    qtbot.addWidget(editor)
    messages = []
    window.session.failed.connect(messages.append)
    editor.positions.item(0, 0).setText("   ")           # a blank label: refused
    second = editor.data[0]["positions"][1]["label"]
    editor.positions.item(0, 0).setText(second)          # a duplicate label: refused
    assert codebook(window.db)[0]["positions"][0]["label"] != second
    assert len(messages) == 2 and "already taken" in messages[1]


def test_windows_line_breaks_keep_offsets_in_the_view(window, qtbot, tmp_path):
    (tmp_path / "crlf.txt").write_bytes("Title line\r\nThe minister said \"we will win\" "
                                        "today.\r\n\r\nMore text 🎉 here.\r\n".encode())
    from annotator.corpus.importing import import_paths
    import_paths(window.db, [tmp_path / "crlf.txt"])
    window.refresh()
    aid = window.db.execute("SELECT id FROM articles WHERE source = 'crlf.txt'").fetchone()[0]
    window.open_quote(aid)
    text = window.annotation.text
    start = text.index("\"we will win\"")
    tag(window, qtbot, start, start + len("\"we will win\""))
    (q,) = my_quotes(window, aid)
    assert text[q["start"]:q["end"]] == "\"we will win\""
    cursor = window.article_view.textCursor()
    assert cursor.selectedText() == "\"we will win\""


def test_a_reviewer_edits_the_gold_layer_directly(window, qtbot):
    from annotator.editing.permissions import set_reviewers
    aid = open_source(window, "sample-01")
    window.menus.gold_action.trigger()
    assert window.session.layer_id == desk.layer_id(window.db, "gold")
    tag(window, qtbot, 0, 20)
    gold = desk.article_quotes(window.db, aid, window.session.layer_id)
    assert len(gold) == 1 and desk.article_quotes(window.db, aid, window.session.own_layer_id) == []
    window.menus.gold_action.trigger()
    assert window.session.layer_id == window.session.own_layer_id
    set_reviewers(window.db, ["rita"])  # now only rita may
    window.menus.gold_action.trigger()
    assert not window.menus.gold_action.isChecked()
    assert window.session.layer_id == window.session.own_layer_id


def test_import_brat_folder_from_the_file_menu(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog
    folder = tmp_path / "brat"
    folder.mkdir()
    text = "Mayor Ann Lee said the bridge opens in May.\n"
    (folder / "bridge.txt").write_text(text, encoding="utf-8")
    (folder / "bridge.ann").write_text("T1\tQuote 19 42\tthe bridge opens in May\n"
                                       "T2\tSpeaker 6 13\tAnn Lee\nR1\tSpeaker Arg1:T1 Arg2:T2\n"
                                       "#1\tAnnotatorNotes T2\tAnn Lee (Mayor, Rivertown)\n",
                                       encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    action = next(a for a in window.findChildren(QAction) if a.text() == "Import &brat folder…")
    with qtbot.waitSignal(window.runner.finished, timeout=120000):   # import, then analysis
        action.trigger()
    assert window.articles.model.rowCount() == 11
    assert window.db.execute(
        "SELECT l.name, q.start, q.\"end\", s.name, s.role FROM quotes q JOIN layers l "
        "ON l.id = q.layer_id JOIN speakers s ON s.id = q.speaker_id WHERE l.name = 'gold' "
        "AND s.name = 'Ann Lee'").fetchall() == [("gold", 19, 42, "Ann Lee", "Mayor")]
