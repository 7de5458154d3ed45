"""Message arrows, sender → receiver, all in one graphics item.

Lines are drawn in data coordinates; arrowheads in screen pixels so they keep their size at any
zoom. Past ``MAX_HEADS`` visible arrows the heads are left out (too dense to read anyway).
Arrows are kept as columns and added as they come; a paint draws those in view, and where there
are more than pixels, one per sending pixel column and pair of lanes (a message flood: a QLineF
per message rebuilt each tick held the window at a tenth of its headless rate).
"""

from __future__ import annotations

import math
from array import array

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

MAX_LINES = 3000  # more arrows in view than this: one per pixel column and pair of lanes
MAX_HEADS = 400  # more lines drawn than this: no heads (each is a polygon; a flood's paint
# spent a quarter of its time on 3,000 of them, bench/ingest.py --source queue)
HEAD_PX = 9.0
LINE_PX = 1.6


class Arrows(pg.GraphicsObject):
    def __init__(self, color: str = "#303030") -> None:
        super().__init__()
        self._cols = tuple(array("d") for _ in range(4))  # x0, y0, x1, y1
        self._bounds = QRectF()
        self._color = QColor(color)
        self._width = LINE_PX
        self.setZValue(20)

    def set_style(self, color: str | None = None, width: float | None = None) -> None:
        """Lines and heads in ``color`` (light or dark theme), lines ``width`` px wide."""
        if color is not None:
            self._color = QColor(color)
        if width is not None:
            self._width = width
        self.update()

    def set_arrows(self, arrows: list[tuple[float, float, float, float]]) -> None:
        """(x0, y0, x1, y1) per message, sender point first."""
        self._cols = tuple(array("d") for _ in range(4))
        self._bounds = QRectF()
        self.add_arrows(arrows)

    def add_arrows(self, arrows: list[tuple[float, float, float, float]]) -> None:
        if not arrows:
            self.prepareGeometryChange()
            self.update()
            return
        for col, values in zip(self._cols, zip(*arrows, strict=True), strict=True):
            col.extend(values)
        xs = [a[0] for a in arrows] + [a[2] for a in arrows]
        ys = [a[1] for a in arrows] + [a[3] for a in arrows]
        new = QRectF(min(xs), min(ys), max(xs) - min(xs) + 1e-9, max(ys) - min(ys) + 1e-9)
        self.prepareGeometryChange()
        self._bounds = new if self._bounds.isNull() else self._bounds.united(new)
        self.update()

    def __len__(self) -> int:
        return len(self._cols[0])

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt name)
        return self._bounds

    def paint(self, painter: QPainter, *args: object) -> None:
        lines = self._in_view(painter)
        if not lines:
            return
        pen = QPen(self._color, self._width)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.drawLines(lines)
        self._paint_heads(painter, lines)

    def _in_view(self, painter: QPainter) -> list[QLineF]:
        if not len(self):
            return []
        x0, y0, x1, y1 = (np.array(c) for c in self._cols)
        view = self.getViewBox()
        vx0, vx1 = view.viewRange()[0] if view is not None else (-np.inf, np.inf)
        idx = np.flatnonzero((np.minimum(x0, x1) <= vx1) & (np.maximum(x0, x1) >= vx0))
        px_per_x = abs(painter.transform().m11()) or 1.0
        if len(idx) > MAX_LINES and np.isfinite(vx0):
            idx = _one_per_column(idx, x0, y0, y1, vx0, px_per_x)
        return [
            QLineF(a, b, c, d)
            for a, b, c, d in zip(
                x0[idx].tolist(), y0[idx].tolist(), x1[idx].tolist(), y1[idx].tolist(), strict=True
            )
        ]

    def _paint_heads(self, painter: QPainter, lines: list[QLineF]) -> None:
        if len(lines) > MAX_HEADS:
            return
        to_screen = painter.transform()
        heads = [_head(to_screen.map(ln.p1()), to_screen.map(ln.p2())) for ln in lines]
        painter.resetTransform()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._color)
        for head in heads:
            painter.drawPolygon(head)
        painter.setTransform(to_screen)


def _one_per_column(
    idx: np.ndarray, x0: np.ndarray, y0: np.ndarray, y1: np.ndarray, vx0: float, px_per_x: float
) -> np.ndarray:
    """Of the arrows ``idx``, one per sending pixel column and pair of lanes. Arrows come in
    the order messages completed (about time order), so repeats are mostly neighbours: those go
    first, cheaply; a sort only sees what is left."""
    column = np.floor((x0[idx] - vx0) * px_per_x).astype(np.int64)
    a, b = y0[idx].astype(np.int64), y1[idx].astype(np.int64)
    rows = int(max(a.max(), b.max())) + 1
    key = (column * rows + a) * rows + b
    keep = np.r_[True, key[1:] != key[:-1]]
    idx, key = idx[keep], key[keep]
    if len(idx) > MAX_LINES:
        _, first = np.unique(key, return_index=True)
        idx = idx[np.sort(first)]
    return idx


def _head(p0: QPointF, p1: QPointF) -> QPolygonF:
    angle = math.atan2(p1.y() - p0.y(), p1.x() - p0.x())
    left = angle + math.radians(155)
    right = angle - math.radians(155)
    return QPolygonF(
        [
            p1,
            QPointF(p1.x() + HEAD_PX * math.cos(left), p1.y() + HEAD_PX * math.sin(left)),
            QPointF(p1.x() + HEAD_PX * math.cos(right), p1.y() + HEAD_PX * math.sin(right)),
        ]
    )
