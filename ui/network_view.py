"""The discourse network in the window: speakers tied by agreement and conflict.

The graph is ``annotator.network`` (the same ties as the network export), laid out by
``annotator.layout`` in a worker thread, warm-started from the last positions so a refresh
moves little. Nodes: speakers coloured by organisation and sized by quotes (concepts as squares
in the two-mode graph); ties: congruence green, conflict red and dashed, width by weight. Wheel
zooms, dragging pans, hovering shows details, a click lists the speaker's quotes.
"""
from __future__ import annotations

import math
from html import escape
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (QComboBox, QGraphicsEllipseItem, QGraphicsLineItem,
                               QGraphicsRectItem, QGraphicsScene, QGraphicsSimpleTextItem,
                               QGraphicsView, QHBoxLayout, QLabel, QMenu, QFileDialog,
                               QSpinBox, QSplitter, QToolButton, QVBoxLayout, QWidget)

from annotator.insights import counts as insights
from annotator.editing.codebook import codebook
from annotator.insights.layout import force_layout

from .charts import PALETTE, save_painting
from .filter_bar import FilterBar, FilteredView, choose, narrow
from .insight_jobs import Background
from .insight_tables import QuoteList
from .plain import tip as plain_tip
from .session import DATA_ERRORS, data_error

MODES = (("Agreement and conflict", "both"), ("Agreement (congruence)", "congruence"),
         ("Conflict", "conflict"), ("Speakers and positions", "two_mode"))
TIE_COLOURS = {"congruence": "#1a9850", "conflict": "#d73027", "two_mode": "#868e96"}
NO_ORG, OTHER_ORG = "#d0d0d0", "#8c8c8c"
SCALE = 80.0  # pixels per layout unit
MAX_TIES = 3000  # drawn at most (the heaviest); the status line says how many there are
MAX_SPEAKERS = 300  # drawn and laid out at most (the most quoted); the status line says so


class Label(QGraphicsSimpleTextItem):
    """A node's name on a pale halo, the same size at every zoom."""

    def __init__(self, text: str):
        super().__init__(text)
        self.setFlag(QGraphicsSimpleTextItem.ItemIgnoresTransformations)
        self.setBrush(QColor("#212529"))
        self.setZValue(3)

    def paint(self, painter, option, widget=None) -> None:
        painter.fillRect(self.boundingRect().adjusted(-2, 0, 2, 0), QColor(255, 255, 255, 190))
        super().paint(painter, option, widget)


def network_job(db, *, filters, mode: str, min_weight: int, previous: dict) -> dict:
    """Worker side: the graph of ``mode`` with its layout (runs on the worker's connection).
    Only what can be drawn is made and laid out: the ``MAX_SPEAKERS`` most quoted speakers
    and the ``MAX_TIES`` heaviest ties among them."""
    net = insights.network_data(db, filters, min_weight=min_weight, top=MAX_TIES,
                                speakers=MAX_SPEAKERS)
    if mode == "two_mode":
        nodes, ties = net.two_mode.nodes, [(s, t, a, "two_mode") for s, t, a in
                                            net.two_mode.edges]
        pull = net.two_mode.edges
        total = net.two_mode.all_edges
    else:
        kinds = ("congruence", "conflict") if mode == "both" else (mode,)
        graphs = {"congruence": net.congruence, "conflict": net.conflict}
        nodes = net.congruence.nodes
        ties = [(s, t, a, k) for k in kinds for s, t, a in graphs[k].edges]
        pull = graphs["conflict" if mode == "conflict" else "congruence"].edges
        total = sum(graphs[k].all_edges for k in kinds)
    colours = {f"c{p['id']}": p["colour"] for t in codebook(db) for p in t["positions"]}
    positions = force_layout([n for n, _ in nodes], [(s, t, a["weight"]) for s, t, a in pull],
                             previous=previous)
    if len(ties) > MAX_TIES:  # a drawing of every tie of a dense network is a grey blot
        ties = sorted(ties, key=lambda tie: -tie[2]["weight"])[:MAX_TIES]
    return {"mode": mode, "nodes": nodes, "ties": ties, "positions": positions,
            "colours": colours, "all_ties": total, "all_speakers": net.all_speakers}


