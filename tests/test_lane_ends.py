"""Every lane ends (issue 16): a child the program reaps itself, an exec'd child, an orphan, and
a process Stop killed each end their lane, saying how."""

from __future__ import annotations

import os
import subprocess
import sys

from model.recording import Recording
from tests.helpers import alive, lanes_by_name
from tests.safety_helpers import (
    WAIT_S,
    assert_every_lane_ends,
    printed,
    prints,
    run_to_end,
    stop_how,
)
from workers.events import STOP_KILLED

ENDINGS = """
    import os, signal, sys, time

    def fork(then):
        pid = os.fork()
        if pid == 0:
            then()
        return pid

    if __name__ == "__main__":
        a = fork(lambda: os._exit(3))
        print("a", os.waitstatus_to_exitcode(os.wait()[1]), flush=True)
        b = fork(lambda: os.kill(os.getpid(), signal.SIGKILL))
        print("b", os.waitstatus_to_exitcode(os.waitpid(b, 0)[1]), flush=True)
        c = fork(lambda: os.execv("/bin/sleep", ["sleep", "0.1"]))
        info = os.waitid(os.P_PID, c, os.WEXITED)
        print("c", info.si_status, flush=True)
        d = fork(lambda: os.execv("/bin/sleep", ["sleep", "0.2"]))
        time.sleep(0.5)  # d ends meanwhile, and nobody waits for it: a zombie until we exit
        e = fork(lambda: os.execv("/bin/sleep", ["sleep", "0.4"]))
        print("pids", a, b, c, d, e, flush=True)
        sys.exit(5)  # e outlives the script: an orphan, still a process of the run
"""


def test_every_lane_ends_reaped_execd_or_orphaned(tmp_path):
    session = run_to_end(tmp_path, ENDINGS)
    rec = session.recording
    plain = subprocess.run(
        [sys.executable, str(tmp_path / "script.py")],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    traced_lines = [t for t in prints(rec) if not t.startswith("pids")]
    plain_lines = [t for t in plain.stdout.splitlines() if not t.startswith("pids")]
    assert traced_lines == plain_lines == ["a 3", "b -9", "c 0"]
    assert session.exit_code == plain.returncode == 5
    a, b, c, d, e = (int(p) for p in printed(session, "pids")[0].split()[1:])
    lanes = rec.lanes
    assert (lanes[a].exitcode, lanes[b].exitcode, lanes[c].exitcode) == (3, -9, 0)
    assert all(lanes[p].joined is not None for p in (a, b, c)), "reaped by the program's waits"
    me = os.getpid()
    for pid in (d, e):  # exec'd, never waited for: their ends were seen by the app
        exits = [m for m in lanes[pid].markers if m.kind == "exited"]
        assert [m.data.get("by") for m in exits] == [me], lanes[pid].markers
    assert lanes[d].can_be_zombie, "d ended while its parent lived, unreaped"
    assert lanes[e].end > lanes[session.runner_pid].end, "the run went on while e lived"
    assert rec.end_ts >= lanes[e].end
    assert not alive(e)
    assert_every_lane_ends(rec)
    assert not [lane for lane in lanes.values() if stop_how(rec, lane.pid)]


def test_a_stopped_end_is_a_lifecycle_marker_of_the_model_and_export(tmp_path):
    """The stopped end is a lifecycle marker like the others: the lane ends there with no zombie
    span, it is exported with its how, and a saved recording reopens with it."""
    from model import recording_file
    from model.trace_export import chrome_trace

    rec = Recording()
    rec.add(
        [
            ("started", 10, 100, 0, {"name": "MainProcess"}),
            ("started", 11, 150, 0, {"name": "Process-1"}),
            ("stopped", 11, 400, 0, {"by": 1, "how": STOP_KILLED}),
            ("stopped", 10, 400, 0, {"by": 1, "how": STOP_KILLED}),
            ("exited", 10, 420, 0, {"code": -9, "by": 1, "zombie": False}),
        ]
    )
    rec.finish(500)
    lanes = lanes_by_name(rec)
    child = lanes["Process-1"]
    assert child.end == 400 and child.exitcode is None
    assert [s.state for s in rec.segments(child)] == ["running"]
    assert rec.segments(child)[-1].end == 400
    assert lanes["MainProcess"].end == 420
    stops = [e for e in chrome_trace(rec)["traceEvents"] if e.get("name") == "stopped"]
    assert {(e["pid"], e["cat"], e["args"]["how"]) for e in stops} == {
        (10, "lifecycle", STOP_KILLED),
        (11, "lifecycle", STOP_KILLED),
    }
    recording_file.save(rec, str(tmp_path / "r.mpscope.json"))
    again, _meta = recording_file.load(str(tmp_path / "r.mpscope.json"))
    assert {p: (lane.end, lane.can_be_zombie) for p, lane in again.lanes.items()} == {
        10: (420, False),
        11: (400, False),
    }


def test_a_stopped_end_says_how_in_both_languages(qapp):
    from gui import app_setup, texts

    rec = Recording()
    rec.add([("started", 10, 100, 0, {"name": "Process-1"})])
    rec.add([("stopped", 10, 200, 0, {"by": 1, "how": STOP_KILLED})])
    lane = rec.lanes[10]
    marker = lane.markers[-1]
    try:
        assert texts.marker_text(lane, marker.kind, marker.data, {}).endswith(
            "stopped: ended by Stop"
        )
        assert app_setup.set_language("zh_CN")
        assert texts.marker_text(lane, marker.kind, marker.data, {}).endswith(
            "已停止: 被“停止”结束"
        )
    finally:
        app_setup.set_language("en")


STOPS = """
    import os, signal

    if __name__ == "__main__":
        pid = os.fork()
        if pid == 0:
            os.kill(os.getpid(), signal.SIGSTOP)
            os._exit(0)
        _pid, status = os.waitpid(pid, os.WUNTRACED)
        print("stopped by", os.WSTOPSIG(status), flush=True)
        os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
        print("then", os.waitstatus_to_exitcode(status), flush=True)
        print("pid", pid, flush=True)
"""


def test_a_wait_that_reports_a_stop_reaps_nothing(tmp_path):
    session = run_to_end(tmp_path, STOPS)
    plain = subprocess.run(
        [sys.executable, str(tmp_path / "script.py")], capture_output=True, text=True, timeout=30
    )
    traced = prints(session.recording)
    assert traced[:2] == plain.stdout.splitlines()[:2] == ["stopped by 19", "then -9"]
    child = session.recording.lanes[int(traced[2].split()[1])]
    joins = [m.data["code"] for m in child.markers if m.kind == "joined"]
    assert joins == [-9], "one reaping, with the kill's code; the stop reaped nothing"
    assert session.exit_code == plain.returncode == 0
    assert_every_lane_ends(session.recording)
