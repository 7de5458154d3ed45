"""Pool tasks, traced for real under fork, spawn and forkserver (issue 3).

Each case is a built-in scenario with a few parameters set; it runs once per start method
(short durations, helpers.run_scenario) and every test below reads that one Recording.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

import pytest

from control.session import Session
from model.recording import Lane, Recording
from model.tasks import Task
from model.trace_export import chrome_trace
from tests import helpers
from workers.events import K_TASK

METHODS = ["fork", "spawn", "forkserver"]
WORKER_PREFIX = {
    "fork": "ForkPoolWorker",
    "spawn": "SpawnPoolWorker",
    "forkserver": "ForkServerPoolWorker",
}
EXECUTOR_PREFIX = {
    "fork": "ForkProcess",
    "spawn": "SpawnProcess",
    "forkserver": "ForkServerProcess",
}
CTIME_REPR = r"'\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}'"

# case name -> (scenario id, parameters); durations not set here are shortened by the helpers
CASES = {
    "apply-async": ("pool-apply-async", {"POOL_SIZE": 3, "TASKS": 7}),
    "apply-sync": ("pool-apply-sync", {"POOL_SIZE": 3, "TASKS": 4, "TASK_SECONDS": 0.05}),
    "map": ("pool-map", {"POOL_SIZE": 3, "ITEMS": 7, "MODE": 0}),
    "map-auto-chunks": (
        "pool-map",
        {"POOL_SIZE": 2, "ITEMS": 30, "MODE": 0, "TASK_SECONDS": 0.01},
    ),
    "map-chunks": ("pool-map", {"POOL_SIZE": 2, "ITEMS": 10, "MODE": 0, "CHUNKSIZE": 3}),
    "imap": ("pool-map", {"POOL_SIZE": 2, "ITEMS": 5, "MODE": 1}),
    "imap-unordered": ("pool-map", {"POOL_SIZE": 2, "ITEMS": 5, "MODE": 2}),
    "starmap-chunks": ("pool-map", {"POOL_SIZE": 2, "ITEMS": 7, "MODE": 3, "CHUNKSIZE": 2}),
    "map-fail": ("pool-map", {"POOL_SIZE": 2, "ITEMS": 4, "MODE": 0, "FAIL_AT": 3}),
    "starmap-fail-in-chunk": (
        "pool-map",
        {"POOL_SIZE": 2, "ITEMS": 7, "MODE": 3, "CHUNKSIZE": 3, "FAIL_AT": 5},
    ),
    "imap-fail": ("pool-map", {"POOL_SIZE": 2, "ITEMS": 4, "MODE": 1, "FAIL_AT": 3}),
    "vs-processes": ("pool-vs-processes", {"TASKS": 6, "POOL_SIZE": 2}),
}
# the call on the line a submit (or collect) marker points to
SUBMIT_CALL = {
    "pool-apply-async": "pool.apply_async(",
    "pool-apply-sync": "pool.apply(",
    "pool-vs-processes": "pool.map(",
}
MODE_CALL = {0: "pool.map(", 1: "pool.imap(", 2: "pool.imap_unordered(", 3: "pool.starmap("}
MODE_HOW = {0: "map", 1: "imap", 2: "imap_unordered", 3: "starmap"}
FAILING = {"map-fail", "starmap-fail-in-chunk", "imap-fail"}
IMAP = {"imap", "imap-unordered", "imap-fail"}
NO_IMAP_COLLECT = (
    "workers/patch_pool.py _traced_next: results taken with IMapIterator.next() (imap, "
    "imap_unordered) emit no 'collect' event, neither for a result nor for the re-raised error"
)


@dataclass
class Run(helpers.RunViews):
    case: str
    method: str
    session: Session
    values: dict
    source: list[str]

    @property
    def sid(self) -> str:
        return CASES[self.case][0]

    def workers(self) -> dict[str, Lane]:
        return {n: lane for n, lane in self.lanes.items() if "PoolWorker-" in n}

    def prints(self, lane: Lane) -> list[str]:
        return [m.data["text"] for m in self.markers(lane, "print")]

    def tasks_of(self, job: tuple[int, int]) -> list[Task]:
        return [t for t in self.rec.tasks.tasks.values() if t.key[:2] == job]


_runs: dict[tuple[str, str], Run] = {}


def get_run(case: str, method: str) -> Run:
    return helpers.cached_run(_runs, Run, CASES, case, method)


def cases(names) -> pytest.MarkDecorator:
    return helpers.case_params(names, METHODS)


each_case = cases(CASES)
each_method = pytest.mark.parametrize("method", METHODS)


def python_chunksize(items: int, workers: int, chosen: int) -> int:
    """The chunksize Pool.map uses: the chosen one, else the one Pool._map_async computes."""
    if chosen > 0:
        return chosen
    size, extra = divmod(items, workers * 4)
    return size + 1 if extra else size


def expected_call(run: Run, index: int, job_call: str) -> tuple[str, str]:
    """(call, result pattern) of the task at ``index`` of its job, from the scenario's function."""
    if run.sid == "pool-vs-processes":
        return f"task({index})", re.escape(repr(index * index))
    if run.sid in ("pool-apply-async", "pool-apply-sync"):
        return job_call, CTIME_REPR
    n = index + 1
    call = f"power({n}, 2)" if run.values["MODE"] == 3 else f"fun({n})"
    if n == run.values["FAIL_AT"]:
        return call, re.escape(f"ValueError: task for item {n} failed")
    return call, re.escape(repr(n * n))


