"""Waits on Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event, Barrier and a Value's lock
are drawn as blocked, saying on what and where; timeouts follow --time-scale; multiprocessing's
own locks (inside a Queue) are not shown as the program's."""

from __future__ import annotations

import textwrap

import pytest

from tests.helpers import lanes_by_name, run_pids, run_source, still_alive

METHODS = ["fork", "spawn", "forkserver"]
HOLD = 0.3  # how long the parent keeps the child waiting

# Each case: the primitive made in the parent, what the child does with it (the wait), what the
# parent does after HOLD to end the wait; and the blocked reason the child's lane must show.
CASES = {
    "lock": ("mp.Lock()", "with P:\n        pass", "P.release()", "P.acquire()", "Lock.acquire"),
    "rlock": ("mp.RLock()", "P.acquire()", "P.release()", "P.acquire()", "RLock.acquire"),
    "semaphore": ("mp.Semaphore(0)", "P.acquire()", "P.release()", "", "Semaphore.acquire"),
    "bounded": (
        "mp.BoundedSemaphore(1)",
        "P.acquire()",
        "P.release()",
        "P.acquire()",
        "BoundedSemaphore.acquire",
    ),
    "event": ("mp.Event()", "P.wait()", "P.set()", "", "Event.wait"),
    "condition": (
        "mp.Condition()",
        "with P:\n        P.wait()",
        "with P:\n        P.notify_all()",
        "",
        "Condition.wait",
    ),
    "wait_for": (
        "mp.Condition()",
        "with P:\n        P.wait_for(lambda: flag.value == 1)",
        "with P:\n        flag.value = 1\n        P.notify_all()",
        "",
        "Condition.wait_for",
    ),
    "barrier": ("mp.Barrier(2)", "P.wait()", "P.wait()", "", "Barrier.wait"),
    "value_lock": (
        "mp.Value('i', 0)",
        "with P.get_lock():\n        pass",
        "P.get_lock().release()",
        "P.get_lock().acquire()",
        "RLock.acquire",
    ),
}

SCRIPT = """
import multiprocessing as mp
import time

def child(P, flag, ready):
    ready.set()
    {wait}
    print("child done")

if __name__ == "__main__":
    P = {make}
    flag = mp.Value("i", 0)
    ready = mp.Event()
    {before}
    c = mp.Process(target=child, args=(P, flag, ready))
    c.start()
    ready.wait()
    time.sleep({hold})
    {end}
    c.join()
    print("parent done")
"""


def _script(case: str) -> str:
    make, wait, end, before, _ = CASES[case]
    indent = "    "
    return textwrap.dedent(SCRIPT).format(
        make=make,
        wait=wait,
        end=end.replace("\n", "\n" + indent),
        before=before or "pass",
        hold=HOLD,
    )


def _blocked(lane, rec, on):
    return [s for s in rec.segments(lane) if s.state == "blocked" and s.info.get("on") == on]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_wait_on_a_primitive_is_blocked_on_it(tmp_path, case, method):
    session = run_source(tmp_path / f"{case}.py", _script(case), method)
    rec = session.recording
    lanes = lanes_by_name(rec)
    on = CASES[case][4]
    waits = _blocked(lanes["Process-1"], rec, on)
    assert len(waits) == 1, [(s.state, s.info) for s in rec.segments(lanes["Process-1"])]
    wait = waits[0]
    assert (wait.end - wait.start) / 1e9 > HOLD * 0.5  # it waited while the parent held it
    assert wait.info["line"] > 0
    prints = [
        m.data["text"] for lane in rec.lanes.values() for m in lane.markers if m.kind == "print"
    ]
    assert sorted(prints) == ["child done", "parent done"]
    assert still_alive(run_pids(rec)) == set()


QUEUE_AND_FREE_LOCK = """
import multiprocessing as mp

def child(q, lock):
    with lock:
        pass
    q.put(lock.acquire(timeout=1))

if __name__ == "__main__":
    q = mp.Queue()
    lock = mp.Lock()
    c = mp.Process(target=child, args=(q, lock))
    c.start()
    print(q.get())
    c.join()
"""


@pytest.mark.parametrize("method", METHODS)
def test_a_free_lock_and_a_queues_own_lock_are_no_waits_of_the_program(tmp_path, method):
    session = run_source(tmp_path / "free.py", QUEUE_AND_FREE_LOCK, method)
    rec = session.recording
    for lane in rec.lanes.values():
        for seg in rec.segments(lane):
            assert seg.state != "blocked" or seg.info.get("on") in ("Queue.get", "join"), seg


TIMEOUTS = """
import multiprocessing as mp
import time

if __name__ == "__main__":
    e, lock, cond, sem = mp.Event(), mp.Lock(), mp.Condition(), mp.Semaphore(0)
    lock.acquire()
    t0 = time.monotonic()
    results = [e.wait(2), lock.acquire(timeout=2), sem.acquire(timeout=2)]
    with cond:
        results.append(cond.wait(2))
        results.append(cond.wait_for(lambda: False, 2))
    barrier = mp.Barrier(2, timeout=2)
    try:
        barrier.wait()
    except Exception as err:
        results.append(type(err).__name__)
    print(results)
    print("took under 8 s:", time.monotonic() - t0 < 8)
"""


def test_timeouts_are_stretched_by_the_time_scale_and_said(tmp_path):
    """Six 2 s timeouts at --time-scale 0.05 take 0.6 s; each wait says it timed out."""
    path = tmp_path / "timeouts.py"
    path.write_text(TIMEOUTS, encoding="utf-8")
    from tests.helpers import run_script

    session = run_script(str(path), "fork", time_scale=0.05)
    rec = session.recording
    main = lanes_by_name(rec)["MainProcess"]
    prints = [m.data["text"] for m in main.markers if m.kind == "print"]
    assert prints == [
        "[False, False, False, False, False, 'BrokenBarrierError']",
        "took under 8 s: True",
    ]
    segs = rec.segments(main)
    waits = [s for s in segs if s.state == "blocked"]
    assert [s.info["on"] for s in waits] == [
        "Event.wait",
        "Lock.acquire",
        "Semaphore.acquire",
        "Condition.wait",
        "Condition.wait_for",
        "Barrier.wait",
    ]
    assert all(s.info["timeout"] == 2.0 for s in waits)
    assert all(0.05 < (s.end - s.start) / 1e9 < 1.0 for s in waits)
    after = [
        s.info.get("result") for s in segs if s.info.get("after") in {w.info["on"] for w in waits}
    ]
    assert after == ["timeout"] * 5 + ["broken"]
