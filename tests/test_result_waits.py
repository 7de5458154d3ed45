"""Waiting for results is blocked, says on what, follows --time-scale and says when it timed out:
AsyncResult.get/wait, Future.result/exception, concurrent.futures.wait and as_completed."""

from __future__ import annotations

import pytest

from tests.helpers import lanes_by_name, run_pids, run_script, still_alive

SCRIPT = """
import multiprocessing as mp, time
from concurrent.futures import ProcessPoolExecutor, as_completed, wait, FIRST_COMPLETED

def slow(x):
    time.sleep(2)
    return x

if __name__ == "__main__":
    out = []
    with mp.Pool(1) as pool:
        r = pool.apply_async(slow, (1,))
        r.wait(1)
        out.append(r.ready())
        try:
            r.get(timeout=1)
        except mp.TimeoutError:
            out.append("get timed out")
        out.append(r.get())
    with ProcessPoolExecutor(2) as ex:
        fs = [ex.submit(slow, i) for i in (2, 3)]
        done, pending = wait(fs, timeout=1)
        out.append((len(done), len(pending)))
        out.append(fs[0].exception())
        out.append(sorted(f.result() for f in as_completed(fs, timeout=10)))
        done, pending = wait(fs, return_when=FIRST_COMPLETED)
        out.append(len(done))
    print(out)
"""
EXPECTED = "[False, 'get timed out', 1, (0, 2), None, [2, 3], 2]"


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_result_waits_are_blocked_scaled_and_say_their_timeouts(tmp_path, method):
    path = tmp_path / "results.py"
    path.write_text(SCRIPT, encoding="utf-8")
    session = run_script(str(path), method, time_scale=0.1)
    rec = session.recording
    main = lanes_by_name(rec)["MainProcess"]
    assert [m.data["text"] for m in main.markers if m.kind == "print"] == [EXPECTED]
    segs = rec.segments(main)
    waits = [s.info["on"] for s in segs if s.state == "blocked" and s.info.get("on") != "join"]
    for on in (
        "AsyncResult.wait",
        "AsyncResult.get",
        "concurrent.futures.wait",
        "Future.exception",
        "concurrent.futures.as_completed",
    ):
        assert on in waits, (on, waits)
    outcomes = [(s.info["after"], s.info["result"]) for s in segs if "after" in s.info]
    assert ("AsyncResult.wait", "timeout") in outcomes
    assert ("AsyncResult.get", "timeout") in outcomes
    assert ("concurrent.futures.wait", "timeout") in outcomes
    assert ("AsyncResult.get", "ok") in outcomes
    # the timed-out get collected nothing: the pool's job 0 is collected once, by the get that
    # got its result (it was recorded as collected and failed before)
    pool_job = [m.data["ok"] for m in main.markers if m.kind == "collect" and m.data["job"] == 0]
    assert pool_job == [True]
    assert still_alive(run_pids(rec)) == set()
