"""Pool and ProcessPoolExecutor traced on scripts of their own (not the built-in scenarios):
endless iterables, terminated pools, slow reprs, the executor, and results that are instances of
a class of the script. Split from test_pool.py, whose helpers these share.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from itertools import pairwise

import pytest

from control.session import Session
from tests import helpers
from tests.test_pool import CTIME_REPR, EXECUTOR_PREFIX, each_method, key_of, task_events

# ---- imap with an endless iterable ----------------------------------------------------------
ENDLESS = textwrap.dedent(
    """
    import itertools
    from multiprocessing import Pool
    from time import sleep

    pulled = []


    def numbers():
        for n in itertools.count():
            pulled.append(n)
            sleep(0.005)
            yield n


    def square(n):
        sleep(0.01)
        return n * n


    if __name__ == "__main__":
        got = []
        with Pool(2) as pool:
            for x in pool.imap(square, numbers(), CHUNKSIZE):
                got.append(x)
                if len(got) == 5:
                    break
        print("got", got)
        assert got == [0, 1, 4, 9, 16], got
        assert len(pulled) < 10000, len(pulled)
        print("pulled less than 10000")
    """
)


def run_endless(tmp_path, method: str, chunksize: int) -> Session:
    session = helpers.run_source(
        tmp_path / "endless.py", ENDLESS.replace("CHUNKSIZE", str(chunksize)), method, timeout=15
    )
    assert helpers.still_alive(helpers.run_pids(session.recording)) == set()
    return session


@each_method
def test_imap_does_not_exhaust_an_endless_iterable(tmp_path, method):
    session = run_endless(tmp_path, method, 1)
    assert not session.stopped, "the run did not end: the iterable was consumed to the end?"
    rec = session.recording
    assert session.exit_code == 0 and rec.errors == []
    main = helpers.lanes_by_name(rec)["MainProcess"]
    prints = [m.data["text"] for m in main.markers if m.kind == "print"]
    assert prints == ["got [0, 1, 4, 9, 16]", "pulled less than 10000"]
    (job,) = rec.tasks.jobs.values()
    assert job.how == "imap" and job.fn == "square" and job.n == -1  # length unknown
    by_index = {rec.tasks.item_index(t): t for t in rec.tasks.tasks.values()}
    assert len(by_index) == len(rec.tasks.tasks) < 1000
    for i in range(5):  # the calls whose results the script got
        assert by_index[i].call == f"square({i})"
        # (an end may be lost when the pool is terminated: see test_terminate_keeps_task_ends)
        assert by_index[i].end is None or by_index[i].result == repr(i * i)
    assert all(t.ok is not False for t in rec.tasks.tasks.values())


TERMINATED_POOLS = textwrap.dedent(
    """
    import time
    from multiprocessing import Pool


    def until(deadline):
        while time.time() < deadline:
            time.sleep(0.001)
        return 1


    if __name__ == "__main__":
        for _ in range(30):
            with Pool(4) as pool:  # leaving the with block calls terminate()
                pool.map(until, [0.0] * 4, chunksize=1)  # every worker is up
                deadline = time.time() + 0.02
                print(pool.map(until, [deadline] * 4, chunksize=1))
    """
)


def test_terminate_keeps_task_ends(tmp_path):
    session = helpers.run_source(tmp_path / "terminated_pools.py", TERMINATED_POOLS, "fork")
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    assert session.exit_code == 0 and len(rec.tasks.tasks) == 30 * 8
    main = helpers.lanes_by_name(rec)["MainProcess"]
    assert [m.data["text"] for m in main.markers if m.kind == "print"] == ["[1, 1, 1, 1]"] * 30
    # every result the parent got came from a task that ended
    unended = [t.key for t in rec.tasks.tasks.values() if t.end is None]
    assert unended == []


@each_method
def test_imap_with_chunks_on_an_endless_iterable(tmp_path, method):
    session = run_endless(tmp_path, method, 3)
    assert session.exit_code == 0 and not session.stopped
    (job,) = session.recording.tasks.jobs.values()
    assert job.how == "imap" and job.chunksize == 3


@pytest.mark.parametrize("mode", [1, 2], ids=["imap", "imap_unordered"])
def test_imap_with_chunksize_runs(mode):
    session = helpers.run_scenario(
        "pool-map", "fork", POOL_SIZE=2, ITEMS=5, MODE=mode, CHUNKSIZE=2, TASK_SECONDS=0.01
    )
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    assert session.exit_code == 0
    (job,) = rec.tasks.jobs.values()
    assert job.chunksize == 2
    assert sorted(rec.tasks.item_index(t) for t in rec.tasks.tasks.values()) == list(range(5))


# ---- submit before start --------------------------------------------------------------------
SLOW_REPR = textwrap.dedent(
    """
    import multiprocessing
    import time
    from multiprocessing import Pool


    class Slow:
        def __repr__(self):
            if multiprocessing.current_process().name == "MainProcess":
                end = time.perf_counter() + 0.3
                while time.perf_counter() < end:  # a slow repr, only in the parent
                    pass
            return "Slow()"


    def work(x):
        return 1


    if __name__ == "__main__":
        with Pool(1) as pool:
            r = pool.apply_async(work, (Slow(),))
            print(r.get())
    """
)


def test_task_never_starts_before_it_was_submitted(tmp_path):
    session = helpers.run_source(tmp_path / "slow_submit.py", SLOW_REPR, "fork")
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    assert session.exit_code == 0
    (job,) = rec.tasks.jobs.values()
    (task,) = rec.tasks.tasks.values()
    assert job.submitted <= task.start


# ---- ProcessPoolExecutor --------------------------------------------------------------------
EXECUTOR_VALUES = {"POOL_SIZE": 2, "TASKS": 3, "TASK_SECONDS": 0.05}
_executor_runs: dict[str, Session] = {}


def executor_run(method: str) -> Session:
    if method not in _executor_runs:
        _executor_runs[method] = helpers.run_scenario(
            "process-pool-executor", method, **EXECUTOR_VALUES
        )
    return _executor_runs[method]


@each_method
def test_executor_runs_cleanly_without_user_messages(method):
    session = executor_run(method)
    rec = session.recording
    assert session.exit_code == 0 and rec.errors == []
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    assert rec.messages.channels == {} and rec.messages.messages == {}
    lanes = helpers.lanes_by_name(rec)
    workers = {n for n in lanes if n != "MainProcess"}
    assert workers and all(re.fullmatch(rf"{EXECUTOR_PREFIX[method]}-\d+", n) for n in workers)
    assert len(workers) <= EXECUTOR_VALUES["POOL_SIZE"]


@each_method
def test_executor_tasks_are_recorded_as_tasks(method):
    session = executor_run(method)
    rec = session.recording
    lanes = helpers.lanes_by_name(rec)
    n = EXECUTOR_VALUES["TASKS"]
    tasks = list(rec.tasks.tasks.values())
    calls = sorted(t.call for t in tasks)
    expected = sorted(
        [f"worker('hello {i}')" for i in range(n)] + [f"worker('map {i}')" for i in range(n)]
    )
    assert calls == expected
    starts = Counter(key_of(ev[4]) for ev in task_events(rec, "start"))
    assert set(starts.values()) == {1}
    workers = {lane.pid for name, lane in lanes.items() if name != "MainProcess"}
    assert set(rec.tasks.by_worker) <= workers
    for t in tasks:
        assert t.ok is True and re.fullmatch(CTIME_REPR, t.result), t
    for worker_tasks in rec.tasks.by_worker.values():
        ordered = sorted(worker_tasks, key=lambda t: t.start)
        assert all(a.end <= b.start for a, b in pairwise(ordered))
    main = lanes["MainProcess"]
    assert len([m for m in main.markers if m.kind == "submit"]) == 2 * n
    collects = [m for m in main.markers if m.kind == "collect"]
    assert len(collects) == 2 * n and all(m.data["ok"] for m in collects)


# ---- results of a class the script defines ----------------------------------------------------
CLASS_RESULT = textwrap.dedent(
    """
    from multiprocessing import Pool


    class Point:
        def __init__(self, x):
            self.x = x

        def __eq__(self, other):
            return type(other) is Point and other.x == self.x


    def make(x):
        return Point(x)


    if __name__ == "__main__":
        with Pool(2) as pool:
            got = pool.map_async(make, range(3)).get(timeout=2)  # not forever, should it fail
        assert got == [Point(0), Point(1), Point(2)]
        print("ok")
    """
)
MP_MAIN = (
    "workers/runner.py _exec_as_main: sys.modules['__mp_main__'] still aliases the runner's "
    "own __main__, not the script's module, so a result of a class defined in the script, "
    "pickled by a spawn/forkserver worker as __mp_main__.Point, cannot be unpickled by the "
    "parent's result handler (AttributeError; the thread dies and map() never returns)"
)


@pytest.mark.parametrize(
    "method",
    [
        "fork",
        "spawn",
        "forkserver",
    ],
)
def test_task_returns_an_instance_of_a_script_class(tmp_path, method):
    session = helpers.run_source(tmp_path / "class_result.py", CLASS_RESULT, method, timeout=15)
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    main = helpers.lanes_by_name(rec)["MainProcess"]
    assert [m.data["text"] for m in main.markers if m.kind == "print"] == ["ok"]
    assert session.exit_code == 0
    # (not all three: the pool is terminated, see test_terminate_keeps_task_ends)
    results = [t.result for t in rec.tasks.tasks.values() if t.end is not None]
    assert all(re.fullmatch(r"<__(mp_)?main__\.Point object at 0x[0-9a-f]+>", r) for r in results)
