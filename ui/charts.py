"""Charts drawn with QPainter: horizontal bars and lines over time, clickable, exportable.

One ``paint_to(painter, rect)`` draws a chart on screen, into a PNG (``QImage``) and into an
SVG (``QSvgGenerator``, in QtSvg of PySide6-Essentials), so the three always match. While
painting, a chart records the regions it drew with what they stand for; a click on one emits
``picked(payload)``, and hovering one shows its count.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QToolTip, QWidget

from .plain import tip

PALETTE = ("#4e79a7", "#f28e2b", "#76b7b2", "#b07aa1", "#edc948", "#9c755f", "#ff9da7",
           "#17becf", "#bcbd22", "#a0cbe8", "#ffbe7d", "#d4a6c8")


def colour_at(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def save_painting(paint, size: QSize, path, *, title: str = "Quotebook") -> Path:
    """Write what ``paint(painter, rect)`` draws as PNG or SVG, by the file's suffix."""
    path = Path(path)
    rect = QRectF(0, 0, size.width(), size.height())
    if path.suffix.lower() == ".svg":
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(size)
        gen.setViewBox(rect)
        gen.setTitle(title)
        painter = QPainter(gen)
        painter.fillRect(rect, QColor("white"))
        paint(painter, rect)
        painter.end()
    else:
        image = QImage(size * 2, QImage.Format_ARGB32)
        image.setDevicePixelRatio(2)  # sharp on high-density screens and in documents
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.Antialiasing)
        paint(painter, rect)
        painter.end()
        if not image.save(str(path), "PNG"):
            raise OSError(f"cannot write {path}")
    return path


def write_csv(path, headers, rows) -> Path:
    """A table as UTF-8 CSV (for R, pandas, spreadsheets)."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 5 x 10^k) for an axis from 0 to ``top``."""
    raw = max(top, 1) / ticks
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)


class Chart(QWidget):
    """Base: paints through ``paint_to`` and maps clicks to the payload under the mouse."""

    picked = Signal(object)

    def __init__(self, title: str = "", parent=None):
        super().__init__(parent)
        self.title = title
        self.empty_text = "No quotes for these filters"
        self._hits: list[tuple[QRectF | QPainterPath, str, object]] = []
        self.setMouseTracking(True)
        self.setMinimumSize(200, 110)

    def has_data(self) -> bool:
        return False

    def paint_to(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.Base))
        self._hits = []
        self.paint_to(painter, QRectF(self.rect()))
        painter.end()

    def _text_colour(self, painter: QPainter) -> QColor:
        # on screen the palette's text; in exported files (white paper) black
        return self.palette().color(QPalette.Text) if painter.device() is self else \
            QColor("#222")

    def _header(self, painter: QPainter, rect: QRectF) -> QRectF:
        painter.setPen(self._text_colour(painter))
        font = QFont(painter.font())
        font.setBold(True)
        painter.save()
        painter.setFont(font)
        painter.drawText(rect.adjusted(8, 4, -8, 0), Qt.AlignLeft | Qt.AlignTop, self.title)
        painter.restore()
        body = rect.adjusted(0, painter.fontMetrics().height() + 10, 0, 0)
        if not self.has_data():
            painter.setPen(QColor("#868e96"))
            painter.drawText(body, Qt.AlignCenter, self.empty_text)
        return body

    def _hit(self, pos: QPointF):
        for shape, tip, payload in reversed(self._hits):
            if (shape.contains(pos)):
                return tip, payload
        return None

    def mouseMoveEvent(self, event) -> None:
        hit = self._hit(event.position())
        self.setCursor(Qt.PointingHandCursor if hit else Qt.ArrowCursor)
        if hit:
            QToolTip.showText(event.globalPosition().toPoint(), tip(hit[0]), self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event) -> None:
        hit = self._hit(event.position())
        if hit and event.button() == Qt.LeftButton:
            self.picked.emit(hit[1])

    def click_first(self) -> bool:
        """Click the first clickable region (for tests and keyboard users)."""
        if self._hits:
            self.picked.emit(self._hits[0][2])
            return True
        return False

    def save(self, path, size: QSize | None = None) -> Path:
        return save_painting(self.paint_to, size or QSize(max(self.width(), 640),
                                                          max(self.height(), 360)),
                             path, title=self.title)


