"""Vertical grid lines at the time axis' major ticks, drawn as one batch of plain lines.

pyqtgraph's own grid (``showGrid``) is drawn by the axis across the plot, and cost ~11 ms of a
~13 ms repaint of the timeline (offscreen, 1600×800, measured with ``plot.grab()``): on every
live tick. This item draws the same lines for well under a millisecond.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen


class TimeGrid(pg.GraphicsObject):
    """Add with ``ignoreBounds=True``: it spans whatever is in view and must not widen it."""

    def __init__(self, axis: pg.AxisItem) -> None:
        super().__init__()
        self._axis = axis
        self._color = QColor(0, 0, 0, 40)
        self.setZValue(-10)  # under the bars

    def set_color(self, foreground: str, alpha: int) -> None:
        self._color = QColor(foreground)
        self._color.setAlpha(alpha)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt name)
        view = self.getViewBox()
        return view.viewRect() if view is not None else QRectF()

    def paint(self, painter: QPainter, *args: object) -> None:
        view = self.getViewBox()
        if view is None:
            return
        (x0, x1), (y0, y1) = view.viewRange()
        levels = self._axis.tickValues(x0, x1, max(view.width(), 1.0))
        xs = [x for _spacing, values in levels[:1] for x in values if x0 <= x <= x1]
        if not xs:
            return
        pen = QPen(self._color)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.drawLines([QLineF(x, y0, x, y1) for x in xs])
