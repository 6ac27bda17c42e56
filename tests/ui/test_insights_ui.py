"""The Insights panel and the network view, offscreen: they draw, filter, click through to a
quote, follow edits, export PNG/SVG/CSV, and dock in the main window."""
import csv
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage

from annotator.selection import Selection
from annotator.insights.counts import panel_data
from annotator.editing.edits import add_quote
from network_helpers import debate  # noqa: F401  (the hand-counted fixture)


class Session(QObject):
    changed = Signal(object)

    def __init__(self, db, analyst="gold"):
        super().__init__()
        self.db, self.analyst = db, analyst


@pytest.fixture
def session(debate, db):
    return Session(db)


def shown(qtbot, widget, size=(1000, 700)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    with qtbot.waitSignal(widget.updated, timeout=10000):
        widget.show()
        qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def panel(qtbot, session):
    from ui.insights_panel import InsightsPanel
    return shown(qtbot, InsightsPanel(session))


@pytest.fixture
def view(qtbot, session):
    from ui.network_view import NetworkView
    return shown(qtbot, NetworkView(session))


SHOWS = {0: lambda d: d["matrix"] is not None,  # what each tab needs counted
         1: lambda d: d["time"] is not None,
         2: lambda d: None not in (d["top"]["speakers"], d["top"]["outlets"])}


def on_tab(panel, qtbot, index):
    """Show a tab of the panel. Each tab counts only what it shows, so the switch may submit a
    recount: wait until every count asked for is back, then the tab has its numbers."""
    panel.tabs.setCurrentIndex(index)
    qtbot.waitUntil(lambda: not panel.background.busy(), timeout=10000)
    assert SHOWS[index](panel.data)


def listed(qtbot, widget):
    """Wait for the quotes a click asked for: the worker may answer a recount first, so the
    wait is for the "quotes" result, not for any result."""
    return qtbot.waitSignal(widget.background.done, timeout=10000,
                            check_params_cb=lambda kind, _result: kind == "quotes")


def matrix_cells(panel):
    m = panel.matrix
    return {(m.rows[r]["name"], m.column(c)["id"]): int(m.data(m.index(r, c)))
            for r in range(m.rowCount()) for c in range(4, m.columnCount())
            if m.data(m.index(r, c))}


def painted(image: QImage) -> int:
    """Pixels that are neither white nor the background (the widget drew something)."""
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    return len(colours)


def test_panel_draws_the_hand_counts_offscreen(panel, qtbot, db):
    assert panel.objectName() == "insightsPanel"
    assert panel.bar.layer_box.currentData() == "gold"  # the session's layer
    assert matrix_cells(panel) == {("Ann", 11): 2, ("Ann", 13): 1, ("Ann", 22): 1,
                                   ("Bo", 11): 1, ("Cy", 12): 1, ("Cy", 22): 1, ("Dee", 12): 1}
    assert panel.summary.text().startswith("8 quotes")
    m = panel.matrix
    assert [m.headerData(c, Qt.Horizontal) for c in range(4)] == ["Speaker", "Role",
                                                                  "Organisation", "Total"]
    assert m.data(m.index(0, 1)) == "Minister"
    dark = m.data(m.index(0, 4), Qt.BackgroundRole)   # Ann x Support = 2, the maximum
    light = m.data(m.index(0, 6), Qt.BackgroundRole)  # Ann x Neutral = 1
    assert dark.lightness() < light.lightness()
    view = panel.matrix_view
    view.sortByColumn(0, Qt.AscendingOrder)  # sortable: by name
    proxy = view.model()
    assert [proxy.index(r, 0).data() for r in range(4)] == ["Ann", "Bo", "Cy", "Dee"]
    view.sortByColumn(5, Qt.DescendingOrder)  # by the Oppose column
    assert {proxy.index(r, 0).data() for r in range(2)} == {"Cy", "Dee"}
    assert panel.data["time"] is None  # the matrix alone is on screen: no articles' pass
    for tab in range(3):
        on_tab(panel, qtbot, tab)
        assert painted(panel.grab().toImage()) > 8
        if tab == 1:  # counted while its tab is on screen
            assert panel.time_chart.periods == ["2026-01", "2026-02", "2026-03"]
    assert [i["label"] for i in panel.top_speakers.items] == ["Ann", "Cy", "Bo", "Dee"]


def test_each_filter_in_the_bar(panel, qtbot, db):
    db.execute("UPDATE articles SET outlet = 'Post' WHERE source = 'd3'")
    db.conn.commit()
    panel.fill_choices()
    cases = [
        (dict(topic="Climate"), {("Ann", 22): 1, ("Cy", 22): 1}),
        (dict(topic="", outlet="Post"), {("Dee", 12): 1}),
        (dict(outlet="", date_from="2026-02-01", date_to="2026-02-28"),
         {("Ann", 13): 1, ("Ann", 22): 1, ("Cy", 12): 1, ("Cy", 22): 1}),
        (dict(date_from="", date_to="", article_status="done"), {}),
        (dict(article_status="", layer="alice"), {("Cy", 21): 1}),
    ]
    for filters, want in cases:
        with qtbot.waitSignal(panel.updated, timeout=10000):
            panel.set_filters(**filters)
        assert matrix_cells(panel) == want, filters
        expected = panel_data(db, panel.filters())
        assert panel.summary.text().startswith(f"{expected['totals']['quotes']} quotes")
    assert panel.filters() == Selection(layers=("alice",))
    on_tab(panel, qtbot, 1)
    with qtbot.waitSignal(panel.updated, timeout=10000):
        panel.set_filters(layer="gold", bucket="year")
    assert panel.time_chart.periods == ["2026"]


def test_click_cell_then_quote_opens_the_article(panel, qtbot, db, debate):
    view = panel.matrix_view
    proxy = view.model()
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "Ann")
    index = proxy.index(row, 4)  # Ann x Tariffs: Support
    with listed(qtbot, panel):
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.visualRect(index).center())
    table = panel.quotes.table
    assert table.rowCount() == 2 and "2 quote(s): Ann" in panel.quotes.caption.text()
    assert table.item(0, 2).text() == "Ann" and table.item(0, 3).text() == "Support"
    with qtbot.waitSignal(panel.openQuote, timeout=2000) as sig:
        cell = table.visualItemRect(table.item(1, 4)).center()
        qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=cell)
    article_id, uuid = sig.args
    row = db.execute("SELECT article_id, speaker_id, position_id FROM quotes WHERE uuid = ?",
                     [uuid]).fetchone()
    assert row == (article_id, debate["Ann"], 11) and article_id == 1