def task_events(rec: Recording, phase: str) -> list[tuple]:
    return [
        ev
        for ev in map(rec.event, range(len(rec.events)))
        if ev[0] == K_TASK and ev[4].get("phase") == phase
    ]


def key_of(data: dict) -> tuple[int, int, int, int]:
    return (data["pool"], data["job"], data["chunk"], data["k"])


def expected_indices(run: Run, n: int, chunksize: int) -> list[int]:
    """The calls Python really makes: all of them, but the rest of a chunk after a failure."""
    fail = run.values.get("FAIL_AT", 0)
    if run.sid != "pool-map" or not fail:
        return list(range(n))
    failed = fail - 1
    chunk_end = (failed // chunksize + 1) * chunksize
    return [i for i in range(n) if not failed < i < chunk_end]


# ---- the run as a whole ------------------------------------------------------------------
@each_case
def test_run_ends_cleanly_and_leaves_no_process(case, method):
    run = get_run(case, method)
    assert run.session.exit_code == 0
    assert run.rec.errors == [] and run.rec.dropped == 0
    assert helpers.still_alive(helpers.run_pids(run.rec)) == set()


@each_case
def test_worker_lanes_have_the_names_python_gives(case, method):
    run = get_run(case, method)
    size = run.values["POOL_SIZE"]
    first = run.values["TASKS"] + 1 if run.sid == "pool-vs-processes" else 1
    prefix = WORKER_PREFIX[method]
    expected = {f"{prefix}-{i}" for i in range(first, first + size)}
    assert set(run.workers()) == expected
    others = set(run.lanes) - expected
    if run.sid == "pool-vs-processes":
        assert others == {"MainProcess"} | {f"Process-{i}" for i in range(1, first)}
    else:
        assert others == {"MainProcess"}
    for lane in run.workers().values():
        assert lane.parent == run.main.pid and lane.daemon is True


@each_case
def test_pool_internals_are_not_user_messages(case, method):
    rec = get_run(case, method).rec
    assert rec.messages.channels == {} and rec.messages.messages == {}


# ---- every task once, on one worker, with the right call and result ------------------------
@each_case
def test_every_task_starts_and_ends_exactly_once_on_one_worker(case, method):
    run = get_run(case, method)
    starts, ends = task_events(run.rec, "start"), task_events(run.rec, "end")
    start_count = Counter(key_of(ev[4]) for ev in starts)
    end_count = Counter(key_of(ev[4]) for ev in ends)
    assert set(start_count.values()) == {1} and set(end_count.values()) == {1}
    assert set(start_count) == set(end_count) == set(run.rec.tasks.tasks)
    start_pid = {key_of(ev[4]): ev[1] for ev in starts}
    end_pid = {key_of(ev[4]): ev[1] for ev in ends}
    assert start_pid == end_pid
    workers = {lane.pid for lane in run.workers().values()}
    on_lanes = [t.key for pid, tasks in run.rec.tasks.by_worker.items() for t in tasks]
    assert sorted(on_lanes) == sorted(run.rec.tasks.tasks)  # each on exactly one lane
    assert set(run.rec.tasks.by_worker) <= workers
    for pid, tasks in run.rec.tasks.by_worker.items():
        assert all(t.worker == pid == start_pid[t.key] for t in tasks)
        assert all(t.key[0] == run.main.pid for t in tasks)  # the pool's owner


@each_case
def test_jobs_cover_their_items_exactly(case, method):
    run = get_run(case, method)
    jobs = run.rec.tasks.jobs
    if run.sid in ("pool-apply-async", "pool-apply-sync"):
        assert len(jobs) == run.values["TASKS"]
    else:
        assert len(jobs) == 1
    for key, job in jobs.items():
        assert job.pool == run.main.pid and job.submitted is not None
        tasks = run.tasks_of(key)
        indices = sorted(run.rec.tasks.item_index(t) for t in tasks)
        assert indices == expected_indices(run, job.n, job.chunksize)
        if not run.values.get("FAIL_AT"):
            assert indices == list(range(job.n))


@each_case
def test_task_calls_and_results_match_the_function(case, method):
    run = get_run(case, method)
    for key, job in run.rec.tasks.jobs.items():
        for task in run.tasks_of(key):
            index = run.rec.tasks.item_index(task)
            call, result = expected_call(run, index, job.call)
            assert task.call == call, task
            assert re.fullmatch(result, task.result), task
            assert task.fn == call.split("(")[0] == job.fn
            assert task.start < task.end


@cases(["apply-async", "apply-sync"])
def test_apply_calls_are_the_submitted_messages_in_order(case, method):
    run = get_run(case, method)
    jobs = sorted(run.rec.tasks.jobs.values(), key=lambda j: j.submitted)
    assert [j.call for j in jobs] == [f"worker('hello {i}')" for i in range(run.values["TASKS"])]
    assert [j.how for j in jobs] == ["apply_async"] * len(jobs)  # apply() is apply_async().get()
    assert all(j.n == 1 and j.chunksize == 1 for j in jobs)
    for job in jobs:  # each task printed its message on the lane of the worker that ran it
        (task,) = run.tasks_of((job.pool, job.job))
        message = task.call[len("worker('") : -len("')")]
        assert message in run.prints(run.rec.lanes[task.worker]), (task, message)


@each_case
def test_no_two_tasks_overlap_on_one_worker(case, method):
    run = get_run(case, method)
    for tasks in run.rec.tasks.by_worker.values():
        ordered = sorted(tasks, key=lambda t: t.start)
        for a, b in pairwise(ordered):
            assert a.end <= b.start, (a, b)


def test_tasks_spread_over_the_workers():
    """With more tasks than workers, each worker is reused for several tasks."""
    for method in METHODS:
        run = get_run("apply-async", method)
        counts = sorted(len(t) for t in run.rec.tasks.by_worker.values())
        assert sum(counts) == 7 and len(counts) >= 2 and counts[-1] >= 2, (method, counts)


@each_method
def test_apply_runs_strictly_one_after_another(method):
    run = get_run("apply-sync", method)
    jobs = sorted(run.rec.tasks.jobs.values(), key=lambda j: j.submitted)
    tasks = [run.tasks_of((j.pool, j.job))[0] for j in jobs]
    for job, task in zip(jobs, tasks, strict=True):
        assert job.submitted < job.collected and task.end <= job.collected
        assert job.ok is True
    for (job_a, a), (job_b, b) in pairwise(zip(jobs, tasks, strict=True)):
        assert a.end <= b.start  # the next task starts only after the previous one ended
        assert job_a.collected <= job_b.submitted  # and is submitted only after its result
    # the parent is blocked in get() for each task in turn
    gets = [s for s in run.rec.segments(run.main) if s.info.get("on") == "AsyncResult.get"]
    assert [s.info["job"] for s in gets] == [j.job for j in jobs]


@each_method
def test_apply_async_tasks_run_side_by_side(method):
    run = get_run("apply-async", method)
    tasks = list(run.rec.tasks.tasks.values())
    overlapping = [
        (a, b) for a in tasks for b in tasks if a.worker != b.worker and a.start < b.start < a.end
    ]
    assert overlapping  # tasks on different workers at the same time
    # but never more at once than the pool has workers
    edges = sorted([(t.start, 1) for t in tasks] + [(t.end, -1) for t in tasks])
    running, most = 0, 0
    for _ts, delta in edges:
        running += delta
        most = max(most, running)
    assert most <= run.values["POOL_SIZE"]


# ---- chunks -------------------------------------------------------------------------------
@cases(["map", "map-auto-chunks", "map-chunks", "starmap-chunks", "imap", "imap-unordered"])
def test_chunks_are_grouped_as_python_does(case, method):
    run = get_run(case, method)
    ((job_key, job),) = run.rec.tasks.jobs.items()
    items, size = run.values["ITEMS"], run.values["POOL_SIZE"]
    chunksize = run.values["CHUNKSIZE"]
    # imap's default chunksize is 1; map's is computed from the pool size
    expected = (chunksize or 1) if case in IMAP else python_chunksize(items, size, chunksize)
    assert job.chunksize == expected and job.n == items
    tasks = run.tasks_of(job_key)
    chunks: dict[int, list[Task]] = {}
    for t in tasks:
        chunks.setdefault(t.key[2], []).append(t)
    assert sorted(chunks) == list(range(math.ceil(items / expected)))
    for c, members in chunks.items():
        members.sort(key=lambda t: t.start)
        if expected == 1 and case in IMAP:
            assert [t.key[3] for t in members] == [-1]  # imap's single calls: not a chunk
        else:
            assert [t.key[3] for t in members] == list(range(len(members)))
        want = min(expected, items - c * expected)
        assert len(members) == want
        assert [run.rec.tasks.item_index(t) for t in members] == list(
            range(c * expected, c * expected + want)
        )
        assert len({t.worker for t in members}) == 1  # one chunk, one worker
        lane_tasks = sorted(run.rec.tasks.by_worker[members[0].worker], key=lambda t: t.start)
        at = lane_tasks.index(members[0])
        assert lane_tasks[at : at + want] == members  # back to back, nothing in between


def test_default_chunksize_is_more_than_one_for_many_items():
    run = get_run("map-auto-chunks", "fork")
    (job,) = run.rec.tasks.jobs.values()
    assert job.chunksize == 4  # divmod(30, 2 * 4) = (3, 6) -> 4


# ---- failures -----------------------------------------------------------------------------
@cases(sorted(FAILING))
def test_failing_task_is_recorded_with_its_traceback(case, method):
    run = get_run(case, method)
    fail = run.values["FAIL_AT"]
    failed = [t for t in run.rec.tasks.tasks.values() if t.ok is False]
    assert len(failed) == 1
    (task,) = failed
    assert run.rec.tasks.item_index(task) == fail - 1
    assert task.result == f"ValueError: task for item {fail} failed"
    assert "ValueError: task for item" in task.traceback
    assert 'raise ValueError("task for item %d failed" % n)' in task.traceback
    assert "pool_map.py" in task.traceback  # the user's own file, where it raised
    assert all(t.ok is True for t in run.rec.tasks.tasks.values() if t is not task)
    main_prints = run.prints(run.main)
    caught = f"the parent caught the task's exception: ValueError: task for item {fail} failed"
    assert main_prints.count(caught) == 1
    # the pool carries on: close() and join() work and every worker exits normally
    assert main_prints[-1] == "pool closed and joined"
    assert {lane.exitcode for lane in run.workers().values()} == {0}


def test_failure_in_a_chunk_skips_the_rest_of_that_chunk_only():
    for method in METHODS:
        run = get_run("starmap-fail-in-chunk", method)
        indices = sorted(run.rec.tasks.item_index(t) for t in run.rec.tasks.tasks.values())
        assert indices == [0, 1, 2, 3, 4, 6], method  # item 6 (index 5) never ran


def _collect_cases():
    params = []
    for c in ("map-fail", "starmap-fail-in-chunk", "imap-fail"):
        for m in METHODS:
            marks = []
            params.append(pytest.param(c, m, marks=marks, id=f"{c}-{m}"))
    return params


@pytest.mark.parametrize(("case", "method"), _collect_cases())
def test_parent_collect_shows_the_reraise(case, method):
    run = get_run(case, method)
    fail = run.values["FAIL_AT"]
    collects = run.markers(run.main, "collect")
    assert [m.data["ok"] for m in collects] == [False]
    assert collects[0].data["result"] == f"ValueError: task for item {fail} failed"
    ((job_key, job),) = run.rec.tasks.jobs.items()
    assert job.ok is False and job.collected == collects[0].ts
    (failed,) = [t for t in run.tasks_of(job_key) if t.ok is False]
    assert failed.end <= job.collected  # re-raised in the parent after the task failed
    assert MODE_CALL[run.values["MODE"]] in run.source[collects[0].line - 1]


# ---- markers and states on the lanes --------------------------------------------------------


def _marker_cases():
    params = []
    for c in CASES:
        for m in METHODS:
            marks = []
            params.append(pytest.param(c, m, marks=marks, id=f"{c}-{m}"))
    return params


@each_case
def test_submit_markers_on_main_process(case, method):
    run = get_run(case, method)
    submits = run.markers(run.main, "submit")
    jobs = run.rec.tasks.jobs
    assert len(submits) == len(jobs)
    assert sorted((m.data["pool"], m.data["job"]) for m in submits) == sorted(jobs)
    call = SUBMIT_CALL.get(run.sid) or MODE_CALL[run.values["MODE"]]
    for m in submits:
        assert m.line > 0 and call in run.source[m.line - 1], (m, run.source[m.line - 1])
        if run.sid == "pool-map":
            assert m.data["how"] == MODE_HOW[run.values["MODE"]]
    for lane in run.workers().values():
        assert run.markers(lane, "submit") == [] and run.markers(lane, "collect") == []


@pytest.mark.parametrize(("case", "method"), _marker_cases())
def test_collect_markers_on_main_process(case, method):
    run = get_run(case, method)
    collects = run.markers(run.main, "collect")
    jobs = run.rec.tasks.jobs
    assert sorted((m.data["pool"], m.data["job"]) for m in collects) == sorted(jobs)
    for key, job in jobs.items():
        assert job.collected is not None
        assert job.ok is (case not in FAILING)
        # a result comes back after its task ended (a failure: as soon as that task failed)
        ended = [t.end for t in run.tasks_of(key) if job.ok or t.ok is False]
        assert ended and max(ended) <= job.collected
    for m in collects:
        assert m.line > 0


@each_case
def test_idle_workers_show_as_blocked_on_pool_idle(case, method):
    run = get_run(case, method)
    for name, lane in run.workers().items():
        segs = run.rec.segments(lane)
        idle = [s for s in segs if s.state == "blocked" and s.info.get("on") == "pool-idle"]
        assert idle, name
        for task in run.rec.tasks.by_worker.get(lane.pid, []):
            for s in idle:  # never idle while running a task
                assert s.end <= task.start or task.end <= s.start, (name, s, task)
        # idle once more at the end, waiting for work that never came, until close()/join()
        ran = [s for s in segs if s.state != "zombie"]
        assert ran[-1].state == "blocked" and ran[-1].info.get("on") == "pool-idle", name


@each_method
def test_busy_worker_is_not_idle(method):
    """Each task's time on its worker is covered by running/sleeping segments only."""
    run = get_run("map-chunks", method)
    for pid, tasks in run.rec.tasks.by_worker.items():
        segs = run.rec.segments(run.rec.lanes[pid])
        for task in tasks:
            inside = [s for s in segs if s.start < task.end and task.start < s.end]
            assert {s.state for s in inside} <= {"running", "sleeping"}, task
            sleeps = [s for s in inside if s.state == "sleeping"]
            assert len(sleeps) == 1 and sleeps[0].info["secs"] == run.values["TASK_SECONDS"]


# ---- the chrome trace -----------------------------------------------------------------------
@each_case
def test_chrome_trace_has_one_task_event_per_task(case, method):
    run = get_run(case, method)
    trace = chrome_trace(run.rec)
    xs = [e for e in trace["traceEvents"] if e["ph"] == "X" and e.get("cat") == "task"]
    assert len(xs) == len(run.rec.tasks.tasks)
    by_id = {(e["pid"], e["args"]["task"]): e for e in xs}
    assert len(by_id) == len(xs)
    for task in run.rec.tasks.tasks.values():
        job = task.key[1]
        e = by_id[(task.worker, f"{job}:{run.rec.tasks.item_index(task)}")]
        assert {"task", "call", "result"} <= set(e["args"])
        assert e["name"] == task.fn and e["tid"] == task.worker
        assert e["args"]["call"] == task.call and e["args"]["result"] == task.result
        assert e["ts"] == pytest.approx((task.start - run.rec.t0) / 1000)
        assert e["dur"] == pytest.approx((task.end - task.start) / 1000)
        assert e["args"].get("failed", False) is (task.ok is False)
    names = {
        e["pid"]: e["args"]["name"]
        for e in trace["traceEvents"]
        if e["ph"] == "M" and e["name"] == "process_name"
    }
    assert {names[e["pid"]] for e in xs} <= set(run.workers())
    marks = [e for e in trace["traceEvents"] if e["ph"] == "i" and e.get("cat") == "task"]
    assert {e["name"] for e in marks} <= {"submit", "collect"}
    assert {e["pid"] for e in marks} == {run.main.pid}


# ---- pool vs processes ----------------------------------------------------------------------
@each_method
def test_processes_run_no_pool_tasks(method):
    run = get_run("vs-processes", method)
    tasks = run.values["TASKS"]
    for i in range(1, tasks + 1):
        lane = run.lanes[f"Process-{i}"]
        assert lane.pid not in run.rec.tasks.by_worker
        assert lane.exitcode == 0
    assert sum(len(t) for t in run.rec.tasks.by_worker.values()) == tasks
