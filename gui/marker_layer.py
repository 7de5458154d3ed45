"""Lifecycle, print, task and message markers: one ScatterPlotItem per kind, appended to.

Measured (bench/ingest.py): one item with a dict and a pen per spot, rebuilt every tick, took
88% of the window's time under a print flood (pyqtgraph renders a symbol per distinct pen). Here
every kind has one symbol, pen and brush, and a tick only appends the markers made since the
last one (``Recording.marker_log``); the whole layer is rebuilt only when lanes move.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg

from gui.theme import MARKER_STYLE, PRINT_OFFSET
from model.recording import Lane, Marker, Recording

Z_VALUE = 30
DENSE_AFTER = 500  # markers of one kind on one lane before thinning starts
MIN_GAP_NS = 2_000_000  # then at most one shown per 2 ms of that lane and kind


def marker_offset(kind: str) -> float:
    """Prints ride above the bar; everything else sits on the lane's centre line."""
    return PRINT_OFFSET if kind == "print" else 0.0


class MarkerLayer:
    def __init__(self, plot_item: pg.PlotItem) -> None:
        self._plot = plot_item
        self._items: dict[str, pg.ScatterPlotItem] = {}
        self._seen = 0
        self._finished = False
        self._shown: dict[tuple[int, str], tuple[int, int]] = {}  # (pid, kind) -> (count, last ts)

    def clear(self) -> None:
        for item in self._items.values():
            item.clear()
        self._seen = 0
        self._finished = False
        self._shown = {}

    def update(
        self, rec: Recording, rows: dict[int, int], x: Callable[[int], float], force: bool
    ) -> None:
        """Append new markers; rebuild all when lanes moved (or a finished run goes live
        again). When the run ends, sends never received change style: drawn over in the
        unreceived style, found from the messages (a rebuild of a flood's million markers
        froze the window's last tick for 0.2-0.4 s, bench/ingest.py)."""
        finished = rec.end_ts is not None
        if force or (self._finished and not finished):
            self.clear()
        drawn = self._seen
        just_ended, self._finished = finished and not self._finished, finished
        self._append(rec, rows, x)
        if just_ended and drawn:
            self._restyle_unreceived(rec, rows, x, rec.marker_log[drawn - 1][1])

    def _append(self, rec: Recording, rows: dict[int, int], x: Callable[[int], float]) -> None:
        log = rec.marker_log
        if self._seen >= len(log):
            return
        batch: dict[str, tuple[list[float], list[float], list[tuple[int, int]]]] = {}
        for pid, m in log[self._seen :]:
            row = rows.get(pid)
            if row is None:
                continue
            kind = _style_kind(rec, m)
            if not self._worth_showing(pid, kind, m.ts):
                continue
            xs, ys, data = batch.setdefault(kind, ([], [], []))
            xs.append(x(m.ts))
            ys.append(row + marker_offset(m.kind))
            data.append((pid, m.index))
        self._seen = len(log)
        for kind, (xs, ys, data) in batch.items():
            self._add_points(kind, xs, ys, data)

    def _add_points(
        self, kind: str, xs: list[float], ys: list[float], data: list[tuple[int, int]]
    ) -> None:
        """Points of one style; each carries (pid, event index) for hovering and clicks."""
        spots = np.empty(len(data), dtype=object)
        spots[:] = data
        self._item(kind).addPoints(x=np.asarray(xs), y=np.asarray(ys), data=spots)

    def _restyle_unreceived(
        self, rec: Recording, rows: dict[int, int], x: Callable[[int], float], last: Marker
    ) -> None:
        """Draw the sends already drawn live, whose message was never received, in their end
        style, on top (the marker log's order: ``last`` is the last marker drawn live)."""
        xs, ys, data = [], [], []
        for msg in rec.messages.unreceived():
            lane, row = rec.lanes.get(msg.sender), rows.get(msg.sender)
            if lane is None or row is None or msg.sent is None:
                continue
            marker = _send_marker(lane, msg.sent, msg.mid)
            if marker is None or marker.index > last.index:
                continue  # not drawn live: drawn in the end style when appended
            xs.append(x(marker.ts))
            ys.append(row + marker_offset(marker.kind))
            data.append((lane.pid, marker.index))
        if data:
            self._add_points("unreceived", xs, ys, data)

    def _worth_showing(self, pid: int, kind: str, ts: int) -> bool:
        """A flood of prints on one lane is thinned for drawing (pyqtgraph copies all points on
        every append); hovering still finds every real marker, from the recording."""
        count, last = self._shown.get((pid, kind), (0, 0))
        if count >= DENSE_AFTER and abs(ts - last) < MIN_GAP_NS:
            return False
        self._shown[(pid, kind)] = (count + 1, ts)
        return True

    def _item(self, kind: str) -> pg.ScatterPlotItem:
        item = self._items.get(kind)
        if item is None:
            symbol, color, size = MARKER_STYLE.get(kind, ("o", "#000000", 6))
            item = pg.ScatterPlotItem(
                pxMode=True,
                symbol=symbol,
                size=size,
                brush=pg.mkBrush(color),
                pen=pg.mkPen("#202020", width=1),
            )
            item.setZValue(Z_VALUE + 1 if kind == "unreceived" else Z_VALUE)  # over its send
            self._plot.addItem(item)
            self._items[kind] = item
        return item

    def count(self) -> int:
        return sum(len(item.data) for item in self._items.values())


def _send_marker(lane: Lane, ts: int, mid: str) -> Marker | None:
    """The send marker of message ``mid`` on ``lane`` (markers are sorted by time)."""
    markers = lane.markers
    i = bisect.bisect_left(markers, ts, key=lambda m: m.ts)
    while i < len(markers) and markers[i].ts == ts:
        m = markers[i]
        if m.kind == "send" and str(m.data.get("mid")) == mid:
            return m
        i += 1
    return None


def _style_kind(rec: Recording, m: Marker) -> str:
    """A send whose message was never received, once the run is over, says so."""
    if m.kind == "send" and rec.end_ts is not None:
        msg = rec.messages.messages.get(str(m.data.get("mid")))
        if msg is not None and msg.received is None:
            return "unreceived"
    return m.kind


def marker_near(
    lane: Lane,
    row: int,
    x: float,
    y: float,
    px: tuple[float, float],
    to_ts: Callable[[float], int],
    hit_px: float,
) -> Marker | None:
    """The marker of ``lane`` nearest to (x, y) within ``hit_px`` pixels (markers are sorted by
    time, so only those within the pixel tolerance in time are looked at)."""
    markers = lane.markers
    lo = bisect.bisect_left(markers, to_ts(x - hit_px * px[0]), key=lambda m: m.ts)
    hi = bisect.bisect_right(markers, to_ts(x + hit_px * px[0]), key=lambda m: m.ts)
    best, best_d = None, hit_px
    for m in markers[lo:hi]:
        dy = abs(row + marker_offset(m.kind) - y) / px[1]
        if dy <= best_d:
            best, best_d = m, dy
    return best
