"""All state bars (or task boxes) of the timeline in one graphics item, kept per lane as columns.

Measured here (DESIGN.md, bench/): one QGraphicsRectItem per box costs seconds to build and
BarGraphItem with per-box brushes ~200 ms a repaint; one item painting ``drawRects`` per colour
is fast, but keeping a QRectF per box and drawing every one on each paint was not: a flood of
``sleep(0)`` calls (two state changes each, bench/ingest.py --source sleep) made 200k boxes, and
paint took 60% of the GUI thread. So boxes are kept as typed arrays per lane (x0, x1, colour, label;
~25 B a box), and each paint draws only the boxes in view, merged to one per pixel column where
there are more boxes than pixels (level of detail: the colour that covers most of that column).
Labels are drawn only for boxes in view and wide enough to hold them.
"""

from __future__ import annotations

from array import array

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from gui.theme import HATCHED, LANE_HALF_HEIGHT, UNRECORDED_COLOR, box_colors

Box = tuple[float, float, str, str]  # x0, x1 (seconds), colour key, label ("" for none)
LABEL_MARGIN_PX = 10
MIN_LABEL_PX = 24  # narrower boxes are not even measured
_SHARED_LABELS_MAX = 10_000  # equal label texts share one str object, up to this many texts


class _Row:
    """One lane's boxes in the order they were added (time order: a lane's states follow on)."""

    __slots__ = ("keys", "labels", "x0", "x1")

    def __init__(self) -> None:
        self.x0 = array("d")
        self.x1 = array("d")
        self.keys = array("H")
        self.labels: list[str] = []

    def pop(self) -> None:
        self.x0.pop()
        self.x1.pop()
        self.keys.pop()
        self.labels.pop()


