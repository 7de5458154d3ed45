"""How the timeline draws a run as it comes in: what it draws bit by bit equals what a view
drawing the recording anew draws (lanes, Pool tasks, markers, arrows, depth rows), it survives
hundreds of redraws, paints once a refresh, and fits its exit labels."""

from __future__ import annotations

import numpy as np
import pytest

from model.recording import Recording
from tests.helpers import run_pids, still_alive


def test_a_live_view_survives_many_hundreds_of_redraws(qtbot):
    """DESIGN.md trap: PySide6 6.12.0 on Python <= 3.11 kills a redrawn plot after ~100 frames."""
    from gui.timeline_view import TimelineView

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.show()
    rec = Recording(t0=0)
    view.set_recording(rec)
    rec.add([("started", 10, 0, 0, {"name": "MainProcess"})])
    ms = 1_000_000
    for frame in range(1, 701):
        pid = 11 + frame % 5
        if frame <= 5:
            rec.add([("created", pid, frame * ms, 1, {"name": f"Process-{frame}", "parent": 10})])
        state = ("sleeping", "running", "blocked")[frame % 3]
        rec.add([("state", pid, frame * 10 * ms, 2, {"s": state, "on": "sleep"})])
        if frame % 7 == 0:
            rec.add([("print", pid, frame * 10 * ms, 3, {"stream": 1, "text": f"line {frame}"})])
        rec.last_ts = frame * 10 * ms
        view.refresh()
        view.plot.repaint()
        qtbot.wait(0) if frame % 50 else view.grab()
    assert len(view._rows) == 6
    assert view.marker_layer.count() > 100


def _rects(boxes) -> dict:
    return {
        row: {
            k: [(round(a, 9), round(b, 9)) for a, b in v]
            for k, v in boxes.boxes_by_key(row).items()
        }
        for row in boxes.rows()
    }


@pytest.mark.parametrize("limit", [None, 150])
def test_a_lane_drawn_bit_by_bit_equals_one_drawn_at_once(qtbot, limit):
    """The live path redoes only a running lane's last box, also when it exits, is reaped, or
    passes the detail limit; it must draw what a full redraw does."""
    from gui.timeline_view import TimelineView

    live, fresh = TimelineView(), TimelineView()
    for view in (live, fresh):
        qtbot.addWidget(view)
    rec = Recording(t0=0) if limit is None else Recording(t0=0, limit=limit)
    rec.add([("started", 10, 0, 0, {"name": "MainProcess"})])
    rec.add([("started", 11, 5, 0, {"name": "Process-1", "parent": 10, "ppid": 10})])
    live.set_recording(rec)
    full = []
    whole = rec.segments
    rec.segments = lambda lane, now=None: full.append(lane.pid) or whole(lane, now)
    states = ("sleeping", "running", "blocked")
    for i in range(1, 300):
        pid = 10 + i % 2
        rec.add([("state", pid, i * 1000, 2, {"s": states[i % 3], "on": "sleep", "secs": 0.1})])
        live.refresh()
    assert len(full) <= 4, (limit, full)  # whole lanes only while they are new, then tails
    fresh.set_recording(rec)
    assert _rects(live.boxes) == _rects(fresh.boxes)
    assert len(live._segments[10]) > (40 if limit else 100)
    for ev in (
        ("exit_status", 11, 300_500, 0, {"code": 0}),
        ("exited", 11, 300_600, 0, {"code": 0, "by": 10, "zombie": True}),
        ("joined", 11, 300_900, 3, {"code": 0, "by": 10}),
    ):
        rec.add([ev])
        live.refresh()
        fresh.set_recording(rec)
        assert _rects(live.boxes) == _rects(fresh.boxes), ev[0]
    assert ("unrecorded" in str(_rects(live.boxes))) == bool(limit)


@pytest.mark.parametrize("width", [700, 1600])
def test_a_finished_run_fits_its_exit_labels_whole(qtbot, width):
    """Exit labels are as wide in pixels at any zoom: the fitted range leaves room for the
    longest ("killed by SIGSEGV (exit code -11)" was cut at the view's edge)."""
    from gui.timeline_view import TimelineView

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(width, 500)
    view.show()
    qtbot.waitExposed(view)
    ms = 1_000_000
    rec = Recording(t0=0)
    rec.add(
        [
            ("started", 10, 0, 0, {"name": "MainProcess"}),
            ("started", 11, 1 * ms, 0, {"name": "segfault", "parent": 10, "ppid": 10}),
            ("exited", 11, 500 * ms, 0, {"code": -11, "zombie": False}),
            ("exited", 10, 510 * ms, 0, {"code": 0, "zombie": False}),
        ]
    )
    rec.finish(510 * ms)
    view.set_recording(rec)
    (_x0, x1), _ = view.vb.viewRange()
    per_px = x1 / view.vb.width()
    assert len(view._exit_labels) == 2
    for label in view._exit_labels:
        assert label.pos().x() + label.textItem.boundingRect().width() * per_px <= x1
    assert x1 < 0.51 * 2, "the lanes still take most of the view"
    if width >= 1600:
        view.resize(1000, 500)  # narrower: refitted while it follows
        qtbot.waitUntil(lambda: view.vb.viewRange()[0][1] > x1)