def test_click_points_and_bars(panel, qtbot):
    on_tab(panel, qtbot, 1)
    panel.time_chart.repaint()
    with listed(qtbot, panel):
        assert panel.time_chart.click_first()  # Tariffs: Support, 2026-01
    assert panel.quotes.table.rowCount() == 3
    assert "2026-01" in panel.quotes.caption.text()
    on_tab(panel, qtbot, 2)  # the Top tab recounts the speakers (the time tab skipped them)
    panel.top_outlets.repaint()
    chart = panel.top_outlets
    with listed(qtbot, panel):
        qtbot.mouseClick(chart, Qt.LeftButton, pos=chart._hits[0][0].center().toPoint())
    assert panel.quotes.table.rowCount() == 8


def test_panel_follows_edits(panel, qtbot, db, session, debate):
    add_quote(db, article_id=2, layer="gold", fragments=[(50, 52)], speaker_id=debate["Bo"],
              topic_id=2, position_id=21)
    with qtbot.waitSignal(panel.updated, timeout=10000):
        session.changed.emit(None)
    assert matrix_cells(panel)[("Bo", 21)] == 1


def test_panel_exports_png_svg_csv(panel, tmp_path):
    for what in ("matrix", "time", "top"):
        png = panel.export(tmp_path / f"{what}.png", what)
        image = QImage(str(png))
        assert not image.isNull() and image.width() > 100 and painted(image) > 4
        svg = panel.export(tmp_path / f"{what}.svg", what)
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg") and len(list(root.iter())) > 10
    with open(panel.export(tmp_path / "m.csv", "matrix"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ann = next(r for r in rows if r["Speaker"] == "Ann")
    assert ann["Total"] == "4" and ann["Tariffs: Support"] == "2" and ann["Role"] == "Minister"
    with open(panel.export(tmp_path / "t.csv", "time"), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["period", "Support"] and rows[1][:2] == ["2026-01", "3"]
    with open(panel.export(tmp_path / "top.csv", "top"), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert ["Top speakers", "Ann", "4"] in rows and ["Top outlets", "Wire", "8"] in rows


def test_network_view_draws_and_switches(view, qtbot, debate):
    assert view.objectName() == "networkView"
    speakers = {k: f"s{v}" for k, v in debate.items()}
    assert set(view.items) == set(speakers.values())
    ties = {(frozenset((s, t)), k) for s, t, _a, k in view.graph["ties"]}
    assert (frozenset((speakers["Ann"], speakers["Bo"])), "congruence") in ties
    assert (frozenset((speakers["Bo"], speakers["Dee"])), "conflict") in ties
    assert len(ties) == 7  # 3 congruence + 4 conflict (the export's hand counts)
    ann = view.items[speakers["Ann"]]
    bo = view.items[speakers["Bo"]]
    assert ann.rect().width() > bo.rect().width()  # sized by quotes
    assert "Minister, Government" in ann.toolTip() and "4 coded quote(s)" in ann.toolTip()
    assert ann.brush().color() != view.items[speakers["Cy"]].brush().color()  # organisations
    assert painted(view.grab().toImage()) > 8
    with qtbot.waitSignal(view.updated, timeout=10000):
        view.set_filters(mode="two_mode")
    assert {n for n in view.items if n.startswith("c")} == {"c11", "c12", "c13", "c22"}
    with qtbot.waitSignal(view.updated, timeout=10000):
        view.set_filters(mode="conflict", min_weight=2)
    assert view.graph["ties"] == []


def test_network_stays_put_and_clicks_through(view, qtbot, db, session, debate):
    before = dict(view.positions["one"])
    add_quote(db, article_id=2, layer="gold", fragments=[(50, 52)], speaker_id=debate["Bo"],
              topic_id=2, position_id=22)
    with qtbot.waitSignal(view.updated, timeout=10000):
        session.changed.emit(None)
    from annotator.insights.layout import movement
    spread = max(abs(c) for p in before.values() for c in p)
    assert movement(before, view.positions["one"]) < spread / 2
    view.fit()
    node = view.items[f"s{debate['Ann']}"]
    canvas = view.canvas
    point = canvas.mapFromScene(node.rect().center())
    with listed(qtbot, view):
        qtbot.mouseClick(canvas.viewport(), Qt.LeftButton, pos=point)
    assert view.quotes.table.rowCount() == 4
    with qtbot.waitSignal(view.openQuote, timeout=2000) as sig:
        view.quotes.table.cellClicked.emit(0, 4)
    assert db.execute("SELECT speaker_id FROM quotes WHERE uuid = ?",
                      [sig.args[1]]).fetchone()[0] == debate["Ann"]


def test_network_exports_png_and_svg(view, tmp_path):
    image = QImage(str(view.export(tmp_path / "n.png")))
    assert image.width() == 2400 and painted(image) > 8
    root = ET.parse(view.export(tmp_path / "n.svg")).getroot()
    assert root.tag.endswith("svg")
    assert "Ann" in ET.tostring(root, encoding="unicode")


def test_the_default_layer_has_work_never_a_reviewers_empty_layer(qtbot, debate, db):
    from ui.filter_bar import FilterBar
    from ui.insights_panel import InsightsPanel
    from annotator.store.db import ensure_layer
    ensure_layer(db, "rita")                       # a reviewer opened the project: empty layer
    panel = shown(qtbot, InsightsPanel(Session(db, "rita")))
    assert panel.bar.layer_box.currentData() == "gold"   # the layer with the corpus's work
    assert panel.summary.text().startswith("8 quotes")

    def default(analyst):
        bar = FilterBar(Session(db, analyst), [("layer", "topic")])
        qtbot.addWidget(bar)
        bar.fill_choices()
        return bar
    assert default("alice").layer_box.currentData() == "alice"  # my layer, with work
    db.execute("DELETE FROM quotes WHERE layer_id = (SELECT id FROM layers WHERE name = 'gold')")
    db.conn.commit()
    bar = default("rita")
    assert bar.layer_box.currentData() == "alice"  # no gold yet: an analyst's layer with work
    bar.set_filters(layer="rita")                  # an empty layer, chosen by hand
    assert bar.filters().layers == ("rita",)


def test_one_filter_bar_alone(qtbot, session):
    """The bar both windows share: filled from the project, one ``changed`` for several
    filters, a refused choice leaves it working, a filter it lacks is an error."""
    from ui.filter_bar import FilterBar
    bar = FilterBar(session, [("layer", "topic")])
    qtbot.addWidget(bar)
    bar.fill_choices()
    assert bar.layer_box.currentData() == "gold"  # the session's layer
    assert bar.outlet_box is None and bar.from_edit is None and bar.all_dates is None
    changes = []
    bar.changed.connect(lambda: changes.append(bar.filters()))
    bar.set_filters(layer="alice", topic="Climate")
    assert changes == [Selection(layers=("alice",), topics=("Climate",))]
    with pytest.raises(ValueError, match="no choice 'nobody'"):
        bar.set_filters(layer="nobody")
    with pytest.raises(TypeError):
        bar.set_filters(outlet="Post")
    assert len(changes) == 1 and not bar.layer_box.signalsBlocked()
    bar.topic_box.setCurrentIndex(0)  # as a user would: "all topics"
    assert changes[-1] == Selection(layers=("alice",))


def test_the_window_docks_both_views_wired_to_open_quote(qtbot, debate, db, project_path):
    """Insights and Discourse network are docks of the main window, at the end of its View
    menu, with one filter bar class; a quote clicked in either opens its article."""
    from ui.filter_bar import FilterBar
    from ui.main_window import MainWindow
    win = MainWindow(db, project_path, analyst="tester")
    qtbot.addWidget(win)
    assert win.findChild(QObject, "insightsPanel") is win.insights_panel
    assert win.findChild(QObject, "networkView") is win.network_view
    assert (win.insights_dock.objectName(), win.network_dock.objectName()) == \
        ("insightsDock", "networkDock")
    assert type(win.insights_panel.bar) is type(win.network_view.bar) is FilterBar
    first, second = db.execute("SELECT article_id, uuid FROM quotes WHERE article_id IN (1, 2) "
                               "GROUP BY article_id ORDER BY article_id").fetchall()
    win.insights_panel.openQuote.emit(*second)
    assert win.annotation.article_id == 2
    win.network_view.openQuote.emit(*first)
    assert win.annotation.article_id == 1
    view_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&View")
    assert [a.text() for a in view_menu.actions()][-2:] == ["Insights", "Discourse network"]
    win.close()


def test_cell_to_article_in_the_main_window(qtbot, debate, db, project_path):
    """The whole way: a matrix cell, a quote behind it, the article open with it selected."""
    from ui.main_window import MainWindow
    win = MainWindow(db, project_path, analyst="tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    panel = win.insights_panel
    with qtbot.waitSignal(panel.updated, timeout=10000):
        win.insights_dock.show()
        panel.set_filters(layer="gold")
    view = panel.matrix_view
    row = next(r for r in range(panel.matrix.rowCount()) if panel.matrix.rows[r]["name"] == "Cy")
    index = panel.matrix.index(row, 5)  # Cy x Tariffs: Oppose (article 2)
    with listed(qtbot, panel):
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.visualRect(index).center())
    assert panel.quotes.table.rowCount() == 1
    table = panel.quotes.table
    qtbot.mouseClick(table.viewport(), Qt.LeftButton,
                     pos=table.visualItemRect(table.item(0, 4)).center())
    uuid = panel.quotes.quotes[0]["uuid"]
    start, end = db.execute('SELECT start, "end" FROM quotes WHERE uuid = ?', [uuid]).fetchone()
    assert win.annotation.article_id == 2
    assert win.article_view.selection_span() == (start, end)
    win.close()


def test_listed_quotes_export_and_a_failed_count(panel, qtbot, db, tmp_path):
    with listed(qtbot, panel):
        panel.list_quotes("Wire", outlet="Wire")
    with open(panel.export(tmp_path / "q.csv", "quotes"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 8 and {r["outlet"] for r in rows} == {"Wire"}
    assert all(db.execute("SELECT 1 FROM quotes WHERE uuid = ?", [r["uuid"]]).fetchone()
               for r in rows)
    db.execute("DELETE FROM topics WHERE name = 'Climate'")  # gone since the bar was filled
    db.conn.commit()
    with qtbot.waitSignal(panel.background.failed, timeout=10000):
        panel.set_filters(topic="Climate")
    assert panel.summary.text().startswith("Cannot count: no topic 'Climate'")
    assert not panel.background.busy()


def test_new_outlets_and_the_date_bar(panel, qtbot, db, session):
    assert panel.bar.outlet_box.findData("Post") < 0
    db.execute("UPDATE articles SET outlet = 'Post' WHERE source = 'd3'")
    db.conn.commit()
    with qtbot.waitSignal(panel.updated, timeout=10000):
        session.changed.emit(None)  # an outside change: the outlet list follows
    assert panel.bar.outlet_box.findData("Post") > 0
    calendar = panel.bar.from_edit.calendarWidget()
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 1)  # not 1900
    with qtbot.waitSignal(panel.updated, timeout=10000):
        panel.set_filters(date_from="2026-03-01")
    assert matrix_cells(panel) == {("Dee", 12): 1}
    with qtbot.waitSignal(panel.updated, timeout=10000):
        qtbot.mouseClick(panel.bar.all_dates, Qt.LeftButton)
    assert panel.filters().date_from is None and len(matrix_cells(panel)) == 7


def test_each_tab_counts_what_it_shows(qtbot, tmp_path):
    """The time chart's tab skips the pass by speaker; the matrix is counted when shown."""
    from PySide6.QtCore import QObject, Signal
    from annotator.corpus.importing import import_paths
    from annotator.project import SAMPLE_CORPUS
    from annotator.editing.edits import add_quote
    from annotator.store.db import open_project
    from ui.insights_panel import InsightsPanel

    class Session(QObject):
        changed = Signal(object)
    db = open_project(tmp_path / "tabs.quotebook")
    import_paths(db, [SAMPLE_CORPUS])
    add_quote(db, article_id=1, layer="gold", fragments=[(0, 5)])
    session = Session()
    session.db, session.project_path, session.analyst = db, tmp_path / "tabs.quotebook", "x"
    panel = InsightsPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_filters(layer="gold")
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: panel.data is not None and panel.data["time"] is not None,
                    timeout=5000)
    qtbot.waitUntil(lambda: not panel.background.busy(), timeout=5000)
    assert panel.data["matrix"] is None and "1 quotes" in panel.summary.text()
    panel.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.data["matrix"] is not None, timeout=5000)


def test_no_position_column_totals_and_empty_views_say_why(panel, qtbot, db, session, debate):
    for n in range(3):  # Ann speaks three more times, not coded yet
        add_quote(db, article_id=1, layer="gold", fragments=[(40 + 2 * n, 41 + 2 * n)],
                  speaker_id=debate["Ann"])
    with qtbot.waitSignal(panel.updated, timeout=10000):
        session.changed.emit(None)
    m = panel.matrix
    last = m.columnCount() - 1
    assert m.headerData(last, Qt.Horizontal) == "(no position)"
    ann = next(r for r in range(m.rowCount()) if m.rows[r]["name"] == "Ann")
    assert m.data(m.index(ann, 3)) == "7" and m.data(m.index(ann, last)) == "3"
    assert m.data(m.index(ann, last), Qt.BackgroundRole) is None  # not shaded as a position
    proxy = panel.matrix_view.model()
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "Ann")
    with listed(qtbot, panel):
        panel._cell_clicked(proxy.index(row, last))
    assert panel.quotes.table.rowCount() == 3
    assert {panel.quotes.table.item(r, 3).text() for r in range(3)} == {"(no position)"}
    on_tab(panel, qtbot, 2)
    assert next(i["count"] for i in panel.top_speakers.items if i["label"] == "Ann") == 7
    # every article undated: the time chart says why it is empty, and how to add dates
    db.execute("UPDATE articles SET published = NULL")
    db.conn.commit()
    on_tab(panel, qtbot, 1)
    with qtbot.waitSignal(panel.updated, timeout=10000):
        session.changed.emit(None)
    assert "has a date" in panel.time_chart.empty_text
    assert "Edit details" in panel.time_chart.empty_text
    # nothing coded: the summary says so
    db.execute("UPDATE quotes SET position_id = NULL")
    db.conn.commit()
    on_tab(panel, qtbot, 0)
    with qtbot.waitSignal(panel.updated, timeout=10000):
        session.changed.emit(None)
    assert "no position coded yet" in panel.summary.text()


def test_network_view_draws_only_what_it_can(qtbot, session, debate, monkeypatch):
    """A network larger than a drawing holds: only the most quoted speakers and the heaviest
    ties are made, laid out and drawn, and the status line says so."""
    import ui.network_view as nv
    monkeypatch.setattr(nv, "MAX_SPEAKERS", 2)
    monkeypatch.setattr(nv, "MAX_TIES", 1)
    view = shown(qtbot, nv.NetworkView(session))
    ann, cy = f"s{debate['Ann']}", f"s{debate['Cy']}"  # 4 and 2 coded quotes: the most
    assert set(view.items) == set(view.graph["positions"]) == {ann, cy}
    assert [(frozenset((s, t)), k) for s, t, _a, k in view.graph["ties"]] == \
        [(frozenset((ann, cy)), "congruence")]
    assert "the 2 most quoted of 4 speakers" in view.status.text()
    assert "the 1 heaviest of 2 ties" in view.status.text()
