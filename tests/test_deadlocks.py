"""The deadlocks a student will write show the blocked state, and Stop ends them within 2 s (issue 8).

Each script in tests/scripts/deadlock_*.py runs traced under fork, spawn and forkserver; the test
waits until the recording shows the process stuck (its current segment is 'blocked', on what it
waits for), presses Stop, and checks that every process of the run is gone within 2 s and that the
recording keeps the blocked span. A Pool used after close() does not hang in plain Python: it raises, and
that is what the run must show.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from control.session import RunSpec, Session
from model.recording import Lane, Recording, Segment
from tests import helpers

SCRIPTS = Path(__file__).resolve().parent / "scripts"
METHODS = ["fork", "spawn", "forkserver"]
SHOW_TIMEOUT = 20.0  # a spawn run on a busy 2-core box takes a few seconds to get going
STOP_WITHIN = 2.0

# script -> (the lane that hangs, what it waits on, the MainProcess's own wait or None)
DEADLOCKS = {
    "deadlock_empty_queue": ("Process-1", "Queue.get", "join"),
    "deadlock_full_queue": ("Process-1", "Queue.put", "join"),
    "deadlock_join_forever": ("MainProcess", "join", None),
    "deadlock_pipe_recv": ("Process-1", "Connection.recv", "join"),
}

each_method = pytest.mark.parametrize("method", METHODS)


@pytest.fixture(scope="session")
def qapp():
    """The app's own QApplication (language, fonts), as the window tests make it."""
    from gui.app_setup import ensure_app

    return ensure_app()


def _current(rec: Recording, lane: Lane) -> Segment | None:
    segments = rec.segments(lane)
    return segments[-1] if segments else None


def _blocked_on(rec: Recording, name: str, on: str) -> Lane | None:
    """The lane called ``name`` if its current segment is 'blocked' on ``on``."""
    for lane in rec.lanes.values():
        if lane.name != name:
            continue
        seg = _current(rec, lane)
        if seg is not None and seg.state == "blocked" and seg.info.get("on") == on:
            return lane
    return None


def _wait_until_blocked(session: Session, waits: list[tuple[str, str]]) -> dict[str, Lane]:
    """Drain until every (lane name, on) in ``waits`` shows as the lane's current state.
    The caller stops the session, whatever happens."""
    deadline = time.monotonic() + SHOW_TIMEOUT
    while True:
        session.drain()
        found = {name: _blocked_on(session.recording, name, on) for name, on in waits}
        if all(found.values()):
            return found
        if time.monotonic() >= deadline or not session.running():
            shown = _states(session.recording)
            pytest.fail(f"never showed as blocked: {waits}; the lanes' last states: {shown}")
        time.sleep(0.02)


def _states(rec: Recording) -> dict[str, tuple[str, dict] | None]:
    out: dict[str, tuple[str, dict] | None] = {}
    for lane in rec.lanes.values():
        seg = _current(rec, lane)
        out[lane.name or str(lane.pid)] = (seg.state, seg.info) if seg else None
    return out


def _kept_blocked(rec: Recording, lane: Lane, on: str, seen_at: int) -> bool:
    """After Stop the lane still has a 'blocked' span on ``on`` that lasts past ``seen_at``."""
    return any(
        s.state == "blocked" and s.info.get("on") == on and s.start <= seen_at < s.end
        for s in rec.segments(lane)
    )


@each_method
@pytest.mark.parametrize("script", sorted(DEADLOCKS))
def test_a_deadlock_shows_blocked_and_stop_ends_it(script, method):
    name, on, main_on = DEADLOCKS[script]
    waits = [(name, on)] + ([("MainProcess", main_on)] if main_on else [])
    session = Session(RunSpec(str(SCRIPTS / f"{script}.py"), start_method=method))
    session.start()
    try:
        lanes = _wait_until_blocked(session, waits)
        seen_at = session.recording.last_ts
        pids = helpers.run_pids(session.recording)
        assert pids and all(helpers.alive(p) for p in session.recording.lanes)
        time.sleep(0.2)  # still stuck a moment later: a deadlock, not a slow start
        session.drain()
        assert _blocked_on(session.recording, name, on) is not None
    except BaseException:
        session.stop()
        raise
    t0 = time.monotonic()
    session.stop()
    left = helpers.still_alive(pids, timeout=STOP_WITHIN)
    took = time.monotonic() - t0
    assert left == set(), f"still alive {took:.2f} s after Stop: {sorted(left)}"
    assert took < STOP_WITHIN, took
    assert not session.running() and session.stopped
    rec = session.recording
    assert rec.end_ts is not None
    for lane_name, lane_on in waits:
        assert _kept_blocked(rec, lanes[lane_name], lane_on, seen_at), _states(rec)