class NetworkCanvas(QGraphicsView):
    """Zoom with the wheel, pan by dragging; a click (not a drag) on a node emits it."""

    nodeClicked = Signal(str)

    def __init__(self, scene):
        super().__init__(scene)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.BoundingRectViewportUpdate)
        self._press = None

    def wheelEvent(self, event) -> None:
        factor = 1.15 ** (event.angleDelta().y() / 120)
        self.scale(factor, factor)

    def mousePressEvent(self, event) -> None:
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if self._press is not None and (event.position() - self._press).manhattanLength() < 5:
            for item in self.items(event.position().toPoint()):
                node = item.data(0)
                if node:
                    self.nodeClicked.emit(node)
                    break
        self._press = None


class NetworkView(FilteredView):
    """Filter bar, the drawn network with its legend, and the quotes of a clicked node."""

    openQuote = Signal(int, str)
    updated = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("networkView")
        self.session = session
        self.positions: dict[str, dict] = {}   # "one"/"two" -> {node: (x, y)}
        self.graph: dict | None = None
        self.items: dict[str, QGraphicsEllipseItem] = {}
        self._dirty, self._fitted = True, False
        self._caption = ""
        self.background = Background(session.db, self)
        self.background.done.connect(self._done)
        self.background.failed.connect(lambda _k, m: self.status.setText(f"Cannot draw: {m}"))

        self.mode_box = narrow(QComboBox(), 16)
        for label, key in MODES:
            self.mode_box.addItem(label, key)
        self.weight_spin = QSpinBox(minimum=1, maximum=999, value=1)
        self.weight_spin.setToolTip("Leave out ties lighter than this (topics shared; quotes "
                                    "in the two-mode graph)")
        self.labels_spin = QSpinBox(minimum=0, maximum=500, value=25)
        self.labels_spin.setToolTip("Name only this many of the largest nodes (hover for the "
                                    "others)")
        fit = QToolButton(text="Fit")
        fit.setToolTip("Show the whole network")
        fit.clicked.connect(self.fit)
        export = QToolButton(text="Export")
        export.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(export)
        menu.addAction("Network as PNG…", lambda: self._export_dialog(".png"))
        menu.addAction("Network as SVG…", lambda: self._export_dialog(".svg"))
        export.setMenu(menu)
        self.bar = FilterBar(session, [("layer", "topic")], widths={"layer": 10, "topic": 16})
        self.bar.put("Ties", self.mode_box, 0, 2)
        self.bar.put("Min. weight", self.weight_spin, 1, 0)
        self.bar.put("Labels", self.labels_spin, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(fit)
        buttons.addWidget(export)
        self.bar.put(None, buttons, 1, 2)

        self.scene = QGraphicsScene(self)
        self.canvas = NetworkCanvas(self.scene)
        self.canvas.setObjectName("networkCanvas")
        self.canvas.nodeClicked.connect(self.node_clicked)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.RichText)  # built with escaped names (legend_html)
        self.status = QLabel()
        self.status.setTextFormat(Qt.PlainText)
        self.quotes = QuoteList()
        self.quotes.caption.setText("Click a speaker to list their quotes.")
        self.quotes.openQuote.connect(self.openQuote)
        top = QWidget()
        col = QVBoxLayout(top)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.canvas, 1)
        col.addWidget(self.legend)
        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(self.quotes)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 160])
        self._lay_out(session, self.status, split, delay=300)
        self.mode_box.currentIndexChanged.connect(self.refresh)
        self.weight_spin.valueChanged.connect(self.refresh)
        self.labels_spin.valueChanged.connect(self._draw)
        self.refresh()

    def set_filters(self, *, mode=None, min_weight=None, **filters) -> None:
        """Choose ``layer``, ``topic``, ``mode`` and ``min_weight`` as a user would; one
        refresh."""
        for w in (self.mode_box, self.weight_spin):
            w.blockSignals(True)
        try:
            if mode is not None:
                choose(self.mode_box, mode)
            if min_weight is not None:
                self.weight_spin.setValue(min_weight)
        finally:
            for w in (self.mode_box, self.weight_spin):
                w.blockSignals(False)
        self.bar.set_filters(**filters)

    def mode(self) -> str:
        return self.mode_box.currentData()

    def refresh(self, *_args) -> None:
        if not self._due():
            return
        group = "two" if self.mode() == "two_mode" else "one"
        self.status.setText("Laying out the network…")
        self.background.submit("network", network_job, filters=self.filters(),
                               mode=self.mode(), min_weight=self.weight_spin.value(),
                               previous=dict(self.positions.get(group, {})))

    def sizeHint(self) -> QSize:
        return QSize(900, 340)  # a bottom dock that leaves the article readable

    def _done(self, kind: str, result) -> None:
        if kind == "quotes":
            self.quotes.show_quotes(self._caption, result)
            return
        self.graph = result
        group = "two" if result["mode"] == "two_mode" else "one"
        self.positions[group] = result["positions"]
        self._draw()
        if not self._fitted and self.items:
            self._fitted = True
            QTimer.singleShot(0, self, self.fit)
        self.updated.emit()

    # -- drawing -------------------------------------------------------------------------------
    def organisation_colours(self) -> dict[str, str]:
        """Organisations by number of quotes, each a palette colour (the rest grey)."""
        totals: dict[str, int] = {}
        for _node, a in self.graph["nodes"]:
            if a["type"] == "speaker" and a["organisation"]:
                totals[a["organisation"]] = totals.get(a["organisation"], 0) + a["quotes"]
        ranked = sorted(totals, key=lambda o: (-totals[o], o))
        return {org: PALETTE[i] if i < len(PALETTE) else OTHER_ORG
                for i, org in enumerate(ranked)}

    def _draw(self, *_args) -> None:
        self.scene.clear()
        self.items = {}
        g = self.graph
        if not g:
            return
        if not g["nodes"]:
            self.status.setText("No speaker with a coded position for these filters.")
            self.legend.setText("")
            return
        orgs = self.organisation_colours()
        pos = {n: QPointF(x * SCALE, y * SCALE) for n, (x, y) in g["positions"].items()}
        top_q = max(a["quotes"] for _n, a in g["nodes"]) or 1
        radius = {n: 5 + 15 * math.sqrt(a["quotes"] / top_q) for n, a in g["nodes"]}
        top_w = max((a["weight"] for *_x, a, _k in g["ties"]), default=1)
        attrs = dict(g["nodes"])
        degree: dict[tuple, int] = {}
        for s, t, a, kind in g["ties"]:
            pen = QPen(QColor(TIE_COLOURS[kind]), 0.8 + 5 * math.sqrt(a["weight"] / top_w))
            colour = pen.color()
            colour.setAlpha(150)
            pen.setColor(colour)
            if kind == "conflict":
                pen.setStyle(Qt.DashLine)
            line = QGraphicsLineItem(pos[s].x(), pos[s].y(), pos[t].x(), pos[t].y())
            line.setPen(pen)
            what = {"congruence": "agree on", "conflict": "in conflict on"}.get(kind)
            line.setToolTip(plain_tip(f"{attrs[s]['label']} — {attrs[t]['label']}: " +
                                      (f"{what} {a['weight']} topic(s): {a['topics']}" if what
                                       else f"{a['weight']} quote(s)")))
            line.setZValue(0)
            self.scene.addItem(line)
            for n in (s, t):
                degree[(n, kind)] = degree.get((n, kind), 0) + 1
        labelled = self._labels(g["nodes"], pos, radius)
        for node, a in g["nodes"]:
            r, p = radius[node], pos[node]
            if a["type"] == "concept":
                item = QGraphicsRectItem(p.x() - r, p.y() - r, 2 * r, 2 * r)
                item.setBrush(QBrush(QColor(g["colours"].get(node) or "#adb5bd")))
                tip = f"{a['label']}\n{a['quotes']} quote(s)"
            else:
                item = QGraphicsEllipseItem(p.x() - r, p.y() - r, 2 * r, 2 * r)
                org = a["organisation"]
                item.setBrush(QBrush(QColor(orgs.get(org, NO_ORG) if org else NO_ORG)))
                who = ", ".join(x for x in (a["role"], org) if x)
                ties = ", ".join(f"{degree[(node, k)]} {k} tie(s)" for k in
                                 ("congruence", "conflict", "two_mode") if (node, k) in degree)
                tip = "\n".join(x for x in (a["label"], who, f"{a['quotes']} coded quote(s)",
                                            ties, "Click to list the quotes") if x)
            item.setPen(QPen(QColor("#343a40"), 1))
            item.setToolTip(plain_tip(tip))
            item.setData(0, node)
            item.setZValue(2)
            item.setCursor(Qt.PointingHandCursor)
            self.scene.addItem(item)
            self.items[node] = item
            if node in labelled:
                text = Label(a["label"])
                text.setPos(p.x() + r * 0.75, p.y() + r * 0.5)
                self.scene.addItem(text)
        self.scene.setSceneRect(self.scene.itemsBoundingRect().adjusted(-60, -40, 160, 40))
        speakers = sum(1 for _n, a in g["nodes"] if a["type"] == "speaker")
        shown = (f"the {len(g['ties']):,} heaviest of {g['all_ties']:,} ties (raise "
                 f"Min. weight to see the rest)" if g["all_ties"] > len(g["ties"])
                 else f"{len(g['ties']):,} ties")
        if g.get("all_speakers", speakers) > speakers:
            speakers = f"the {speakers} most quoted of {g['all_speakers']:,}"
        self.status.setText(f"{speakers} speakers · {shown} · wheel to zoom, drag to pan, "
                            "hover for details, click for the quotes")
        self.legend.setText(self.legend_html(orgs))

    def _labels(self, nodes, pos, radius) -> set:
        """The largest nodes whose names fit without covering a larger one's name (at the
        current zoom), up to the Labels setting."""
        scale = self.canvas.transform().m11() or 1.0
        fm = self.fontMetrics()
        placed, out = [], set()
        for node, a in sorted(nodes, key=lambda x: -x[1]["quotes"]):
            if len(out) >= self.labels_spin.value():
                break
            r, p = radius[node], pos[node]
            box = QRectF(p.x() + r * 0.75, p.y() + r * 0.5,
                         (fm.horizontalAdvance(a["label"]) + 4) / scale, fm.height() / scale)
            if not any(box.intersects(other) for other in placed):
                placed.append(box)
                out.add(node)
        return out

    def legend_html(self, orgs: dict) -> str:
        def chip(colour, text, shape="●"):
            return (f"<span style='color:{colour}'>{shape}</span>&nbsp;"
                    f"{escape(text).replace(' ', '&nbsp;')}")
        parts = [chip(c, o) for o, c in list(orgs.items())[:len(PALETTE)]]
        if len(orgs) > len(PALETTE):
            parts.append(chip(OTHER_ORG, "other organisations"))
        parts.append(chip(NO_ORG, "no organisation"))
        mode = self.graph["mode"] if self.graph else "both"
        if mode in ("both", "congruence"):
            parts.append(chip(TIE_COLOURS["congruence"], "agree (congruence)", "━"))
        if mode in ("both", "conflict"):
            parts.append(chip(TIE_COLOURS["conflict"], "conflict", "╍"))
        if mode == "two_mode":
            parts.append(chip("#1b9e77", "position (square, codebook colour)", "■"))
        return "&nbsp;&nbsp; ".join(parts) + "&nbsp;&nbsp; · size: number of quotes"

    def fit(self) -> None:
        """Show the whole network (names re-chosen for the new zoom)."""
        if self.items:
            self.canvas.fitInView(self.scene.itemsBoundingRect().adjusted(-20, -20, 80, 20),
                                  Qt.KeepAspectRatio)
            self._draw()

    # -- click-through and export ------------------------------------------------------------
    def node_clicked(self, node: str) -> None:
        a = dict(self.graph["nodes"])[node]
        if node.startswith("s"):
            self._caption = f"{a['label']}, every position"
            where = dict(speaker=int(node[1:]), coded=True)
        else:
            self._caption = a["label"]
            where = dict(position=int(node[1:]))
        self.quotes.caption.setText(f"Finding the quotes: {self._caption}…")
        self.background.submit("quotes", insights.quotes_behind, filters=self.filters(),
                               **where)

    def export(self, path, size: QSize = QSize(1200, 900)) -> Path:
        """The network as drawn (with a legend line) as PNG or SVG, by the file's suffix."""
        from PySide6.QtGui import QTextDocument

        def paint(painter, rect):
            doc = QTextDocument()
            doc.setHtml(self.legend.text())
            doc.setTextWidth(rect.width() - 20)
            legend_h = doc.size().height() + 10
            self.scene.render(painter, QRectF(rect.left(), rect.top(), rect.width(),
                                              rect.height() - legend_h),
                              self.scene.itemsBoundingRect().adjusted(-20, -20, 80, 20))
            painter.save()
            painter.translate(rect.left() + 10, rect.bottom() - legend_h)
            doc.drawContents(painter)
            painter.restore()
        return save_painting(paint, size, path, title="Discourse network")

    def _export_dialog(self, suffix: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the network",
                                              f"quotebook-network{suffix}", f"*{suffix}")
        if path:
            path = path if path.lower().endswith(suffix) else path + suffix
            try:
                self.export(path)
                self.status.setText(f"Exported {path}")
            except DATA_ERRORS as exc:
                self.status.setText(f"Not exported: {data_error(self.session, exc, path)}")

