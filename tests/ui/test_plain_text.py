"""Names, titles, notes and outlets that look like HTML are shown as they are, everywhere in the
window: a speaker named "<b>x</b>" shows its tags, an "&amp;" stays "&amp;"."""
import json

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QMouseEvent, QTextCursor, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolTip

from annotator.editing.codebook import codebook
from annotator.corpus.importing import import_paths
from annotator.project import open_or_default
from annotator.editing.edits import add_quote
from annotator.editing.speakers import add_speaker

HTML = "<b>x</b>"        # bold, if taken for HTML
IMG = "<img src=x>"      # a broken image
AMP = "&amp;"            # "&"
ANALYST = "<i>me</i>"
TITLE = f"{HTML} {AMP} {IMG}"
OUTLET = f"<i>Wire</i> {AMP}"
ORG = f"<i>Org</i> {AMP}"
TOPIC = f"{HTML} topic {AMP}"
POSITION = f"{IMG} support"
NOTE = f"{AMP} <b>note</b>"
TEXT = f"{HTML} said: “We will build it, {AMP} soon,” on Monday. Then {IMG} left the room."


def displayed(text: str) -> str:
    """What Qt shows for a tooltip (or a label left to guess): rich text when it looks so."""
    if GuiQt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def label_shows(label: QLabel) -> str:
    fmt = label.textFormat()
    if fmt == Qt.PlainText:
        return label.text()
    if fmt == Qt.RichText:
        doc = QTextDocument()
        doc.setHtml(label.text())
        return doc.toPlainText()
    return displayed(label.text())


def tooltip_at(qtbot, widget, pos: QPoint) -> str:
    """Ask ``widget`` for its tooltip at ``pos`` as Qt does (a ToolTip help event)."""
    QToolTip.hideText()
    event = QHelpEvent(QEvent.ToolTip, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)
    qtbot.waitUntil(lambda: QToolTip.isVisible(), timeout=2000)
    return QToolTip.text()


def visible_boxes():
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


@pytest.fixture
def window(qtbot, tmp_path):
    from ui.main_window import MainWindow
    path = tmp_path / "html.quotebook"
    db, _ = open_or_default(path)
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "h1", "title": TITLE, "outlet": OUTLET, "author": AMP,
                               "published": "2026-01-05", "text": TEXT}) + "\n")
    import_paths(db, [src])
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    topic = codebook(db)[0]
    position = topic["positions"][0]
    db.execute("UPDATE topics SET name = ? WHERE id = ?", [TOPIC, topic["id"]])
    db.execute("UPDATE positions SET label = ? WHERE id = ?", [POSITION, position["id"]])
    db.conn.commit()
    speaker = add_speaker(db, HTML, role=AMP, organisation=ORG)
    other = add_speaker(db, "<b>y</b>", organisation=ORG)
    start, end = TEXT.index("“"), TEXT.index("”") + 1
    for layer, who in ((ANALYST, speaker), ("R&D", other)):
        add_quote(db, article_id=aid, layer=layer, fragments=[(start, end)], speaker_id=who,
                  speaker_span=(0, len(HTML)), topic_id=topic["id"],
                  position_id=position["id"], note=NOTE)
    win = MainWindow(db, path, analyst=ANALYST)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.annotation.load(aid)
    win.quote_panel.list.setCurrentRow(0)
    yield win
    for box in visible_boxes():
        box.close()
    win.close()
    db.close()


def test_the_desk_shows_data_as_plain_text(window, qtbot):
    assert ANALYST in label_shows(window.counts)
    assert label_shows(window.article_pane.title) == TITLE
    meta = label_shows(window.article_pane.meta)
    assert OUTLET in meta and AMP in meta
    model = window.articles.model
    assert model.data(model.index(0, 0)) == TITLE
    assert displayed(model.data(model.index(0, 0), Qt.ToolTipRole)) == TITLE
    assert model.data(model.index(0, 1)) == OUTLET

    panel = window.quote_panel
    assert f"— {HTML} · {POSITION}" in panel.list.item(0).text()
    assert panel.speaker_edit.text() == HTML and panel.note_edit.text() == NOTE
    assert panel.topic_box.itemText(panel.topic_box.currentIndex()) == TOPIC
    assert POSITION in panel.position_box.itemText(panel.position_box.currentIndex())
    assert "My quote" in label_shows(panel.header)  # its own markup, drawn as such

    view = window.article_view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(TEXT.index("build")))
    tip = displayed(tooltip_at(qtbot, view, view.cursorRect(cursor).center()))
    assert f"Quote (direct) by {HTML} · {POSITION}" in tip

    window.menus.fill_layers_menu()
    shown = [a.iconText() for a in window.menus.layers_menu.actions()]  # "&&" shows as "&"
    assert "R&D (analyst)" in shown

    window.session.failed.emit(f"{HTML} is not possible")
    assert HTML in window.statusBar().currentMessage()  # the status bar draws plain text


