"""All state bars of the timeline in one graphics item: one rectangle list per colour.

Measured here (DESIGN.md): one QGraphicsRectItem per box costs seconds to build and
BarGraphItem with per-box brushes ~200 ms a repaint; one item painting ``drawRects`` per colour
repaints 100k boxes in ~6 ms. Boxes are kept per lane so a live update only rebuilds the lanes
that changed.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from gui.theme import LANE_HALF_HEIGHT, box_colors

Box = tuple[float, float, str, str]  # x0, x1 (seconds), state, label ("" for none)
LABEL_MARGIN_PX = 10


class StateBoxes(pg.GraphicsObject):
    """Bars keyed by colour name (``running``, ``idle``, ``task3`` …), ``half_height`` lanes tall."""

    def __init__(self, half_height: float = LANE_HALF_HEIGHT) -> None:
        super().__init__()
        self._half = half_height
        self._lanes: dict[int, list[Box]] = {}  # row -> boxes
        self._rects: dict[str, list[QRectF]] = {}
        self._labels: list[tuple[QRectF, str]] = []
        self._bounds = QRectF()
        self._brushes = {s: QBrush(QColor(c)) for s, c in box_colors().items()}

    def set_lane(self, row: int, boxes: list[Box]) -> None:
        """Replace one lane's boxes (x in seconds)."""
        self._lanes[row] = boxes

    def clear_lanes(self) -> None:
        self._lanes.clear()
        self.commit()

    def commit(self) -> None:
        """Rebuild the per-colour rectangle lists after ``set_lane`` calls, and repaint."""
        rects: dict[str, list[QRectF]] = {s: [] for s in self._brushes}
        labels = []
        right = 0.0
        h = 2 * self._half
        for row, boxes in self._lanes.items():
            y = row - self._half
            for x0, x1, state, label in boxes:
                rect = QRectF(x0, y, max(x1 - x0, 0.0), h)
                rects.setdefault(state, []).append(rect)
                if label:
                    labels.append((rect, label))
                right = max(right, x1)
        self.prepareGeometryChange()
        self._rects, self._labels = rects, labels
        rows = len(self._lanes)
        self._bounds = QRectF(0.0, -1.0, max(right, 1e-3), rows + 1.0)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt name)
        return self._bounds

    def paint(self, painter: QPainter, *args: object) -> None:
        for state, rects in self._rects.items():
            if rects:
                brush = self._brushes.get(state, QBrush(QColor("#888888")))
                edge = QPen(brush.color().darker(135))
                edge.setCosmetic(True)
                painter.setPen(edge)
                painter.setBrush(brush)
                painter.drawRects(rects)
        self._paint_labels(painter)

    def _paint_labels(self, painter: QPainter) -> None:
        """Say why on bars wide enough to hold it (join → Process-1), in screen pixels."""
        if not self._labels:
            return
        to_screen = painter.transform()
        painter.resetTransform()
        painter.setPen(QColor("#ffffff"))
        metrics = painter.fontMetrics()
        for rect, text in self._labels:
            r = to_screen.mapRect(rect)
            if r.width() >= metrics.horizontalAdvance(text) + LABEL_MARGIN_PX:
                painter.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        painter.setTransform(to_screen)
