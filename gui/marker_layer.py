"""Lifecycle, print, task and message markers: one ScatterPlotItem per kind, appended to.

Measured (bench/ingest.py): one item with a dict and a pen per spot, rebuilt every tick, took
88% of the window's time under a print flood (pyqtgraph renders a symbol per distinct pen). Here
every kind has one symbol, pen and brush, and a tick only appends the markers made since the
last one (``Recording.marker_log``) and the message ends recorded since (the MessageBook's
points); the whole layer is rebuilt only when lanes move.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg

from gui.theme import MARKER_STYLE, PRINT_OFFSET
from model.messages import SEND
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
        self._points_seen: dict[int, int] = {}  # pid -> its message ends drawn

    def clear(self) -> None:
        for item in self._items.values():
            item.clear()
        self._seen = 0
        self._finished = False
        self._shown = {}
        self._points_seen = {}

    def update(
        self, rec: Recording, rows: dict[int, int], x: Callable[[int], float], force: bool
    ) -> None:
        """Append new markers and message ends; rebuild all when lanes moved (or a finished run
        goes live again). When the run ends, sends never received change style: drawn over in
        the unreceived style (a rebuild of a flood's million markers froze the window's last
        tick for 0.2-0.4 s, bench/ingest.py)."""
        finished = rec.end_ts is not None
        if force or (self._finished and not finished):
            self.clear()
        just_ended, self._finished = finished and not self._finished, finished
        drawn = dict(self._points_seen)
        self._append(rec, rows, x)
        self._append_points(rec, rows, x)
        if just_ended:
            self._restyle_unreceived(rec, rows, x, drawn)

    def _append(self, rec: Recording, rows: dict[int, int], x: Callable[[int], float]) -> None:
        log = rec.marker_log
        if self._seen >= len(log):
            return
        batch: dict[str, tuple[list[float], list[float], list[tuple[int, int]]]] = {}
        for pid, m in log[self._seen :]:
            row = rows.get(pid)
            if row is None:
                continue
            if not self._worth_showing(pid, m.kind, m.ts):
                continue
            xs, ys, data = batch.setdefault(m.kind, ([], [], []))
            xs.append(x(m.ts))
            ys.append(row + marker_offset(m.kind))
            data.append((pid, m.index))
        self._seen = len(log)
        for kind, (xs, ys, data) in batch.items():
            self._add_points(kind, xs, ys, data)

    def _append_points(
        self, rec: Recording, rows: dict[int, int], x: Callable[[int], float]
    ) -> None:
        """The sends and receives recorded since the last call (model/messages.py keeps them
        per process); once the run is over a send never received is drawn unreceived."""
        book, finished = rec.messages, rec.end_ts is not None
        unreceived: set[int] | None = None  # the in-flight sends' events, looked up once
        batch: dict[str, tuple[list[float], list[float], list[tuple[int, int]]]] = {}
        for pid, (stamps, indices, sides) in book.points.items():
            seen, row = self._points_seen.get(pid, 0), rows.get(pid)
            if seen >= len(stamps) or row is None:
                continue
            self._points_seen[pid] = len(stamps)
            for ts, index, side in zip(stamps[seen:], indices[seen:], sides[seen:], strict=True):
                kind = "send" if side == SEND else "recv"
                if kind == "send" and finished:
                    if unreceived is None:
                        unreceived = {i for _m, i in book.in_flight()}
                    if index in unreceived:
                        kind = "unreceived"
                if not self._worth_showing(pid, kind, ts):
                    continue
                xs, ys, data = batch.setdefault(kind, ([], [], []))
                xs.append(x(ts))
                ys.append(row)
                data.append((pid, index))
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
        self,
        rec: Recording,
        rows: dict[int, int],
        x: Callable[[int], float],
        drawn: dict[int, int],
    ) -> None:
        """Draw the sends already drawn live (``drawn``: how many of each process's message
        ends were), whose message was never received, in their end style, on top."""
        xs, ys, data = [], [], []
        for msg, index in rec.messages.in_flight():
            row, seen = rows.get(msg.sender), drawn.get(msg.sender, 0)
            if row is None or msg.sent is None or not seen:
                continue
            if index > rec.messages.points_of(msg.sender)[1][seen - 1]:
                continue  # not drawn live: drawn in the end style when appended
            xs.append(x(msg.sent))
            ys.append(row)
            data.append((msg.sender, index))
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


def marker_near(
    rec: Recording,
    lane: Lane,
    row: int,
    x: float,
    y: float,
    px: tuple[float, float],
    to_ts: Callable[[float], int],
    hit_px: float,
) -> Marker | None:
    """The marker or message end of ``lane`` nearest to (x, y) within ``hit_px`` pixels; only
    those within the pixel tolerance in time are looked at (markers are sorted by time; a
    message end is made a Marker from its event when it is the one)."""
    lo_ts, hi_ts = to_ts(x - hit_px * px[0]), to_ts(x + hit_px * px[0])
    markers = lane.markers
    lo = bisect.bisect_left(markers, lo_ts, key=lambda m: m.ts)
    hi = bisect.bisect_right(markers, hi_ts, key=lambda m: m.ts)
    best, best_d = None, hit_px
    for m in markers[lo:hi]:
        dy = abs(row + marker_offset(m.kind) - y) / px[1]
        if dy <= best_d:
            best, best_d = m, dy
    index = _message_end_near(rec, lane.pid, lo_ts, hi_ts, to_ts(x))
    if index is not None and abs(row - y) / px[1] <= best_d:
        _kind, _pid, ts, line, data = rec.event(index)
        best = Marker(ts, str((data or {}).get("phase", "")), line, data or {}, index)
    return best


def _message_end_near(rec: Recording, pid: int, lo_ts: int, hi_ts: int, at_ts: int) -> int | None:
    """The event index of the send or receive of ``pid`` nearest ``at_ts`` between the two
    times (a process's message ends are kept in arrival order, not always in time order)."""
    stamps, indices, _sides = rec.messages.points_of(pid)
    if not stamps:
        return None
    ts = np.frombuffer(stamps, dtype=np.int64)  # a view, gone on return: the array can grow
    hits = np.flatnonzero((ts >= lo_ts) & (ts <= hi_ts))
    if not len(hits):
        return None
    nearest = hits[int(np.argmin(np.abs(ts[hits] - at_ts)))]
    return int(indices[int(nearest)])
