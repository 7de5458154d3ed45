"""Any user script under the tracer (issue 5): the scripts in tests/scripts/, run for real.

The lesson's examples run as written (module-level code, Queue and Pipe objects: fork only, as in
plain Python); real-world scripts run under fork, spawn and forkserver. The script's own problems
and its output compared with plain Python: test_script_problems.py, which shares the helpers
and the run cache here.

Each (script, arguments, start method) runs once (``traced``); the tests read that Recording.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from control.session import RunSpec, Session
from model.recording import Recording
from model.trace_export import chrome_trace
from tests import helpers

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "scripts"
METHODS = ["fork", "spawn", "forkserver"]
POOL_WORKER = {
    "fork": "ForkPoolWorker",
    "spawn": "SpawnPoolWorker",
    "forkserver": "ForkServerPoolWorker",
}
EXECUTOR_WORKER = {
    "fork": "ForkProcess",
    "spawn": "SpawnProcess",
    "forkserver": "ForkServerProcess",
}
CTIME = r"\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}"
RUN_TIMEOUT = 30.0

each_method = pytest.mark.parametrize("method", METHODS)


# ---- running scripts -------------------------------------------------------------------------
@dataclass
class Run(helpers.RunViews):
    session: Session

    def prints(self, name: str) -> list[str]:
        return [m.data["text"] for m in self.lanes[name].markers if m.kind == "print"]

    def codes(self) -> dict[str, int | None]:
        return {name: lane.exitcode for name, lane in self.lanes.items()}


_runs: dict[tuple, Run] = {}


def leftovers(rec: Recording) -> set[int]:
    """Processes of the run still alive. Pid 1 is dropped: an orphan whose parent died before it
    reported its ppid (spawn is slow to start) was adopted by init, and records ppid 1."""
    return helpers.still_alive(helpers.run_pids(rec) - {1})


def traced(script: str | Path, method: str, *args: str) -> Run:
    """Run a script of tests/scripts (or any path) traced, to its end, once per arguments."""
    path = Path(script) if os.path.isabs(script) else SCRIPTS / f"{script}.py"
    key = (str(path), method, args)
    if key not in _runs:
        session = Session(RunSpec(str(path), list(args), method, 1.0))
        session.start()
        finished = session.wait_finished(RUN_TIMEOUT)
        if not finished:
            session.stop()
        assert finished, f"{path.name} under {method} did not end by itself"
        assert leftovers(session.recording) == set()
        _runs[key] = Run(session)
    return _runs[key]


cli = helpers.cli


def plain_python(script: str, method: str, *args: str) -> subprocess.CompletedProcess:
    """The script run by itself, without mpscope."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", MPSCOPE_TEST_START_METHOD=method)
    return subprocess.run(
        [sys.executable, str(SCRIPTS / f"{script}.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
    )


def mpscope_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("mpscope:")]


def trace_pids(trace: dict) -> set[int]:
    meta = [e for e in trace["traceEvents"] if e["ph"] == "M" and e["name"] == "process_name"]
    pids = {e["pid"] for e in meta} | {e["args"]["ppid"] for e in meta}
    return {p for p in pids if isinstance(p, int)} - {os.getpid(), 1}


def assert_clean_end(run: Run, code: int = 0) -> None:
    assert run.session.exit_code == code and run.main.exitcode == code
    assert not run.session.stopped and run.rec.end_ts is not None
    assert run.rec.dropped == 0


# ---- the lesson's examples, as written (fork: module-level code) ------------------------------
def test_lesson_process1_memory_is_not_shared():
    run = traced("lesson_process1", "fork")
    assert_clean_end(run)
    assert set(run.lanes) == {"MainProcess", "Process-1"}
    assert run.prints("MainProcess") == ["父进程事件", "parent a= 1"]
    assert run.prints("Process-1") == ["a= 1", "子进程事件"]
    assert run.lanes["Process-1"].parent == run.main.pid
    assert run.codes() == {"MainProcess": 0, "Process-1": 0}


def test_lesson_process2_three_children_print_their_pids():
    run = traced("lesson_process2", "fork")
    assert_clean_end(run)
    assert run.prints("MainProcess") == []
    for name, word in [("Process-1", "吃饭"), ("Process-2", "睡觉"), ("Process-3", "打豆豆")]:
        lane = run.lanes[name]
        assert run.prints(name) == [word, f"{run.main.pid} -- {lane.pid}"]
        assert lane.ppid == lane.parent == run.main.pid and lane.exitcode == 0


def test_lesson_process3_join_timeout_gives_up_while_the_child_works():
    run = traced("lesson_process3", "fork")
    assert_clean_end(run)
    assert run.prints("MainProcess") == ["==================="]
    assert run.prints("Process-1") == ["I am Levis", "I am workong..."] * 3
    child_prints = [m.ts for m in run.lanes["Process-1"].markers if m.kind == "print"]
    main_print = next(m.ts for m in run.main.markers if m.kind == "print")
    assert child_prints[0] < main_print < child_prints[-1]  # join(0.2) returned before the end


def test_lesson_process_attributes_daemon_ends_with_the_parent():
    run = traced("lesson_process_attributes", "fork")
    assert_clean_end(run)
    tarena = run.lanes["Tarena"]
    (line,) = run.prints("MainProcess")
    assert line == f"Pcocess name:Tarena/Process PID:{tarena.pid}/Process statusTrue"
    assert tarena.daemon and tarena.exitcode == -15 and tarena.terminated_sig == 15
    assert all(re.fullmatch(CTIME, text) for text in run.prints("Tarena"))  # end='\r' lines


def test_lesson_custom_process_class():
    run = traced("lesson_clock_process", "fork")
    assert_clean_end(run)
    assert set(run.lanes) == {"MainProcess", "ClockProcess-1"}
    prints = run.prints("ClockProcess-1")
    assert len(prints) == 5 and all(re.fullmatch(f"The time is{CTIME}", p) for p in prints)
    assert run.lanes["ClockProcess-1"].exitcode == 0


def test_lesson_pool_apply_async_one_task_per_call():
    run = traced("lesson_pool_apply_async", "fork")
    assert_clean_end(run)
    workers = {f"ForkPoolWorker-{n}" for n in range(1, 11)}
    assert set(run.lanes) == {"MainProcess"} | workers
    tasks = list(run.rec.tasks.tasks.values())
    assert sorted(t.call for t in tasks) == sorted(f"worker('hello {i}')" for i in range(10))
    for task in tasks:  # each worker printed its message on its own lane
        worker = run.rec.lane_name(task.worker)
        assert task.call[len("worker('") : -2] in run.prints(worker)
        assert task.ok and re.fullmatch(f"'{CTIME}'", task.result)
    main = run.prints("MainProcess")
    assert len(main) == 10 and all(re.fullmatch(CTIME, text) for text in main)
    assert all(run.lanes[w].exitcode == 0 for w in workers)  # close() and join(): clean ends


def test_lesson_pool_map_results_in_order():
    run = traced("lesson_pool_map", "fork")
    assert_clean_end(run)
    size = os.cpu_count()
    assert set(run.lanes) == {"MainProcess"} | {f"ForkPoolWorker-{n}" for n in range(1, size + 1)}
    tasks = sorted(run.rec.tasks.tasks.values(), key=run.rec.tasks.item_index)
    assert [(t.call, t.result, t.ok) for t in tasks] == [
        (f"fun({n})", str(n * n), True) for n in range(1, 6)
    ]
    assert run.prints("MainProcess") == ["[1, 4, 9, 16, 25]"]


def test_lesson_pipe_children_send_the_parent_receives():
    run = traced("lesson_pipe", "fork")
    assert_clean_end(run)
    children = {f"Process-{n}": n - 1 for n in range(1, 6)}
    assert set(run.lanes) == {"MainProcess"} | set(children)
    messages = sorted(run.rec.messages.complete(), key=lambda m: m.received)
    assert run.rec.messages.unreceived() == [] and run.rec.messages.failures == []
    assert len(messages) == 5 and len({m.ch for m in messages}) == 1
    for m in messages:
        sender = run.rec.lane_name(m.sender)
        assert m.payload == str(children[sender])  # fun(i) sends i
        assert m.receiver == run.main.pid and m.sender_end == "fd1" and m.receiver_end == "fd2"
    # the parent prints what it received, in the order it received it
    assert run.prints("MainProcess") == [m.payload for m in messages]


def test_lesson_queue_fun1_puts_fun2_gets():
    run = traced("lesson_queue", "fork")
    assert_clean_end(run)
    assert set(run.lanes) == {"MainProcess", "Process-1", "Process-2"}
    messages = run.rec.messages.complete()
    assert len(messages) == 10 and run.rec.messages.unreceived() == []
    p1, p2 = run.lanes["Process-1"].pid, run.lanes["Process-2"].pid
    assert {(m.sender, m.receiver, m.payload) for m in messages} == {(p1, p2, "(1, 2)")}
    (queue,) = run.rec.messages.queues()
    assert queue.owner == run.main.pid  # made at module level, by the main process
    assert run.prints("Process-2") == ["sum= 3"] * 10 and run.prints("MainProcess") == []


def test_lesson_queue_methods_as_written_fails_as_in_plain_python():
    run = traced("lesson_queue_methods", "fork")
    assert_clean_end(run, code=1)
    assert set(run.lanes) == {"MainProcess"}
    assert "NameError: name 'queue' is not defined" in run.main.traceback
    assert 'lesson_queue_methods.py", line 7' in run.main.traceback


# ---- real-world scripts, under every start method --------------------------------------------
@each_method
def test_process_subclass(method):
    run = traced("process_subclass", method)
    assert_clean_end(run)
    assert set(run.lanes) == {"MainProcess", "Greeter-1", "Greeter-2"}
    assert run.prints("Greeter-1") == ["hello ann from Greeter-1"]
    assert run.prints("Greeter-2") == ["hello bob from Greeter-2"]
    assert run.prints("MainProcess") == ["exit codes [0, 0]"]
    assert all(run.lanes[g].parent == run.main.pid for g in ("Greeter-1", "Greeter-2"))


@each_method
def test_pool_as_context_manager_terminates_its_workers(method):
    run = traced("pool_context_manager", method)
    assert_clean_end(run)
    workers = [f"{POOL_WORKER[method]}-1", f"{POOL_WORKER[method]}-2"]
    assert set(run.lanes) == {"MainProcess", *workers}
    assert run.prints("MainProcess") == ["[1, 4, 9, 16]", "pool done"]
    tasks = run.rec.tasks.tasks.values()
    assert sorted(t.call for t in tasks) == [f"square({n})" for n in range(1, 5)]
    assert {run.rec.lane_name(t.worker) for t in tasks} <= set(workers)
    for task in tasks:  # every one ended before the workers were terminated
        n = int(task.call[len("square(") : -1])
        assert task.end is not None and task.ok and task.result == str(n * n)
    for name in workers:  # as in plain Python: terminate() kills an idle worker (-15), unless
        lane = run.lanes[name]  # it already left on the pool's end-of-work sentinel (0)
        assert lane.parent == run.main.pid and lane.exitcode in (0, -15)
        if lane.exitcode == -15:
            assert lane.terminated_sig == 15


def test_pool_terminate_keeps_the_ends_of_finished_tasks():
    # A task's end event must leave the worker before its result does: Pool.__exit__ kills the
    # workers right after map() returns (an unflushed end was lost in ~30 % of rounds).
    rounds = 24
    run = traced("pool_rounds", "fork", str(rounds))
    assert_clean_end(run)
    assert run.prints("MainProcess") == ["[1, 4, 9, 16]"] * rounds
    tasks = list(run.rec.tasks.tasks.values())
    assert len(tasks) == 4 * rounds
    open_tasks = [(run.rec.lane_name(t.worker), t.call) for t in tasks if t.end is None]
    assert open_tasks == []  # map() returned every result: every task had ended


def test_pipe_arrows_never_point_back_in_time():
    backwards = []
    # A send is stamped before the message leaves: stamped after send() returned, a preempted
    # sender came out later than the receiver's recv in most runs of this script.
    for method in METHODS:
        run = traced("pipe_many_senders", method, "8", "25")
        assert_clean_end(run)
        assert run.prints("MainProcess") == ["received 200 in order per child: True"]
        messages = run.rec.messages.complete()
        assert len(messages) == 200 and run.rec.messages.unreceived() == []
        backwards += [(method, m.mid) for m in messages if m.sent > m.received]
    assert backwards == []


@each_method
def test_process_pool_executor_tasks(method):
    run = traced("process_pool_executor", method)
    assert_clean_end(run)
    workers = {f"{EXECUTOR_WORKER[method]}-1", f"{EXECUTOR_WORKER[method]}-2"}
    assert set(run.lanes) == {"MainProcess"} | workers
    tasks = run.rec.tasks.tasks.values()
    done = sorted((t.call, t.result, t.ok) for t in tasks)
    assert done == [(f"cube({n})", str(n**3), True) for n in range(2, 6)]
    assert {run.rec.lane_name(t.worker) for t in tasks} <= workers
    assert all(t.start < t.end for t in tasks)
    assert run.prints("MainProcess") == ["results 8 [27, 64, 125]"]
    assert all(run.lanes[w].exitcode == 0 for w in workers)


@each_method
def test_nested_processes_have_their_parents(method):
    run = traced("nested_processes", method)
    assert_clean_end(run)
    lanes = run.lanes
    grandchildren = [f"Process-{c}:{g}" for c in (1, 2) for g in (1, 2)]
    assert set(lanes) == {"MainProcess", "Process-1", "Process-2", *grandchildren}
    for child in ("Process-1", "Process-2"):
        assert lanes[child].parent == run.main.pid
        assert run.prints(child) == [f"child {child} joined ['{child}:1', '{child}:2']"]
    for name in grandchildren:
        lane, parent = lanes[name], lanes[name.split(":")[0]]
        assert lane.parent == parent.pid and lane.exitcode == 0
        n = int(name[-1]) - 1
        (text,) = run.prints(name)
        assert text == f"grandchild {n} is {name} pid {lane.pid} ppid {lane.ppid}"
        assert lane.joined is not None  # reaped by its parent's join()
        assert parent.end is not None and lane.end <= parent.end


def test_every_grandchild_has_an_exited_marker():
    missing = []
    for method, children in (("fork", "8"), ("forkserver", "4")):  # today: ~95 %, all runs
        run = traced("nested_fan_out", method, children, "3")
        assert_clean_end(run)
        assert len(run.lanes) == 1 + int(children) * 4
        missing += [name for name, lane in run.lanes.items() if lane.exited is None]
    assert missing == []


@each_method
def test_parent_that_exits_before_its_child(method):
    run = traced("parent_exits_first", method)  # it ended by itself, nothing left alive
    assert_clean_end(run)
    orphan = run.lanes["Process-1"]
    assert run.prints("MainProcess") == ["main leaves"]
    (text,) = run.prints("Process-1")
    assert text.startswith("orphan done, parent was ")
    assert orphan.parent == run.main.pid and orphan.exitcode == 0  # its own last word
    assert orphan.end is not None and orphan.end > run.main.exit_status_ts + 200_000_000


@pytest.mark.parametrize(
    "method",
    [
        "fork",
        "spawn",
        "forkserver",
    ],
)
def test_main_process_ends_when_it_exits_not_when_its_orphan_does(method):
    run = traced("parent_exits_first", method)
    orphan = run.lanes["Process-1"]
    assert run.main.exited is not None
    assert run.main.exited - run.main.exit_status_ts < 100_000_000  # os._exit(0) at once
    assert run.main.end < orphan.end  # the orphan sleeps 0.3 s after its parent has gone


def test_orphan_exit_code_is_in_the_trace():
    run = traced("parent_exits_first", "fork")
    orphan = run.lanes["Process-1"]
    exited = [
        e["args"]["exitcode"]
        for e in chrome_trace(run.rec)["traceEvents"]
        if e.get("cat") == "lifecycle" and e["name"] == "exited" and e["pid"] == orphan.pid
    ]
    assert exited == [0]


@each_method
def test_raw_os_fork_and_waitpid(method):
    run = traced("raw_os_fork", method)
    assert_clean_end(run)
    assert set(run.lanes) == {"MainProcess", "MainProcess (os.fork)"}
    forked = run.lanes["MainProcess (os.fork)"]
    assert forked.parent == forked.ppid == run.main.pid
    assert run.prints("MainProcess (os.fork)") == [f"forked child {forked.pid}"]
    assert run.prints("MainProcess") == [f"parent reaped {forked.pid} with exit code 3"]
    assert forked.exitcode == 3 and forked.joined is not None  # reaped by os.waitpid


@each_method
def test_script_imports_its_own_helper_module(method):
    run = traced("uses_helper_module", method)
    assert_clean_end(run)
    child = run.lanes["Process-1"]
    assert run.prints("Process-1") == [f"helper 7 in {child.pid}"]
    assert run.prints("MainProcess") == ["main used helper_mod exit 0"]
    assert child.exitcode == 0


ARGS = ("one", "two words", "--flag", "中文")


@each_method
def test_script_arguments_reach_sys_argv(method):
    run = traced("takes_arguments", method, *ARGS)
    assert_clean_end(run)
    assert run.prints("MainProcess") == [f"main got {list(ARGS)}"]
    assert run.prints("Process-1") == [f"child got {list(ARGS)} and sees {list(ARGS)}"]