@each_method
def test_a_pool_used_after_close_raises_and_the_traceback_is_shown(method):
    session = helpers.run_script(str(SCRIPTS / "deadlock_pool_after_close.py"), method, timeout=30)
    rec = session.recording
    assert not session.stopped, "the run should end by itself (plain Python raises)"
    assert session.exit_code == 1
    main = helpers.lanes_by_name(rec)["MainProcess"]
    assert main.exitcode == 1
    tb = main.traceback or ""
    assert tb.startswith("Traceback (most recent call last):"), tb
    assert 'deadlock_pool_after_close.py", line 14, in <module>' in tb, tb
    assert tb.rstrip().endswith("ValueError: Pool not running"), tb
    out = [m.data["text"] for m in main.markers if m.kind == "print" and m.data["stream"] == 1]
    assert out == ["[0, 1, 4, 9]"]
    err = [m.data["text"] for m in main.markers if m.kind == "print" and m.data["stream"] == 2]
    assert err[0] == "Traceback (most recent call last):" and err[-1] == tb.rstrip().split("\n")[-1]
    workers = [lane for lane in rec.lanes.values() if "PoolWorker" in lane.name]
    assert len(workers) == 2, [lane.name for lane in rec.lanes.values()]
    assert helpers.still_alive(helpers.run_pids(rec) - {1}) == set()


def test_stop_in_the_window_ends_a_deadlock(qtbot):
    """The same through the window's Stop action (RunController), not the Session directly."""
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    try:
        spec = RunSpec(str(SCRIPTS / "deadlock_empty_queue.py"), start_method="spawn")
        window.controller.run_script(spec)

        def shown() -> bool:
            rec = window.controller.recording
            return _blocked_on(rec, "Process-1", "Queue.get") is not None

        qtbot.waitUntil(shown, timeout=int(SHOW_TIMEOUT * 1000))
        pids = helpers.run_pids(window.controller.recording)
        t0 = time.monotonic()
        window.stop_action.trigger()
        assert helpers.still_alive(pids, timeout=STOP_WITHIN) == set()
        assert time.monotonic() - t0 < STOP_WITHIN
        assert not window.controller.running()
        rec = window.controller.recording
        lane = _blocked_on(rec, "Process-1", "Queue.get")
        assert lane is not None, _states(rec)  # the span is kept, closed at the run's end
    finally:
        window.controller.shutdown()


def _frames(tb: str) -> list[str]:
    """The 'File "…", line N, in F' lines of a traceback."""
    return [ln.strip() for ln in tb.splitlines() if ln.strip().startswith('File "')]


@each_method
def test_the_pool_after_close_traceback_is_the_one_plain_python_prints(method):
    """Frame for frame: no runner frame at the top, no tracer wrapper (Pool.map's) inside."""
    script = SCRIPTS / "deadlock_pool_after_close.py"
    plain = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=30, check=False
    )
    assert plain.returncode == 1
    session = helpers.run_script(str(script), method, timeout=30)
    tb = helpers.lanes_by_name(session.recording)["MainProcess"].traceback or ""
    assert _frames(tb) == _frames(plain.stderr)


def test_stopping_a_forkserver_deadlock_leaves_no_temporary_folder(monkeypatch):
    # a short folder: the fork server's socket path must fit AF_UNIX's 108 bytes
    tmp = Path(tempfile.mkdtemp(prefix="mpd-", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(tmp))  # the runner's temporary files go here too
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    try:
        session = Session(
            RunSpec(str(SCRIPTS / "deadlock_empty_queue.py"), start_method="forkserver")
        )
        session.start()
        try:
            _wait_until_blocked(session, [("Process-1", "Queue.get"), ("MainProcess", "join")])
        finally:
            session.stop()
        assert helpers.still_alive(helpers.run_pids(session.recording) - {1}) == set()
        left = {p.name: sorted(c.name for c in p.iterdir()) for p in tmp.iterdir()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert left == {}
