"""--time-scale: every sleep and every timeout of the watched program, shortened for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests import helpers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
METHODS = ["fork", "spawn", "forkserver"]
SCALE = 0.2
TIMEOUT = 1.0  # every timeout the script gives
CHILD_SLEEP = 2.0
SCRIPT = textwrap.dedent(
    f"""
    import queue
    from multiprocessing import Pipe, Process, Queue
    from time import sleep


    def child():
        sleep({CHILD_SLEEP})


    if __name__ == "__main__":
        q = Queue()
        try:
            q.get(timeout={TIMEOUT})
        except queue.Empty:
            print("get timed out")
        full = Queue(1)
        full.put(0)
        try:
            full.put(1, timeout={TIMEOUT})
        except queue.Full:
            print("put timed out")
        fd1, fd2 = Pipe()
        print("poll:", fd1.poll({TIMEOUT}))
        p = Process(target=child)
        p.start()
        p.join(timeout={TIMEOUT})
        print("alive after join(timeout):", p.is_alive())
        p.join()
    """
)
PRINTS = ["get timed out", "put timed out", "poll: False", "alive after join(timeout): True"]
WAITS = ["Queue.get", "Queue.put", "Connection.poll", "join"]


def write_script(tmp_path) -> str:
    script = tmp_path / "timeouts.py"
    script.write_text(SCRIPT, encoding="utf-8")
    return str(script)


def assert_scaled(waits: dict[str, list[float]], child_sleep: float) -> None:
    """Each wait and the child's sleep took SCALE of what the script asked, not all of it."""
    for on in WAITS:
        (secs,) = waits[on][:1] if on == "join" else waits[on]
        assert SCALE * TIMEOUT * 0.95 <= secs < SCALE * TIMEOUT + 0.25, (on, secs)
    assert SCALE * CHILD_SLEEP * 0.95 <= child_sleep < SCALE * CHILD_SLEEP + 0.3


@pytest.mark.parametrize("method", METHODS)
def test_time_scale_shortens_timeouts_and_sleeps(tmp_path, method):
    session = helpers.run_script(write_script(tmp_path), method, time_scale=SCALE, timeout=15)
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    assert session.exit_code == 0 and not session.stopped
    lanes = helpers.lanes_by_name(rec)
    main, child = lanes["MainProcess"], lanes["Process-1"]
    assert [m.data["text"] for m in main.markers if m.kind == "print"] == PRINTS
    waits: dict[str, list[float]] = {}
    for seg in rec.segments(main):
        if seg.state == "blocked":
            waits.setdefault(seg.info["on"], []).append((seg.end - seg.start) / 1e9)
            if seg.info["on"] != "Connection.poll" and len(waits[seg.info["on"]]) == 1:
                # the timeout the script gave, not the real one
                assert seg.info["timeout"] == TIMEOUT, seg
    assert sorted(waits) == sorted(WAITS)
    assert len(waits["join"]) == 2  # join(timeout) gave up; the plain join() waited to the end
    (sleep,) = [s for s in rec.segments(child) if s.state == "sleeping"]
    assert sleep.info["secs"] == CHILD_SLEEP  # what the script asked
    assert_scaled(waits, (sleep.end - sleep.start) / 1e9)


def test_time_scale_option_of_the_command_line(tmp_path):
    out = tmp_path / "trace.json"
    args = ["--trace", write_script(tmp_path), "--time-scale", str(SCALE)]
    args += ["--start-method", "fork", "--export", str(out)]
    result = subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with open(out, encoding="utf-8") as f:
        events = json.load(f)["traceEvents"]
    names = {
        e["pid"]: e["args"]["name"]
        for e in events
        if e["ph"] == "M" and e["name"] == "process_name"
    }
    main = next(pid for pid, name in names.items() if name == "MainProcess")
    child = next(pid for pid, name in names.items() if name == "Process-1")
    states = [e for e in events if e["ph"] == "X" and e["cat"] == "state"]
    waits: dict[str, list[float]] = {}
    for e in states:
        if e["pid"] == main and e["name"] == "blocked":
            waits.setdefault(e["args"]["on"], []).append(e["dur"] / 1e6)
    sleeps = [e for e in states if e["pid"] == child and e["name"] == "sleeping"]
    assert len(sleeps) == 1 and sleeps[0]["args"]["secs"] == CHILD_SLEEP
    assert_scaled(waits, sleeps[0]["dur"] / 1e6)
