"""Queue and Pipe traffic on the timeline: an arrow per message, a depth track per queue.

Depth tracks are extra rows under the process lanes; each is a filled step curve scaled to the
queue's maxsize (or to the deepest it got, for an unbounded queue). Arrows are added as messages
complete; a depth track is recomputed (numpy) when its queue changed, and a long one (a message
flood) at most every DEPTH_EVERY_S while the run goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg

from gui.arrows import Arrows
from model.messages import Channel
from model.recording import Recording

DEPTH_HALF = 0.38
DEPTH_COLOR = "#5a7fa8"
MAX_DEPTH_STEPS = 8_000  # a longer depth track is drawn as the peak of each of this many bins
LONG_DEPTH = 20_000  # changes: past this, a live depth track is redrawn at most every:
DEPTH_EVERY_S = 0.5


class MessageLayer:
    def __init__(self, plot_item: pg.PlotItem) -> None:
        self._plot = plot_item
        self.arrows = Arrows()
        plot_item.addItem(self.arrows)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._version = -1
        self._arrowed = 0  # messages of ``completed`` already looked at
        self._depth_drawn: dict[str, tuple[int, float, bool]] = {}  # ch -> (changes, when, live)

    def queue_channels(self, rec: Recording) -> list[Channel]:
        """The queues that get a depth row, in the order they were created."""
        return sorted(rec.messages.queues(), key=lambda c: (c.created, c.ch))

    def clear(self) -> None:
        self.arrows.set_arrows([])
        for curve in self._curves.values():
            self._plot.removeItem(curve)
        self._curves = {}
        self._version = -1
        self._arrowed = 0
        self._depth_drawn = {}

    def update(
        self,
        rec: Recording,
        rows: dict[int, int],
        first_queue_row: int,
        x: Callable[[int], float],
        force: bool,
    ) -> None:
        book = rec.messages
        live = rec.end_ts is None
        if book.version == self._version and not force and not live:
            return
        self._version = book.version
        if force:
            self.arrows.set_arrows([])
            self._arrowed = 0
            self._depth_drawn = {}
        new = book.completed[self._arrowed :]
        self._arrowed = len(book.completed)
        self.arrows.add_arrows(
            [
                (x(m.sent), rows[m.sender], x(m.received), rows[m.receiver])
                for m in new
                if m.sender in rows and m.receiver in rows
            ]
        )
        for i, channel in enumerate(self.queue_channels(rec)):
            if self._depth_due(rec, channel.ch, live):
                self._draw_depth(rec, channel, first_queue_row + i, x)

    def _depth_due(self, rec: Recording, ch: str, live: bool) -> bool:
        changes = len(rec.messages.depth_columns(ch)[0])
        drawn = self._depth_drawn.get(ch)
        if drawn is not None and drawn[0] == changes and not live and not drawn[2]:
            return False  # finished, and drawn as finished
        now = time.monotonic()
        if drawn is not None and live and changes > LONG_DEPTH and now - drawn[1] < DEPTH_EVERY_S:
            return False
        self._depth_drawn[ch] = (changes, now, live)
        return True

    def _draw_depth(
        self, rec: Recording, channel: Channel, row: int, x: Callable[[int], float]
    ) -> None:
        stamps, deltas = rec.messages.depth_columns(channel.ch)
        ts, delta = np.array(stamps, dtype=np.int64), np.array(deltas, dtype=np.int64)
        order = np.lexsort((delta, ts))  # by time; a get before a put at the same instant
        ts, depth = ts[order], np.cumsum(delta[order])
        top = max(channel.maxsize, int(depth.max()) if len(depth) else 0, 1)
        ref = channel.created
        per_ns = x(ref + 10**9) - x(ref)
        step_x, depth = _peaks(x(ref) + (ts - ref) * (per_ns / 1e9), depth)
        xs = np.concatenate(([x(ref)], np.repeat(step_x, 2), [x(rec.now())]))
        before = np.concatenate(([0], depth[:-1])) if len(depth) else depth
        steps = np.column_stack((before, depth)).ravel() if len(depth) else depth
        ys = np.concatenate(([0], steps, [depth[-1] if len(depth) else 0])).astype(float)
        base = row + DEPTH_HALF
        yv = base - 2 * DEPTH_HALF * ys / top
        curve = self._curves.get(channel.ch)
        if curve is None:
            curve = pg.PlotDataItem(
                pen=pg.mkPen(DEPTH_COLOR, width=2),
                fillLevel=base,
                brush=pg.mkBrush(DEPTH_COLOR + "55"),
            )
            self._plot.addItem(curve)
            self._curves[channel.ch] = curve
        curve.setData(xs, yv)
        curve.setFillLevel(base)

    def depth_at(self, rec: Recording, channel: Channel, ts: int) -> int:
        depth = 0
        for t, d in rec.messages.depth_series(channel.ch):
            if t > ts:
                break
            depth = d
        return depth


def _peaks(step_x: np.ndarray, depth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A long track as the deepest the queue got in each of MAX_DEPTH_STEPS bins of its span,
    then its last depth (drawing 2.4M points of a million-message flood took 15 ms a paint)."""
    if len(depth) <= MAX_DEPTH_STEPS:
        return step_x, depth
    span = float(step_x[-1] - step_x[0]) or 1.0
    bins = np.floor((step_x - step_x[0]) / span * (MAX_DEPTH_STEPS - 1))
    starts = np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])
    xs = np.append(step_x[starts], step_x[-1])
    return xs, np.append(np.maximum.reduceat(depth, starts), depth[-1])
