"""A ``subprocess`` child is not a multiprocessing process: it gets no nameless lane, and a raw
``os.fork`` child reaped by the program's own wait still ends its lane."""

from __future__ import annotations

import pytest

from tests.helpers import lanes_by_name, run_pids, run_source, still_alive

SCRIPT = """
import os, subprocess, sys, multiprocessing as mp

def child():
    subprocess.run(["true"])
    out = subprocess.run([sys.executable, "-c", "print('hi')"], capture_output=True, text=True)
    print("child heard", out.stdout.strip())

if __name__ == "__main__":
    subprocess.run(["true"])
    pid = os.fork()
    if pid == 0:
        os._exit(7)
    print("raw fork ended with", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    p = mp.Process(target=child)
    p.start()
    p.join()
"""


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_subprocess_children_get_no_lane(tmp_path, method):
    session = run_source(tmp_path / "subp.py", SCRIPT, method)
    rec = session.recording
    lanes = lanes_by_name(rec)
    assert sorted(lanes) == ["MainProcess", "MainProcess (os.fork)", "Process-1"]
    assert lanes["MainProcess (os.fork)"].exitcode == 7
    assert all(lane.end is not None for lane in lanes.values())
    prints = [m.data["text"] for lane in lanes.values() for m in lane.markers if m.kind == "print"]
    assert sorted(prints) == ["child heard hi", "raw fork ended with 7"]
    assert still_alive(run_pids(rec)) == set()