class BarChart(Chart):
    """Horizontal bars, largest first: ``items`` of ``{label, count, detail?, payload}``."""

    def __init__(self, title: str, colour: str = "#4e79a7", parent=None):
        super().__init__(title, parent)
        self.colour = colour
        self.items: list[dict] = []

    def set_items(self, items: list[dict]) -> None:
        self.items = list(items)
        self._hits = []  # the regions of the old numbers are not clickable until repainted
        line = self.fontMetrics().height()
        self.setMinimumHeight(int(line * 2 + 12 + max(len(self.items), 3) * (line + 6)))
        self.update()

    def has_data(self) -> bool:
        return bool(self.items)

    def table(self) -> tuple[list, list]:
        return ["label", "count"], [(i["label"], i["count"]) for i in self.items]

    def paint_to(self, painter: QPainter, rect: QRectF) -> None:
        body = self._header(painter, rect)
        if not self.items:
            return
        fm = painter.fontMetrics()
        label_w = min(max(fm.horizontalAdvance(i["label"]) for i in self.items) + 12,
                      body.width() * 0.45)
        count_w = fm.horizontalAdvance(str(max(i["count"] for i in self.items))) + 10
        row_h = min(max(fm.height() + 6, body.height() / len(self.items)), fm.height() * 2.2)
        top = max(i["count"] for i in self.items) or 1
        span = body.width() - label_w - count_w - 16
        for n, item in enumerate(self.items):
            y = body.top() + n * row_h
            row = QRectF(body.left(), y, body.width(), row_h)
            painter.setPen(self._text_colour(painter))
            label = fm.elidedText(item["label"], Qt.ElideRight, int(label_w - 12))
            painter.drawText(QRectF(body.left() + 8, y, label_w - 12, row_h),
                             Qt.AlignVCenter | Qt.AlignLeft, label)
            bar = QRectF(body.left() + label_w, y + row_h * 0.18,
                         max(span * item["count"] / top, 1.5), row_h * 0.64)
            painter.fillRect(bar, QColor(self.colour))
            painter.drawText(QRectF(bar.right() + 5, y, count_w, row_h),
                             Qt.AlignVCenter | Qt.AlignLeft, str(item["count"]))
            detail = f" ({item['detail']})" if item.get("detail") else ""
            self._hits.append((row, f"{item['label']}{detail}: {item['count']} quotes — "
                                    f"click to list them", item.get("payload")))


