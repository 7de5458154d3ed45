"""Queue and Pipe traffic on the timeline: an arrow per message, a depth track per queue.

Depth tracks are extra rows under the process lanes; each is a filled step curve scaled to the
queue's maxsize (or to the deepest it got, for an unbounded queue).
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg

from gui.arrows import Arrows
from model.messages import Channel
from model.recording import Recording

DEPTH_HALF = 0.38
DEPTH_COLOR = "#5a7fa8"


class MessageLayer:
    def __init__(self, plot_item: pg.PlotItem) -> None:
        self._plot = plot_item
        self.arrows = Arrows()
        plot_item.addItem(self.arrows)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._version = -1

    def queue_channels(self, rec: Recording) -> list[Channel]:
        """The queues that get a depth row, in the order they were created."""
        return sorted(rec.messages.queues(), key=lambda c: (c.created, c.ch))

    def clear(self) -> None:
        self.arrows.set_arrows([])
        for curve in self._curves.values():
            self._plot.removeItem(curve)
        self._curves = {}
        self._version = -1

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
        arrows = []
        for m in book.complete():
            if m.sender in rows and m.receiver in rows:
                arrows.append((x(m.sent), rows[m.sender], x(m.received), rows[m.receiver]))
        self.arrows.set_arrows(arrows)
        for i, channel in enumerate(self.queue_channels(rec)):
            self._draw_depth(rec, channel, first_queue_row + i, x)

    def _draw_depth(
        self, rec: Recording, channel: Channel, row: int, x: Callable[[int], float]
    ) -> None:
        series = rec.messages.depth_series(channel.ch)
        top = max([channel.maxsize] + [d for _, d in series] + [1])
        xs, ys = [x(channel.created)], [0.0]
        for ts, depth in series:
            xs += [x(ts), x(ts)]
            ys += [ys[-1], float(depth)]
        xs.append(x(rec.now()))
        ys.append(ys[-1])
        base = row + DEPTH_HALF
        yv = [base - 2 * DEPTH_HALF * d / top for d in ys]
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
