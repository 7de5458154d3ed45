"""Level of detail on the timeline: bars and arrows drawn one per pixel column where they are
denser than pixels, long queue-depth tracks binned, and nothing of the data lost."""

from __future__ import annotations

import numpy as np
import pytest

from gui.arrows import MAX_LINES, _one_per_column
from gui.message_layer import MAX_DEPTH_STEPS, _depth_steps
from gui.state_boxes import _per_pixel
from model.recording import Recording


def _alternating(n: int, width: float = 1.0, long_key: int = 0):
    """``n`` back-to-back boxes over [0, n*width): key ``long_key`` takes 3/4 of each pair."""
    x0, x1, keys, t = [], [], [], 0.0
    for i in range(n):
        w = width * (1.5 if i % 2 == long_key else 0.5)
        x0.append(t)
        x1.append(t + w)
        keys.append(i % 2)
        t += w
    return np.array(x0), np.array(x1), np.array(keys, dtype=np.uint16)


def test_more_boxes_than_pixels_become_one_per_column_in_the_colour_that_covers_most():
    x0, x1, keys = _alternating(100_000, width=1e-5)  # 1 s of 10 µs boxes
    px_per_x = 800.0  # the whole second on 800 pixels
    dx0, dx1, dkeys = _per_pixel(x0, x1, keys, 0.0, px_per_x)
    assert len(dx0) <= 801
    assert set(dkeys.tolist()) == {0}  # key 0 covers 3/4 of every column
    assert np.all(dx0[1:] <= dx1[:-1] + 1e-12)  # no gaps: the merged boxes still tile the span
    assert dx0[0] == x0[0] and dx1[-1] == x1[-1]


def test_boxes_wider_than_pixels_are_drawn_as_they_are():
    x0, x1, keys = _alternating(50, width=1.0)
    dx0, dx1, dkeys = _per_pixel(x0, x1, keys, 0.0, 10.0)
    assert np.array_equal(dx0, x0) and np.array_equal(dx1, x1) and np.array_equal(dkeys, keys)


def test_a_flood_of_boxes_paints_in_view_and_labels_only_what_fits(qtbot):
    from gui.timeline_view import TimelineView

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    n = 200_000
    boxes = view.boxes
    boxes.set_lane(
        0, [(i * 1e-5, (i + 1) * 1e-5, ("running", "sleeping")[i % 2], "x") for i in range(n)]
    )
    boxes.set_lane(1, [(0.0, 1.0, "blocked", "join → Process-1"), (1.0, 2.0, "running", "")])
    boxes.commit()
    view.vb.setXRange(0.0, 2.0, padding=0)
    image = view.plot.grab().toImage()
    assert len(boxes.boxes_by_key(0)["running"]) == n // 2  # kept whole; merged only when drawn
    colors = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert "#e0622a" in colors  # the blocked bar
    assert "#2e9e44" in colors or "#74a9e0" in colors  # the flood's lane, merged per pixel


def test_a_short_depth_track_is_every_put_and_get_in_time_order():
    ts, depth = _depth_steps([30, 10, 20, 20], [-1, 1, 1, -1])
    assert ts.tolist() == [10, 20, 20, 30] and depth.tolist() == [1, 0, 1, 0]  # get before put


def test_a_long_depth_track_is_its_depth_at_the_end_of_each_bin():
    rng = np.random.default_rng(7)
    n = 5 * MAX_DEPTH_STEPS
    ts = np.sort(rng.integers(0, 10**9, n))
    delta = np.where(np.arange(n) % 3 == 2, -1, 1)  # a queue that fills up
    arrival = rng.permutation(n)  # they come in any order
    starts, depth = _depth_steps(ts[arrival].tolist(), delta[arrival].tolist())
    assert len(starts) == MAX_DEPTH_STEPS and depth[-1] == delta.sum()
    exact = np.cumsum(delta)
    ends = np.r_[starts[1:], ts[-1] + 1]
    for k in range(0, MAX_DEPTH_STEPS, 997):  # the depth after every change before the bin's end
        inside = np.searchsorted(ts, ends[k], side="left")
        assert depth[k] == (exact[inside - 1] if inside else 0)


