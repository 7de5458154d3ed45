"""Message arrows, sender → receiver, all in one graphics item.

Lines are drawn in data coordinates; arrowheads in screen pixels so they keep their size at any
zoom. Past ``MAX_HEADS`` visible arrows the heads are left out (too dense to read anyway).
Arrows are kept as columns and added as they come; a paint draws those in view, and where there
are more than pixels, one per two (or more) sending pixel columns and pair of lanes (a message
flood: a QLineF per message rebuilt each tick held the window at a tenth of its headless rate).
Zoomed out so that a pixel spans COARSE_X or more, a paint looks only at the first arrow of
each COARSE_X of time and pair of lanes, an index kept as arrows come: the cost of a paint stays
bounded in a long flood (looking at all 700,000 arrows took ~25 ms a paint, bench/ingest.py
--source queue).
"""

from __future__ import annotations

import math
from array import array

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

MAX_LINES = 3000  # more arrows in view than this: one per DENSE_COLUMN_PX column and pair of lanes
DENSE_COLUMN_PX = 2  # a denser hatch reads no better, and its lines were most of a paint:
MAX_DENSE_LINES = 1000  # columns are made wider to keep to about this many (~4 µs a line)
MAX_HEADS = 400  # more lines drawn than this: no heads (each is a polygon; a flood's paint
# spent a quarter of its time on 3,000 of them, bench/ingest.py --source queue), and the lines
# are not antialiased
COARSE_X = 1e-3  # data units (s of the run)
_PAIR = 1 << 12  # lanes (rows) below this many make distinct pairs in the coarse key
HEAD_PX = 9.0
LINE_PX = 1.6


class Arrows(pg.GraphicsObject):
    def __init__(self, color: str = "#303030") -> None:
        super().__init__()
        self._cols = tuple(array("d") for _ in range(4))  # x0, y0, x1, y1
        self._coarse = array("q")  # the first arrow of each COARSE_X and pair of lanes
        self._coarse_keys: set[int] = set()
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
        self._coarse, self._coarse_keys = array("q"), set()
        self._bounds = QRectF()
        self.add_arrows(arrows)

    def add_arrows(self, arrows: list[tuple[float, float, float, float]]) -> None:
        if not arrows:
            self.prepareGeometryChange()
            self.update()
            return
        start = len(self)
        for col, values in zip(self._cols, zip(*arrows, strict=True), strict=True):
            col.extend(values)
        self._index_coarse(start)
        xs = [a[0] for a in arrows] + [a[2] for a in arrows]
        ys = [a[1] for a in arrows] + [a[3] for a in arrows]
        new = QRectF(min(xs), min(ys), max(xs) - min(xs) + 1e-9, max(ys) - min(ys) + 1e-9)
        self.prepareGeometryChange()
        self._bounds = new if self._bounds.isNull() else self._bounds.united(new)
        self.update()

    def _index_coarse(self, start: int) -> None:
        """Add the arrows from ``start`` on that are the first of their COARSE_X and pair."""
        x0, y0, _x1, y1 = (np.frombuffer(c)[start:] for c in self._cols)
        key = np.floor(x0 / COARSE_X).astype(np.int64) * (_PAIR * _PAIR)
        key += (y0.astype(np.int64) % _PAIR) * _PAIR + y1.astype(np.int64) % _PAIR
        keys, first = np.unique(key, return_index=True)
        seen, new = self._coarse_keys, []
        for k, i in zip(keys.tolist(), first.tolist(), strict=True):
            if k not in seen:
                seen.add(k)
                new.append(start + i)
        new.sort()
        self._coarse.extend(new)

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
        smooth = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
        if len(lines) > MAX_HEADS:  # a flood's hatching: 1,800 lines antialiased took 11 ms
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # a paint, not 3
        painter.drawLines(lines)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)  # the next items' own
        self._paint_heads(painter, lines)

    def _in_view(self, painter: QPainter) -> list[QLineF]:
        if not len(self):
            return []
        x0, y0, x1, y1 = (np.frombuffer(c) for c in self._cols)  # views: none outlives paint
        view = self.getViewBox()
        vx0, vx1 = view.viewRange()[0] if view is not None else (-np.inf, np.inf)
        px_per_x = abs(painter.transform().m11()) or 1.0
        if px_per_x * COARSE_X <= 1.0:  # a pixel spans COARSE_X or more
            idx = np.frombuffer(self._coarse, dtype=np.int64)
            a, b = x0[idx], x1[idx]
            idx = idx[(np.minimum(a, b) <= vx1) & (np.maximum(a, b) >= vx0)]
        else:
            idx = np.flatnonzero((np.minimum(x0, x1) <= vx1) & (np.maximum(x0, x1) >= vx0))
        if len(idx) > MAX_LINES and np.isfinite(vx0):
            pairs = len(np.unique(y0[idx] * _PAIR + y1[idx]))
            column_px = max(DENSE_COLUMN_PX, (vx1 - vx0) * px_per_x * pairs / MAX_DENSE_LINES)
            idx = _one_per_column(idx, x0, y0, y1, vx0, px_per_x / column_px)
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
    """Of the arrows ``idx``, one per sending column (``px_per_x`` columns a data unit) and pair
    of lanes, in the order they came. Arrows come in the order messages completed (about time
    order), so repeats are mostly neighbours: those go first, cheaply; a sort sees the rest."""
    column = np.floor((x0[idx] - vx0) * px_per_x).astype(np.int64)
    a, b = y0[idx].astype(np.int64), y1[idx].astype(np.int64)
    rows = int(max(a.max(), b.max())) + 1
    key = (column * rows + a) * rows + b
    keep = np.r_[True, key[1:] != key[:-1]]
    idx, key = idx[keep], key[keep]
    _, first = np.unique(key, return_index=True)
    return idx[np.sort(first)]


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