class TimeChart(Chart):
    """Quotes per period, one line (with points) per series: ``periods`` and ``series`` of
    ``{label, colour, counts, payload}``; a point's payload is ``(series payload, period)``."""

    def __init__(self, title: str, parent=None):
        super().__init__(title, parent)
        self.periods: list[str] = []
        self.series: list[dict] = []
        self.setMinimumHeight(150)

    def set_data(self, periods: list[str], series: list[dict]) -> None:
        self.periods, self.series = list(periods), list(series)
        self._hits = []
        self.update()

    def has_data(self) -> bool:
        return bool(self.periods and self.series)

    def table(self) -> tuple[list, list]:
        return (["period"] + [s["label"] for s in self.series],
                [[p] + [s["counts"][i] for s in self.series] for i, p in enumerate(self.periods)])

    def groups(self) -> list[tuple[str, list[dict]]]:
        """Series by ``group`` (a topic), in order: one small chart each."""
        out: dict[str, list[dict]] = {}
        for s in self.series:
            out.setdefault(s.get("group", ""), []).append(s)
        return list(out.items())

    def paint_to(self, painter: QPainter, rect: QRectF) -> None:
        body = self._header(painter, rect)
        if not self.has_data():
            return
        fm = painter.fontMetrics()
        groups = self.groups()
        x_h = fm.height() + 8
        each = (body.height() - x_h) / len(groups)
        legend_w = min(max(fm.horizontalAdvance(s["label"]) for s in self.series) + 30,
                       body.width() * 0.35)
        top = max(max(s["counts"]) for s in self.series) or 1
        for n, (name, series) in enumerate(groups):
            panel = QRectF(body.left(), body.top() + n * each, body.width(), each)
            if len(groups) > 1:
                painter.setPen(self._text_colour(painter))
                painter.drawText(panel.adjusted(8, 0, 0, 0), Qt.AlignLeft | Qt.AlignTop, name)
                panel.adjust(0, fm.height() + 2, 0, 0)
            self._panel(painter, panel, series, legend_w, top, n == len(groups) - 1, x_h)

    def _panel(self, painter, body: QRectF, series, legend_w, top, x_axis, x_h) -> None:
        fm = painter.fontMetrics()
        text = self._text_colour(painter)
        step = nice_step(top, 5 if body.height() > 160 else 2)
        top = math.ceil(top / step) * step
        axis_w = fm.horizontalAdvance(str(int(top))) + 12
        plot = QRectF(body.left() + axis_w, body.top() + fm.height() / 2,
                      body.width() - axis_w - legend_w - 16,
                      body.height() - fm.height() - (0 if x_axis else 4))
        grid = QColor(text)
        grid.setAlpha(40)
        value = 0
        while value <= top:
            y = plot.bottom() - plot.height() * value / top
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(QRectF(body.left(), y - fm.height() / 2, axis_w - 6, fm.height()),
                             Qt.AlignRight | Qt.AlignVCenter, str(int(value)))
            value += step
        n = len(self.periods)
        x_of = (lambda i: plot.left() + plot.width() * (i + 0.5) / n)
        if x_axis:
            label_w = max(fm.horizontalAdvance(p) for p in self.periods) + 10
            every = max(1, math.ceil(label_w * n / max(plot.width(), 1)))
            painter.setPen(text)
            for i, period in enumerate(self.periods):
                if i % every == 0:
                    painter.drawText(QRectF(x_of(i) - label_w / 2, plot.bottom() + 4, label_w,
                                            x_h - 4), Qt.AlignCenter, period)
        radius = 3.5 if n < 60 else 2
        for k, s in enumerate(series):
            colour = QColor(s["colour"] or colour_at(k))
            path = QPainterPath()
            points = [QPointF(x_of(i), plot.bottom() - plot.height() * c / top)
                      for i, c in enumerate(s["counts"])]
            path.moveTo(points[0])
            for p in points[1:]:
                path.lineTo(p)
            painter.setPen(QPen(colour, 2))
            painter.setBrush(Qt.NoBrush)
            painter.drawPath(path)
            painter.setBrush(colour)
            for i, p in enumerate(points):
                if s["counts"][i]:
                    painter.drawEllipse(p, radius, radius)
                    hit = QRectF(p.x() - 6, p.y() - 6, 12, 12)
                    self._hits.append((hit, f"{s.get('group', '')} {s['label']}, "
                                            f"{self.periods[i]}: {s['counts'][i]} quotes — "
                                            f"click to list them".strip(),
                                       (s.get("payload"), self.periods[i])))
            y = body.top() + k * (fm.height() + 2)
            lx = plot.right() + 16
            painter.fillRect(QRectF(lx, y + fm.height() / 2 - 2, 14, 4), colour)
            painter.setPen(text)
            painter.drawText(QRectF(lx + 20, y, legend_w - 20, fm.height()),
                             Qt.AlignLeft | Qt.AlignVCenter,
                             fm.elidedText(s["label"], Qt.ElideRight, int(legend_w - 20)))
        painter.setBrush(Qt.NoBrush)


def refill(box, items, *, everything: str | None, any_data, want=None) -> None:
    """Fill a filter combo box with ``items`` (an ``everything`` entry first, whose data is
    ``any_data``), keeping ``want`` selected when it is still there; emits nothing."""
    box.blockSignals(True)
    box.clear()
    if everything:
        box.addItem(everything, any_data)
    for name in items:
        box.addItem(name, name)
    box.setCurrentIndex(max(box.findData(want), 0) if want else 0)
    box.blockSignals(False)
