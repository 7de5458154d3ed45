"""The window with qtbot: live lanes, Stop, parameter checks, log ↔ timeline ↔ code, long redraws."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from gui.app_setup import ensure_app
from model.recording import Recording
from tests.helpers import alive, run_pids, still_alive


@pytest.fixture(scope="session")
def qapp():
    return ensure_app()


@pytest.fixture
def window(qtbot):
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.controller.shutdown()


def _start(window, sid: str, method: str = "spawn", **values: object) -> None:
    assert window.panel.select(sid)
    for name, value in values.items():
        window.panel.params.set_text(name, str(value))
    window.panel.method.setCurrentText(method)
    window.panel.run_button.click()


def test_lanes_appear_while_the_run_is_still_going(window, qtbot):
    _start(window, "several-processes", TH1_SLEEP=0.8, TH2_SLEEP=1.2, TH3_SLEEP=1.0)
    qtbot.waitUntil(lambda: len(window.timeline._rows) >= 4, timeout=10_000)
    assert window.controller.running(), "lanes should show before the run ends"
    rec = window.controller.recording
    assert all(lane.end is None for lane in rec.lanes.values() if lane.name != "MainProcess")
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    names = sorted(lane.name for lane in rec.lanes.values())
    assert names == ["MainProcess", "Process-1", "Process-2", "Process-3"]
    assert window.console.toPlainText().count("[Process-") >= 6


def test_a_run_starts_in_the_runner_kept_ready_and_another_is_made_ready_after_it(window, qtbot):
    window.controller.keep_runner_ready()
    first = window.controller.standby
    assert first is not None and first.ready(30)
    runner = first.proc.pid
    _start(window, "several-processes", method="fork", TH1_SLEEP=0.05, TH2_SLEEP=0.05)
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert window.controller.session.runner_pid == runner
    assert window.controller.recording.lanes[runner].name == "MainProcess"
    ready = window.controller.standby
    assert ready is not None and ready.proc.pid != runner, "the next Run's runner, made ready"
    pid = ready.proc.pid
    window.controller.shutdown()
    assert not alive(pid), "closing the window ends the runner kept ready"


def test_stop_ends_every_process_of_the_run_within_two_seconds(window, qtbot):
    _start(window, "custom-process-class", method="fork", VALUE=0.5, TICKS=20)
    qtbot.waitUntil(lambda: len(window.controller.recording.lanes) >= 2, timeout=10_000)
    pids = list(window.controller.recording.lanes)
    assert all(alive(pid) for pid in pids)
    window.panel.stop_button.click()
    qtbot.waitUntil(lambda: not any(alive(pid) for pid in pids), timeout=2_000)
    assert not window.controller.running()
    assert len(window.controller.recording.events) > 0, "what was recorded stays"
    assert "Stopped" in window.status.text()


def test_a_bad_parameter_is_named_and_blocks_run(window):
    assert window.panel.select("process-basics")
    window.panel.params.set_text("CHILD_SLEEP", "abc")
    assert not window.panel.run_button.isEnabled()
    assert "CHILD_SLEEP" in window.panel.params.message.text()
    window.panel.params.set_text("CHILD_SLEEP", "99")
    assert not window.panel.run_button.isEnabled()
    assert "30" in window.panel.params.message.text()
    window.panel.params.set_text("CHILD_SLEEP", "0.1")
    assert window.panel.run_button.isEnabled()


def test_selecting_a_log_row_highlights_timeline_and_code(window, qtbot):
    _start(window, "process-basics", method="fork", CHILD_SLEEP=0.2, PARENT_SLEEP=0.1)
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    rec = window.controller.recording
    row = next(i for i, ev in enumerate(rec.events) if ev[0] == "print" and ev[3] > 0)
    window.log.select_event(row)
    assert window.code.highlighted_line == rec.events[row][3]
    assert "print" in window.code.textCursor().block().text()
    assert window.timeline.cursor_line.isVisible()
    assert window.timeline.cursor_line.value() == pytest.approx((rec.events[row][2] - rec.t0) / 1e9)


def test_code_panel_shows_the_code_that_runs(window, qtbot):
    _start(window, "process-basics", method="fork", CHILD_SLEEP=0.25, PARENT_SLEEP=0.1)
    assert "CHILD_SLEEP = 0.25" in window.code.toPlainText()
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)


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


def test_no_process_is_left_after_closing_mid_run(qtbot):
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    _start(w, "custom-process-class", method="spawn", VALUE=0.5, TICKS=20)
    qtbot.waitUntil(lambda: len(w.controller.recording.lanes) >= 2, timeout=10_000)
    pids = list(w.controller.recording.lanes)
    w.close()
    qtbot.waitUntil(lambda: not any(alive(pid) for pid in pids), timeout=2_000)
    assert os.getpid() not in pids


def test_the_command_line_opens_the_window_with_the_run_started(window, qtbot):
    from control.cli import parse
    from gui.app import start_request

    request = parse(
        [
            "--scenario",
            "zombie",
            "--set",
            "CHILD_SLEEP=0.1",
            "--set",
            "PARENT_BUSY=0.4",
            "--start-method",
            "fork",
            "--time-scale",
            "0.5",
        ]
    )
    start_request(window, request)
    assert window.controller.running()
    assert "PARENT_BUSY = 0.4" in window.code.toPlainText()
    assert window.panel.scale.value() == 0.5
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    lanes = {lane.name: lane for lane in window.controller.recording.lanes.values()}
    child = lanes["Process-1"]
    zombie = [s for s in window.controller.recording.segments(child) if s.state == "zombie"]
    assert len(zombie) == 1
    assert (zombie[0].end - zombie[0].start) / 1e9 == pytest.approx(0.4 * 0.5 - 0.1 * 0.5, abs=0.1)


def test_a_new_run_while_one_runs_ends_the_first(window, qtbot):
    _start(window, "custom-process-class", method="fork", VALUE=0.5, TICKS=20)
    qtbot.waitUntil(lambda: len(window.controller.recording.lanes) >= 2, timeout=10_000)
    first = list(window.controller.recording.lanes)
    _start(window, "process-basics", method="fork", CHILD_SLEEP=0.1, PARENT_SLEEP=0.1)
    qtbot.waitUntil(lambda: not any(alive(pid) for pid in first), timeout=2_000)
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    names = sorted(lane.name for lane in window.controller.recording.lanes.values())
    assert names == ["MainProcess", "Process-1"]


SCRIPT = """
import sys
from multiprocessing import Process
def child():
    print("child here")
