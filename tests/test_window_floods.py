"""The window behind a flood of events: it says it is behind, drains back to back and refreshes
less until it has caught up, and a Stop still reaches it."""

from __future__ import annotations

import time

from control.session import RunSpec, Session
from model.recording import Recording
from tests.helpers import run_pids, still_alive

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


def _flood(tmp_path, lines: int):
    """FLOOD written out, as a run of two processes printing ``lines`` lines each."""
    script = tmp_path / "flood.py"
    script.write_text(FLOOD, encoding="utf-8")
    return RunSpec(str(script), [str(lines)], "fork")


def test_a_drain_that_stops_at_its_budget_says_it_is_behind(tmp_path):
    session = Session(_flood(tmp_path, 100_000))
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
    controller = window.controller
    drains: list[list[bool]] = []  # per drain: [the session was behind after it, views refreshed]
    controller.updated.connect(lambda: drains and drains[-1].__setitem__(1, True))
    controller.run_script(_flood(tmp_path, 100_000))
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

    controller = window.controller
    controller.run_script(_flood(tmp_path, 5_000_000))  # minutes of printing
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
