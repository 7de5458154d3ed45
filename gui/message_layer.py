"""Queue and Pipe traffic on the timeline: an arrow per message, a depth track per queue.

Depth tracks are extra rows under the process lanes; each is a filled step curve scaled to the
queue's maxsize (or to the deepest it got, for an unbounded queue). Arrows are added as messages
complete; a depth track is recomputed (numpy) when its queue changed, and a long one (a message
flood) at most every DEPTH_EVERY_S while the run goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg

from gui.arrows import Arrows
from model.messages import Channel
from model.recording import Recording

DEPTH_HALF = 0.38
DEPTH_COLOR = "#5a7fa8"
MAX_DEPTH_STEPS = 2_000  # a longer depth track is drawn as its depth at the end of as many bins
# (about one a pixel; pyqtgraph fills a curve in 50-point pieces: 8,000 steps cost ~10 ms a paint)
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
        relayout: bool = False,
    ) -> None:
        """New arrows and due depth tracks; ``force``: lanes changed rows, draw all anew;
        ``relayout``: lanes or queues were added below, the depth rows moved."""
        book = rec.messages
        live = rec.end_ts is None
        if book.version == self._version and not force and not relayout and not live:
            return
        self._version = book.version
        if force:
            self.arrows.set_arrows([])
            self._arrowed = 0
        if force or relayout:
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
        ts, depth = _depth_steps(*rec.messages.depth_columns(channel.ch))
        top = max(channel.maxsize, int(depth.max()) if len(depth) else 0, 1)
        ref = channel.created
        per_ns = x(ref + 10**9) - x(ref)
        step_x = x(ref) + (ts.astype(np.float64) - ref) * (per_ns / 1e9)  # no int64 overflow
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
                antialias=False,  # steps only: square edges; antialiased, the fill cost 9 ms a
            )  # paint against 2 (1600 px, 2,000 steps)
            self._plot.addItem(curve)
            self._curves[channel.ch] = curve
        curve.setData(xs, yv)
        curve.setFillLevel(base)


def _depth_steps(stamps: Sequence[int], deltas: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(time, depth after it) in time order: every put and get, or for a long track the depth
    at the end of each of MAX_DEPTH_STEPS equal time bins (no sort: a flood's half-million
    changes sorted and drawn twice a second put the window's timer p99 over 50 ms)."""
    ts, delta = np.asarray(stamps), np.asarray(deltas)  # the model's arrays themselves, not
    # copies (10 MB a redraw in a flood); nothing returned keeps them, so they can still grow
    if len(ts) <= MAX_DEPTH_STEPS:
        order = np.lexsort((delta, ts))  # by time; a get before a put at the same instant
        return ts[order], np.cumsum(delta[order])
    # Bins in floats, bin starts in Python ints: a track spanning years (2**62 ns, a recording
    # may hold anything) overflowed int64 times the bin count and gave negative bins.
    first, last = int(ts.min()), int(ts.max())
    span, steps = max(last - first, 1), MAX_DEPTH_STEPS - 1
    bins = ((ts.astype(np.float64) - first) * (steps / span)).astype(np.int64)
    bins = np.clip(bins, 0, steps)
    depth = np.cumsum(np.bincount(bins, weights=delta, minlength=MAX_DEPTH_STEPS)).astype(np.int64)
    starts = np.array([first + k * span // steps for k in range(MAX_DEPTH_STEPS)], dtype=np.int64)
    return starts, depth