if __name__ == "__main__":
    p = Process(target=child)
    p.start()
    p.join()
    sys.exit(3)
"""


def test_open_a_script_runs_it_and_shows_its_exit_code(window, qtbot, tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(SCRIPT)
    window.panel.method.setCurrentText("fork")
    window.open_script(str(path))
    assert "child here" in window.code.toPlainText()
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert window.controller.session.exit_code == 3
    assert "3" in window.status.text()
    assert "[Process-1] child here" in window.console.toPlainText()


def test_a_missing_file_is_said_and_nothing_runs(window, tmp_path):
    window.open_script(str(tmp_path / "nope.py"))
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert "nope.py" in window.banner.label.text()
    assert window.controller.session is None


def test_a_syntax_error_is_shown_on_its_line(window, qtbot, tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("x = 1\ndef f(:\n    pass\n")
    window.open_script(str(path))
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert "2" in window.banner.label.text()
    assert window.code.highlighted_line == 2


def test_an_edited_script_offers_a_rerun(window, qtbot, tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(SCRIPT)
    window.panel.method.setCurrentText("fork")
    window.open_script(str(path))
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    first = window.controller.session
    path.write_text(SCRIPT.replace("child here", "edited child"))
    qtbot.waitUntil(
        lambda: window.banner.isVisible() and window.banner.action.isVisible(), timeout=5_000
    )
    window.banner.action.click()
    assert window.controller.session is not first
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert "[Process-1] edited child" in window.console.toPlainText()


def test_only_python_files_are_taken_from_a_drop():
    from PySide6.QtCore import QUrl

    from gui.script_runs import dropped_script

    urls = [QUrl.fromLocalFile("/tmp/notes.txt"), QUrl.fromLocalFile("/tmp/lesson.py")]
    assert dropped_script(urls) == "/tmp/lesson.py"
    assert dropped_script([QUrl.fromLocalFile("/tmp/a.png")]) is None


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


def _no_process_can_start(monkeypatch) -> None:
    import control.session

    def refuse() -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork at the process limit

    monkeypatch.setattr(control.session, "Standby", refuse)


def test_a_run_that_cannot_start_is_said_and_nothing_breaks(window, monkeypatch):
    _no_process_can_start(monkeypatch)
    _start(window, "several-processes")
    assert not window.controller.running()
    assert window.banner.kind == "error" and window.banner.isVisible()
    text = window.banner.label.text()
    assert "could not start" in text and "Resource temporarily unavailable" in text
    assert window.panel.run_button.isEnabled()


def test_the_command_line_says_a_run_could_not_start(monkeypatch, tmp_path, capsys):
    from control import cli

    _no_process_can_start(monkeypatch)
    out = tmp_path / "never.json"
    assert cli.main(["--scenario", "several-processes", "--export", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "mpscope: error: the run could not start: [Errno 11] Resource temporarily unavailable"
    ]
    assert not out.exists()


FLOOD = """
import multiprocessing as mp
import sys