class StateBoxes(pg.GraphicsObject):
    """Bars keyed by colour name (``running``, ``idle``, ``task3`` …), ``half_height`` lanes tall."""

    def __init__(self, half_height: float = LANE_HALF_HEIGHT) -> None:
        super().__init__()
        self._half = half_height
        self._rows: dict[int, _Row] = {}
        self._key_codes: dict[str, int] = {}
        self._key_names: list[str] = []
        self._shared_labels: dict[str, str] = {}
        self._widths: dict[tuple[float, str], int] = {}
        self._bounds = QRectF()
        self._brushes = {s: QBrush(QColor(c)) for s, c in box_colors().items()}
        self._brushes["unrecorded"] = QBrush(QColor(UNRECORDED_COLOR), Qt.BrushStyle.BDiagPattern)
        self._fallback = QBrush(QColor("#888888"))
        self._hatch = QBrush(QColor(255, 255, 255, 120), Qt.BrushStyle.DiagCrossPattern)

    # ---- building ---------------------------------------------------------------------------
    def set_lane(self, row: int, boxes: list[Box]) -> None:
        """Replace one lane's boxes (x in seconds); ``commit`` shows them."""
        self._rows[row] = _Row()
        self._append(row, boxes)

    def replace_tail(self, row: int, count: int, boxes: list[Box]) -> None:
        """The lane's last ``count`` boxes give way to ``boxes`` (its state ended, new ones
        began; its end or reaping moved)."""
        r = self._rows.setdefault(row, _Row())
        for _ in range(min(count, len(r.x0))):
            r.pop()
        self._append(row, boxes)

    def _append(self, row: int, boxes: list[Box]) -> None:
        r = self._rows.setdefault(row, _Row())
        for x0, x1, key, label in boxes:
            r.x0.append(x0)
            r.x1.append(max(x1, x0))
            r.keys.append(self._code(key))
            r.labels.append(self._share(label))

    def extend_last(self, row: int, x1: float) -> None:
        """The lane's last state goes on: stretch its last box to ``x1``."""
        r = self._rows.get(row)
        if r is not None and r.x1 and x1 > r.x1[-1]:
            r.x1[-1] = x1

    def clear_lanes(self) -> None:
        self._rows = {}
        self.commit()

    def commit(self) -> None:
        """Repaint after ``set_lane``/``extend_last`` calls."""
        self.prepareGeometryChange()
        right = max((r.x1[-1] for r in self._rows.values() if r.x1), default=0.0)
        self._bounds = QRectF(0.0, -1.0, max(right, 1e-3), len(self._rows) + 1.0)
        self.update()

    def _code(self, key: str) -> int:
        code = self._key_codes.get(key)
        if code is None:
            code = self._key_codes[key] = len(self._key_names)
            self._key_names.append(key)
        return code

    def _share(self, label: str) -> str:
        if not label or len(self._shared_labels) >= _SHARED_LABELS_MAX:
            return label
        return self._shared_labels.setdefault(label, label)

    # ---- reading ----------------------------------------------------------------------------
    def boxes_by_key(self, row: int) -> dict[str, list[tuple[float, float]]]:
        """The lane's boxes as kept (not as drawn), per colour key: for tests and tools."""
        r = self._rows.get(row)
        out: dict[str, list[tuple[float, float]]] = {}
        if r is not None:
            for x0, x1, code in zip(r.x0, r.x1, r.keys, strict=True):
                out.setdefault(self._key_names[code], []).append((x0, x1))
        return out

    def rows(self) -> list[int]:
        return list(self._rows)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt name)
        return self._bounds

    # ---- painting ---------------------------------------------------------------------------
    def paint(self, painter: QPainter, *args: object) -> None:
        to_screen = painter.transform()
        px_per_x = abs(to_screen.m11()) or 1.0
        vx0, vx1 = self._visible_x()
        rects: dict[int, list[QRectF]] = {}
        labels: list[tuple[QRectF, str]] = []
        for row, r in self._rows.items():
            if r.x0:
                self._row_rects(row, r, vx0, vx1, px_per_x, rects, labels)
        for code, key_rects in rects.items():
            brush = self._brushes.get(self._key_names[code], self._fallback)
            edge = QPen(brush.color().darker(135))
            edge.setCosmetic(True)
            painter.setPen(edge)
            painter.setBrush(brush)
            painter.drawRects(key_rects)
            if self._key_names[code] in HATCHED:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._hatch)
                painter.drawRects(key_rects)
        self._paint_labels(painter, labels)

    def _visible_x(self) -> tuple[float, float]:
        view = self.getViewBox()
        if view is None:
            return -np.inf, np.inf
        (vx0, vx1), _ = view.viewRange()
        return vx0, vx1

    def _row_rects(
        self,
        row: int,
        r: _Row,
        vx0: float,
        vx1: float,
        px_per_x: float,
        rects: dict[int, list[QRectF]],
        labels: list[tuple[QRectF, str]],
    ) -> None:
        """The row's boxes in view, one per pixel column where they are thinner than pixels."""
        x0, x1, keys = np.array(r.x0), np.array(r.x1), np.array(r.keys)
        vis = np.flatnonzero((x1 >= vx0) & (x0 <= vx1))
        if not len(vis):
            return
        y, h = row - self._half, 2 * self._half
        wide = vis[(x1[vis] - x0[vis]) * px_per_x >= MIN_LABEL_PX]
        for i in wide.tolist():
            if r.labels[i]:
                labels.append((QRectF(x0[i], y, x1[i] - x0[i], h), r.labels[i]))
        dx0, dx1, dkeys = _per_pixel(x0[vis], x1[vis], keys[vis], vx0, px_per_x)
        for code in np.unique(dkeys).tolist():
            sel = dkeys == code
            out = rects.setdefault(code, [])
            out.extend(
                QRectF(a, y, b - a, h)
                for a, b in zip(dx0[sel].tolist(), dx1[sel].tolist(), strict=True)
            )

    def _paint_labels(self, painter: QPainter, items: list[tuple[QRectF, str]]) -> None:
        """Say what a box is (join → Process-1, worker('hello 3')) where it fits, in pixels."""
        if not items:
            return
        to_screen = painter.transform()
        painter.resetTransform()
        painter.setPen(QColor("#ffffff"))
        metrics = painter.fontMetrics()
        size = painter.font().pointSizeF()
        for rect, text in items:
            r = to_screen.mapRect(rect)
            width = self._widths.get((size, text))
            if width is None:
                width = self._widths[(size, text)] = metrics.horizontalAdvance(text)
            if r.width() >= width + LABEL_MARGIN_PX:
                painter.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        painter.setTransform(to_screen)


def _per_pixel(
    x0: np.ndarray, x1: np.ndarray, keys: np.ndarray, origin: float, px_per_x: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Boxes (in time order) merged to one per pixel column when there are more boxes than
    columns: each merged box spans its group and takes the colour that covers most of it."""
    if len(x0) < 2 or (x1.max() - x0.min()) * px_per_x >= len(x0):
        return x0, x1, keys
    column = np.floor((x0 - origin) * px_per_x)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    if len(starts) == len(x0):
        return x0, x1, keys
    ends = np.maximum.reduceat(x1, starts)
    span = x1 - x0
    present = np.unique(keys)
    cover = np.stack([np.add.reduceat(np.where(keys == k, span, 0.0), starts) for k in present])
    dominant = present[np.argmax(cover, axis=0)]
    return x0[starts], np.maximum(ends, x0[starts]), dominant