def test_dense_arrows_keep_one_per_column_and_pair_of_lanes():
    n = 4 * MAX_LINES
    x0 = np.linspace(0.0, 1.0, n)
    y0 = np.tile([0.0, 1.0], n // 2)
    y1 = np.tile([2.0, 3.0], n // 2)
    kept = _one_per_column(np.arange(n), x0, y0, y1, 0.0, 500.0)  # 500 pixel columns
    pairs = {(int(y0[i]), int(y1[i])) for i in kept}
    assert pairs == {(0, 2), (1, 3)} and len(kept) <= 2 * 501
    assert np.all(np.diff(kept) > 0)  # still in the order they came


def _flood_of_arrows(n: int) -> list[tuple[float, float, float, float]]:
    """``n`` arrows, ten a millisecond (off the bucket edges), alternating two pairs of lanes."""
    return [((i + 0.5) * 1e-4, float(i % 2), (i + 5.5) * 1e-4, float(2 + i % 2)) for i in range(n)]


def test_zoomed_out_arrows_are_indexed_by_the_first_of_each_millisecond_and_pair(qtbot):
    from gui.arrows import COARSE_X, Arrows

    assert COARSE_X == 1e-3
    arrows, flood = Arrows(), _flood_of_arrows(10_000)
    arrows.add_arrows(flood[:5005])  # the second batch starts inside a millisecond seen
    arrows.add_arrows(flood[5005:])
    assert len(arrows) == 10_000
    assert list(arrows._coarse) == [i for b in range(1000) for i in (10 * b, 10 * b + 1)]
    arrows.set_arrows(flood[:20])
    assert list(arrows._coarse) == [0, 1, 10, 11]


def test_zoomed_out_a_paint_keeps_one_arrow_per_column_and_pair_from_the_index(qtbot):
    import pyqtgraph as pg
    from PySide6.QtGui import QImage, QPainter, QTransform

    from gui.arrows import Arrows

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    arrows = Arrows()
    plot.addItem(arrows)
    arrows.add_arrows(_flood_of_arrows(100_000))  # 10 s
    plot.setXRange(0.0, 10.0, padding=0)
    image = QImage(600, 100, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        painter.setTransform(QTransform.fromScale(500 / 10.0, 1.0))  # 500 px: 20 ms a pixel
        lines = arrows._in_view(painter)
        plot.setXRange(0.0, 0.1, padding=0)
        painter.setTransform(QTransform.fromScale(500 / 0.1, 1.0))  # 0.2 ms a pixel
        fine = arrows._in_view(painter)
    finally:
        painter.end()
    pairs = {(round(ln.y1()), round(ln.y2())) for ln in lines}
    assert pairs == {(0, 2), (1, 3)} and 2 * 245 <= len(lines) <= 2 * 251  # 2-pixel columns
    assert len(fine) == 1000  # zoomed in: every arrow in view, not only the index's


def _messages_run(received: bool) -> Recording:
    ch = {"ch": "q1"}
    rec = Recording(t0=0)
    rec.live = True
    rec.add(
        [
            ("started", 10, 0, 0, {"name": "MainProcess"}),
            ("started", 11, 5, 0, {"name": "Process-1", "parent": 10, "ppid": 10}),
            ("msg", 10, 6, 3, {"phase": "channel", "kind": "Queue", "name": "q", **ch}),
            ("msg", 11, 10, 4, {"phase": "send", "mid": "a", "payload": "1", **ch}),
            ("msg", 11, 20, 4, {"phase": "send", "mid": "b", "payload": "2", **ch}),
            ("msg", 10, 30, 5, {"phase": "recv", "mid": "a", **ch}),
        ]
    )
    if received:
        rec.add([("msg", 10, 40, 5, {"phase": "recv", "mid": "b", **ch})])
    return rec


@pytest.mark.parametrize("received", [True, False])
def test_markers_are_never_rebuilt_at_the_end_and_sends_never_received_are_drawn_over(
    qtbot, received
):
    from gui.timeline_view import TimelineView

    view = TimelineView()
    qtbot.addWidget(view)
    rec = _messages_run(received)
    view.set_recording(rec)
    rebuilt = []
    clear = view.marker_layer.clear
    view.marker_layer.clear = lambda: rebuilt.append(1) or clear()
    rec.finish(100)
    view.refresh()
    items = view.marker_layer._items
    assert not rebuilt
    assert len(items["send"].data) == 2
    if received:
        assert "unreceived" not in items
        return
    over = items["unreceived"]
    assert len(over.data) == 1 and over.zValue() > items["send"].zValue()
    sends = {(p["x"], p["y"]) for p in items["send"].data}
    assert (over.data[0]["x"], over.data[0]["y"]) in sends, "drawn over the send of message b"
    send_b = next(i for i in range(len(rec.events)) if rec.event(i)[4].get("mid") == "b")
    assert rec.event(send_b)[4]["phase"] == "send"
    assert tuple(over.data[0]["data"]) == (11, send_b)
    fresh = TimelineView()  # a view of the finished run draws it in that style from the start
    qtbot.addWidget(fresh)
    fresh.set_recording(rec)
    assert len(fresh.marker_layer._items["send"].data) == 1
    assert len(fresh.marker_layer._items["unreceived"].data) == 1


def test_a_long_live_depth_track_moves_with_its_row_when_lanes_are_added_above_it(qtbot):
    """A live track of more than LONG_DEPTH changes is redrawn at most every DEPTH_EVERY_S; a
    lane added above it (a relayout where no lane moved) must still move it to its new row."""
    import pyqtgraph as pg

    from gui.message_layer import DEPTH_HALF, LONG_DEPTH, MessageLayer

    rec = Recording(t0=0)
    rec.live = True
    rec.add([("msg", 10, 1, 3, {"phase": "channel", "ch": "q1", "kind": "Queue", "name": "q"})])
    n = LONG_DEPTH + 10
    sends = [
        ("msg", 11, 2 + i, 5, {"phase": "send", "ch": "q1", "mid": f"m{i}", "how": "put"})
        for i in range(n)
    ]
    rec.add(sends)
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    layer = MessageLayer(plot.getPlotItem())
    rows = {10: 0, 11: 1}

    def x(ts: int) -> float:
        return ts / 1e9

    def row_of_curve() -> float:
        (curve,) = layer._curves.values()
        return curve.opts["fillLevel"] - DEPTH_HALF  # the row's base line sits DEPTH_HALF below

    layer.update(rec, rows, 2, x, force=False)
    assert row_of_curve() == pytest.approx(2)
    rows[12] = 2  # a new lane below the others: the queue's row moves down by one
    layer.update(rec, rows, 3, x, force=False)  # within DEPTH_EVERY_S: not due by itself
    assert row_of_curve() == pytest.approx(2)
    layer.update(rec, rows, 3, x, force=False, relayout=True)
    assert row_of_curve() == pytest.approx(3)