LINES = int(sys.argv[1])


def chatter(n):
    for i in range(n):
        print("line", i)


if __name__ == "__main__":
    workers = [mp.Process(target=chatter, args=(LINES,)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
"""


def test_a_drain_that_stops_at_its_budget_says_it_is_behind(tmp_path):
    from control.session import RunSpec, Session

    script = tmp_path / "flood.py"
    script.write_text(FLOOD, encoding="utf-8")
    session = Session(RunSpec(str(script), ["100000"], "fork"))
    session.start()
    try:
        _wait_for_frames(session)
        session.drain(max_frames=1)
        assert session.behind
        assert session.wait_finished(60)
        session.drain()
        assert not session.behind
        assert _prints(session.recording) == 200_000
    finally:
        session.stop()
    assert still_alive(run_pids(session.recording)) == set()


def test_behind_a_flood_the_window_drains_back_to_back_and_refreshes_less(window, qtbot, tmp_path):
    from control.session import RunSpec

    script = tmp_path / "flood.py"
    script.write_text(FLOOD, encoding="utf-8")
    controller = window.controller
    drains: list[list[bool]] = []  # per drain: [the session was behind after it, views refreshed]
    controller.updated.connect(lambda: drains and drains[-1].__setitem__(1, True))
    controller.run_script(RunSpec(str(script), ["100000"], "fork"))
    drain = controller.session.drain

    def watched(*args: object, **kwargs: object) -> int:
        # One frame a drain: a drain that takes a frame stops at its bound (behind), however
        # fast this machine drains against its producers at the moment (CI once kept up).
        n = drain(max_frames=1)
        drains.append([controller.session.behind, False])
        return n

    controller.session.drain = watched
    _wait_for_frames(controller.session)  # the window busy elsewhere: frames wait in the pipe
    qtbot.waitUntil(lambda: not controller.running(), timeout=60_000)
    assert _prints(controller.recording) == 200_000
    behind = [refreshed for was_behind, refreshed in drains if was_behind]
    assert len(behind) >= 5, "a 200,000-line flood and a full pipe should put the window behind"
    assert sum(behind) <= len(behind) / 2  # most drains behind it were not followed by a refresh
    assert all(refreshed for was_behind, refreshed in drains if not was_behind)
    assert still_alive(run_pids(controller.recording)) == set()


def _wait_for_frames(session: object, timeout: float = 20.0) -> None:
    """Block (as a busy window would) until the run's frames wait in the channel."""
    deadline = time.monotonic() + timeout
    while not session._reader.poll(0):
        assert time.monotonic() < deadline, "the flood never wrote a frame"
        time.sleep(0.05)
    time.sleep(0.3)  # and more of them pile up behind the first


def _prints(rec: Recording) -> int:
    return sum(1 for i in range(len(rec.events)) if rec.events.kind(i) == "print")


def test_stop_reaches_a_window_behind_a_flood(window, qtbot, tmp_path):
    from PySide6.QtCore import QTimer

    from control.session import RunSpec

    script = tmp_path / "flood.py"
    script.write_text(FLOOD, encoding="utf-8")
    controller = window.controller
    controller.run_script(RunSpec(str(script), ["5000000"], "fork"))  # minutes of printing
    time.sleep(0.3)  # the pipe fills: the window is behind from its first drains
    qtbot.waitUntil(lambda: controller.session.behind, timeout=10_000)
    clicked: list[float] = []
    QTimer.singleShot(
        0, lambda: (clicked.append(time.monotonic()), window.panel.stop_button.click())
    )  # a timer, as a click is an event: it runs only if the event loop runs between drains
    qtbot.waitUntil(lambda: bool(clicked) and not controller.running(), timeout=5_000)
    assert time.monotonic() - clicked[0] < 2.0
    assert still_alive(run_pids(controller.recording)) == set()
    assert "Stopped" in window.status.text()


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