POOL_STEPS = """
import multiprocessing as mp
import sys
import time

PAUSE = float(sys.argv[1])


def step(x):
    time.sleep(PAUSE)
    if x == 7:
        raise ValueError("seven")
    return x * x


def produce(q):
    for i in range(5):
        time.sleep(PAUSE)
        q.put(i)


if __name__ == "__main__":
    with mp.Pool(2) as pool:
        pool.map(step, range(6), chunksize=2)
        pool.apply_async(step, (7,)).wait()
        pool.map(step, range(10, 18), chunksize=1)
    q = mp.Queue()  # a depth row, then a lane, added below the others
    p = mp.Process(target=produce, args=(q,))
    p.start()
    got = [q.get() for _ in range(5)]
    p.join()
"""


def _task_boxes(view) -> dict[int, dict[str, list[tuple[float, float]]]]:
    """Per row its task boxes by colour (a row kept empty and a row never made look alike)."""
    rows = {row: view.task_boxes.boxes_by_key(row) for row in view.task_boxes.rows()}
    return {row: boxes for row, boxes in rows.items() if boxes}


def _drawn_anew(rec: Recording):
    from gui.timeline_view import TimelineView

    fresh = TimelineView()
    fresh.set_recording(rec)
    return fresh


def _settled(boxes: dict[int, dict[str, list[tuple[float, float]]]], rec: Recording) -> dict:
    """The boxes of tasks that have ended (an open one is stretched to each view's "now")."""
    open_starts = {
        (rec.t0, t.start) for t in rec.tasks.tasks.values() if t.start is not None and t.end is None
    }
    return {
        row: {
            key: [
                b
                for b in spans
                if not any(abs(b[0] - (s - t0) / 1e9) < 1e-9 for t0, s in open_starts)
            ]
            for key, spans in by_key.items()
        }
        for row, by_key in boxes.items()
    }


def test_tasks_lanes_and_queues_drawn_as_they_come_equal_what_is_drawn_anew(
    window, qtbot, tmp_path
):
    """Settled tasks are never redrawn (a worker's last one or two are): what the live view
    holds, at every refresh and at the end, must be what a view drawing it all at once holds."""
    from control.session import RunSpec

    script = tmp_path / "pool_steps.py"
    script.write_text(POOL_STEPS, encoding="utf-8")
    controller, view = window.controller, window.timeline
    checked: list[int] = []

    def compare() -> None:
        rec = controller.recording
        if rec is None or not rec.tasks.by_worker:
            return
        fresh = _drawn_anew(rec)
        assert _settled(_task_boxes(view), rec) == _settled(_task_boxes(fresh), rec)
        checked.append(sum(len(t) for t in rec.tasks.by_worker.values()))

    controller.updated.connect(compare)
    controller.run_script(RunSpec(str(script), ["0.05"], "fork"))
    qtbot.waitUntil(lambda: not controller.running(), timeout=20_000)
    controller.updated.disconnect(compare)
    rec = controller.recording
    assert len(rec.tasks.tasks) == 6 + 1 + 8
    assert len(set(checked)) >= 4, "the comparison should have run as tasks came in"
    fresh = _drawn_anew(rec)
    live_boxes = _task_boxes(view)
    assert live_boxes == _task_boxes(fresh)
    assert sum(len(spans) for by_key in live_boxes.values() for spans in by_key.values()) == 15
    # lanes and a queue added below the pool's lanes did not redraw them, and nothing is amiss
    assert len(rec.messages.complete()) == 5
    assert view.marker_layer.count() == fresh.marker_layer.count() > 0
    assert len(view.messages.arrows) == len(fresh.messages.arrows) == 5
    (live_curve,) = view.messages._curves.values()
    (fresh_curve,) = fresh.messages._curves.values()
    assert np.array_equal(live_curve.getData()[1], fresh_curve.getData()[1])  # same depth row
    assert still_alive(run_pids(rec)) == set()


CHATTER = """
import multiprocessing as mp
import sys
import time


def chatter(n, pause):
    for i in range(n):
        print("line", i)
        time.sleep(pause)


if __name__ == "__main__":
    p = mp.Process(target=chatter, args=(int(sys.argv[1]), float(sys.argv[2])))
    p.start()
    p.join()
"""


def test_each_refresh_of_a_live_run_paints_the_timeline_once(window, qtbot, tmp_path):
    """The view's new range is applied before the paint: applied inside it, the markers'
    items changed geometry mid-paint and Qt painted the whole plot a second time."""
    from PySide6.QtCore import QEvent, QObject

    from control.session import RunSpec

    class Paints(QObject):
        count = 0

        def eventFilter(self, obj: object, event: QEvent) -> bool:  # noqa: N802 (Qt name)
            if event.type() == QEvent.Type.Paint:
                Paints.count += 1
            return False

    script = tmp_path / "chatter.py"
    script.write_text(CHATTER, encoding="utf-8")
    paints = Paints()
    window.timeline.plot.viewport().installEventFilter(paints)
    qtbot.wait(100)  # the window's first paints
    refreshes: list[int] = []
    window.controller.updated.connect(lambda: refreshes.append(1))
    Paints.count = 0
    window.controller.run_script(RunSpec(str(script), ["40", "0.02"], "fork"))
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=20_000)
    qtbot.wait(100)
    window.timeline.plot.viewport().removeEventFilter(paints)
    assert len(refreshes) >= 20, "a run of ~1 s refreshes on every tick it gets events"
    assert Paints.count <= len(refreshes) + 3
    assert still_alive(run_pids(window.controller.recording)) == set()