def test_registry_review_and_message_boxes(window, qtbot):
    window.registry_dock.show()
    window.registry_dock.raise_()
    window.refresh()
    registry = window.registry
    names = [registry.proxy.index(r, 0).data() for r in range(registry.proxy.rowCount())]
    assert sorted(names) == sorted([HTML, "<b>y</b>"])
    registry.table.selectAll()
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        seen.append((box.textFormat(), box.text()))
        box.reject()
    QTimer.singleShot(0, answer)
    registry._merge()
    ((fmt, text),) = seen
    assert fmt == Qt.PlainText and HTML in text and "<b>y</b>" in text

    window.toggle_review(True)
    review = window.review_panel
    layers = [review.layer_list.item(i).text() for i in range(review.layer_list.count())]
    assert f"{ANALYST} (analyst)" in layers and "R&D (analyst)" in layers
    assert review.table.rowCount() == 1
    cells = [review.table.item(0, c).text() for c in range(review.table.columnCount())]
    assert f"{HTML} · {POSITION}" in cells and f"<b>y</b> · {POSITION}" in cells
    assert f"{AMP} soon" in displayed(review.table.item(0, 1).toolTip())
    assert label_shows(review.summary).startswith("1 unit(s)")
    window.toggle_review(False)

    window._analysis_finished(False, f"{HTML} could not be analysed")
    (box,) = visible_boxes()
    assert box.textFormat() == Qt.PlainText and box.text() == f"{HTML} could not be analysed"
    box.close()
    from ui.plain import message_box
    box = message_box(window, QMessageBox.Question, "Merge", f"Merge {HTML}?",
                      informative=f"{IMG} and {AMP}")
    info = box.findChild(QLabel, "qt_msgbox_informativelabel")
    assert label_shows(info) == f"{IMG} and {AMP}"
    assert box.textFormat() == Qt.PlainText


def test_insights_and_network_show_names_as_they_are(window, qtbot):
    panel = window.insights_panel
    with qtbot.waitSignal(panel.updated, timeout=10000):
        window.insights_dock.show()
        panel.set_filters(layer=ANALYST)
    matrix = panel.matrix
    assert [matrix.data(matrix.index(r, 0)) for r in range(matrix.rowCount())] == [HTML]
    assert matrix.data(matrix.index(0, 2)) == ORG
    tip = displayed(matrix.data(matrix.index(0, 4), Qt.ToolTipRole))
    assert tip.startswith(f"{HTML} — {POSITION}: 1 quote(s)")
    assert displayed(matrix.headerData(4, Qt.Horizontal, Qt.ToolTipRole)).startswith(
        f"{TOPIC}: {POSITION}")
    assert panel.bar.topic_box.findData(TOPIC) > 0
    assert panel.bar.outlet_box.findData(OUTLET) > 0

    panel.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: not panel.background.busy(), timeout=10000)
    chart = panel.top_speakers
    chart.repaint()
    bar = chart._hits[0][0].center().toPoint()
    QToolTip.hideText()
    QApplication.sendEvent(chart, QMouseEvent(QEvent.MouseMove, QPointF(bar),
                                              QPointF(chart.mapToGlobal(bar)), Qt.NoButton,
                                              Qt.NoButton, Qt.NoModifier))  # hovering a bar
    qtbot.waitUntil(lambda: QToolTip.isVisible(), timeout=2000)
    assert displayed(QToolTip.text()).startswith(f"{HTML} ({ORG}): 1 quotes")
    with qtbot.waitSignal(panel.background.done, timeout=10000,
                          check_params_cb=lambda kind, _r: kind == "quotes"):
        qtbot.mouseClick(chart, Qt.LeftButton, pos=bar)
    quotes = panel.quotes
    assert HTML in label_shows(quotes.caption)
    assert quotes.table.item(0, 1).text() == OUTLET and quotes.table.item(0, 2).text() == HTML
    assert displayed(quotes.table.item(0, 4).toolTip()).startswith(TITLE)
    assert displayed(quotes.table.item(0, 2).toolTip()) == HTML

    view = window.network_view
    with qtbot.waitSignal(view.updated, timeout=10000):
        window.network_dock.show()
        view.set_filters(layer=ANALYST)
    (node,) = view.items.values()
    assert displayed(node.toolTip()).split("\n")[:2] == [HTML, f"{AMP}, {ORG}"]
    assert view.legend.textFormat() == Qt.RichText  # built with the names escaped
    assert ORG in label_shows(view.legend)
