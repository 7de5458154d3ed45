"""All state bars (or task boxes) of the timeline in one graphics item, kept per lane.

Measured here (DESIGN.md): one QGraphicsRectItem per box costs seconds to build and
BarGraphItem with per-box brushes ~200 ms a repaint; one item painting ``drawRects`` per colour
repaints 100k boxes in ~6 ms. Boxes are kept per lane so a live update rebuilds only the lanes
that changed, and a lane that only grew (its last state goes on) just stretches its last box.
Labels are drawn only for boxes in view and wide enough to hold them (bench/scale.py: measuring
100k labels on every paint was 85% of a redraw).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from gui.theme import LANE_HALF_HEIGHT, UNRECORDED_COLOR, box_colors

Box = tuple[float, float, str, str]  # x0, x1 (seconds), colour key, label ("" for none)
LABEL_MARGIN_PX = 10
MIN_LABEL_PX = 24  # narrower boxes are not even measured


class StateBoxes(pg.GraphicsObject):
    """Bars keyed by colour name (``running``, ``idle``, ``task3`` …), ``half_height`` lanes tall."""

    def __init__(self, half_height: float = LANE_HALF_HEIGHT) -> None:
        super().__init__()
        self._half = half_height
        self._rows: dict[int, dict[str, list[QRectF]]] = {}
        self._labels: dict[int, list[tuple[QRectF, str]]] = {}
        self._last: dict[int, QRectF] = {}
        self._right: dict[int, float] = {}
        self._label_cache: tuple[np.ndarray, np.ndarray, np.ndarray, list] | None = None
        self._widths: dict[tuple[float, str], int] = {}
        self._bounds = QRectF()
        self._brushes = {s: QBrush(QColor(c)) for s, c in box_colors().items()}
        self._brushes["unrecorded"] = QBrush(QColor(UNRECORDED_COLOR), Qt.BrushStyle.BDiagPattern)
        self._fallback = QBrush(QColor("#888888"))

    def set_lane(self, row: int, boxes: list[Box]) -> None:
        """Replace one lane's boxes (x in seconds); ``commit`` shows them."""
        self._rows[row], self._labels[row] = {}, []
        self._last.pop(row, None)
        self._right[row] = 0.0
        self._append(row, boxes)

    def replace_last(self, row: int, boxes: list[Box]) -> None:
        """The lane's last box gives way to ``boxes`` (its state ended, new ones began)."""
        rects, labels = self._rows.setdefault(row, {}), self._labels.setdefault(row, [])
        last = self._last.get(row)
        if last is not None:
            for key_rects in rects.values():
                if key_rects and key_rects[-1] is last:
                    key_rects.pop()
                    break
            if labels and labels[-1][0] is last:
                labels.pop()
        self._append(row, boxes)

    def _append(self, row: int, boxes: list[Box]) -> None:
        rects, labels = self._rows.setdefault(row, {}), self._labels.setdefault(row, [])
        y, h = row - self._half, 2 * self._half
        for x0, x1, key, label in boxes:
            rect = QRectF(x0, y, max(x1 - x0, 0.0), h)
            rects.setdefault(key, []).append(rect)
            if label:
                labels.append((rect, label))
            self._last[row], self._right[row] = rect, x1
        self._label_cache = None

    def extend_last(self, row: int, x1: float) -> None:
        """The lane's last state goes on: stretch its last box to ``x1``."""
        rect = self._last.get(row)
        if rect is not None and x1 > rect.right():
            rect.setRight(x1)
            self._right[row] = x1
            self._label_cache = None

    def clear_lanes(self) -> None:
        self._rows, self._labels, self._last, self._right = {}, {}, {}, {}
        self._label_cache = None
        self.commit()

    def commit(self) -> None:
        """Repaint after ``set_lane``/``extend_last`` calls."""
        self.prepareGeometryChange()
        right = max(self._right.values(), default=0.0)
        self._bounds = QRectF(0.0, -1.0, max(right, 1e-3), len(self._rows) + 1.0)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt name)
        return self._bounds

    def paint(self, painter: QPainter, *args: object) -> None:
        for rects_by_key in self._rows.values():
            for key, rects in rects_by_key.items():
                brush = self._brushes.get(key, self._fallback)
                edge = QPen(brush.color().darker(135))
                edge.setCosmetic(True)
                painter.setPen(edge)
                painter.setBrush(brush)
                painter.drawRects(rects)
        self._paint_labels(painter)

    def _label_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
        if self._label_cache is None:
            items = [item for labels in self._labels.values() for item in labels]
            x0 = np.fromiter((r.left() for r, _ in items), float, len(items))
            x1 = np.fromiter((r.right() for r, _ in items), float, len(items))
            y = np.fromiter((r.top() for r, _ in items), float, len(items))
            self._label_cache = (x0, x1, y, items)
        return self._label_cache

    def _paint_labels(self, painter: QPainter) -> None:
        """Say what a box is (join → Process-1, worker('hello 3')) where it fits, in pixels."""
        x0, x1, _y, items = self._label_arrays()
        if not items:
            return
        view = self.getViewBox()
        if view is None:
            return
        (vx0, vx1), _ = view.viewRange()
        to_screen = painter.transform()
        px_per_x = abs(to_screen.m11()) or 1.0
        wide = (x1 > vx0) & (x0 < vx1) & ((x1 - x0) * px_per_x >= MIN_LABEL_PX)
        candidates = np.flatnonzero(wide)
        if not len(candidates):
            return
        painter.resetTransform()
        painter.setPen(QColor("#ffffff"))
        metrics = painter.fontMetrics()
        size = painter.font().pointSizeF()
        for i in candidates:
            rect, text = items[i]
            r = to_screen.mapRect(rect)
            width = self._widths.get((size, text))
            if width is None:
                width = self._widths[(size, text)] = metrics.horizontalAdvance(text)
            if r.width() >= width + LABEL_MARGIN_PX:
                painter.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        painter.setTransform(to_screen)
