"""Every scenario, traced for real under fork, spawn and forkserver: the events it produces.

Each (scenario, start method) runs once, with short durations (helpers.run_scenario), and the
tests below read its Recording.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from itertools import pairwise

import pytest

from control.session import Session
from model import catalog
from model.recording import Lane
from tests import helpers
from tests.helpers import helper_lanes as helpers_of

METHODS = ["fork", "spawn", "forkserver"]
SIDS = list(
    helpers.SCENARIO_LANES
)  # the Process lessons; Pool, Pipe and Queue have their own tests
CASES = [(sid, method) for sid in SIDS for method in METHODS]
STATES = {"running", "sleeping", "blocked", "zombie"}
CTIME = r"\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}"

LANES = helpers.SCENARIO_LANES


def lines(*texts: str) -> str:
    """A pattern for exactly these printed lines, in this order."""
    return "\n".join(map(re.escape, texts))


def expected_prints(sid: str, v: dict) -> dict[str, str]:
    """For each lane, a pattern the lane's printed lines (joined by newlines) must match fully."""
    if sid == "args-and-kwargs":
        return {
            "MainProcess": lines(
                "===================",
                "p2 still alive after join(timeout): True",
                "both joined, exit codes: 0 0",
            ),
            "Process-1": lines(*["I am Levis", "I am working..."] * v["LOOPS"]),
            "Process-2": lines(*["I am Tom", "I am working..."] * v["LOOPS"]),
        }
    if sid == "custom-process-class":
        return {
            "MainProcess": "",
            "ClockProcess-1": "\n".join([f"The time is {CTIME}"] * v["TICKS"]),
        }
    if sid == "process-attributes":
        return {
            "MainProcess": r"Process name:Tarena/Process PID:(\d+)/Process status:True\n"
            + lines(
                "AssertionError: process has already started",
                "p2 exitcode: 0 /p2 daemon: False",
                "parent ends, daemon child alive: True",
            ),
            # killed while it ticks: some of its TICKS lines, never all of them
            "Tarena": f"({CTIME}(\n{CTIME}){{0,{v['TICKS'] - 2}}})?",
            "Process-2": lines("p2 finished"),
        }
    if sid == "process-basics":
        return {
            "MainProcess": lines("父进程事件", "parent a= 1"),
            "Process-1": lines("a= 1", "子进程事件"),
        }
    if sid == "several-processes":
        return {
            "MainProcess": "",
            "Process-1": "吃饭\n" + r"\d+ -- \d+",
            "Process-2": "睡觉\n" + r"\d+ -- \d+",
            "Process-3": "打豆豆\n" + r"\d+ -- \d+",
        }
    if sid == "zombie":
        code = v["EXIT_CODE"]
        return {
            "MainProcess": lines(
                "父进程忙...",
                f"before join: is_alive() = False /exitcode = {code}",
                f"after join: exitcode = {code}",
            ),
            "Process-1": lines("子进程结束"),
        }
    raise AssertionError(f"no expectations for scenario {sid!r}: add them here")


@dataclass
class Run(helpers.RunViews):
    sid: str
    method: str
    session: Session
    values: dict  # every parameter of the run, short durations included
    source: list[str]  # the code that ran, line by line

    def prints(self, lane: Lane) -> list[str]:
        return [m.data["text"] for m in lane.markers if m.kind == "print"]


_runs: dict[tuple[str, str], Run] = {}


def get_run(sid: str, method: str) -> Run:
    """Each scenario runs once per start method; every test below reads that one run."""
    key = (sid, method)
    if key not in _runs:
        scenario = helpers.scenario_by_id(sid)
        values = {p.name: p.value for p in scenario.params} | helpers.run_values(sid)
        session = helpers.run_scenario(sid, method)
        source = catalog.substitute(scenario, values).splitlines()
        _runs[key] = Run(sid, method, session, values, source)
    return _runs[key]


case = pytest.mark.parametrize(("sid", "method"), CASES, ids=[f"{s}-{m}" for s, m in CASES])
each_method = pytest.mark.parametrize("method", METHODS)


@case
def test_run_ends_cleanly_and_leaves_no_process(sid, method):
    run = get_run(sid, method)
    assert run.session.exit_code == 0
    assert run.rec.errors == [] and run.rec.dropped == 0
    assert run.rec.end_ts is not None
    pids = helpers.run_pids(run.rec)
    assert len(pids) >= len(LANES[sid])
    assert helpers.still_alive(pids) == set()


@case
def test_lanes_are_the_processes_the_script_made(sid, method):
    run = get_run(sid, method)
    ordered = run.rec.ordered_lanes()
    assert [lane.name for lane in ordered][0] == "MainProcess"
    assert sorted(run.lanes) == sorted(LANES[sid])
    main = run.lanes["MainProcess"]
    assert main.pid == run.session.runner_pid
    assert main.ppid == os.getpid() and main.parent is None
    helpers = helpers_of(run.rec)
    for name in LANES[sid][1:]:
        child = run.lanes[name]
        assert child.parent == main.pid
        if method == "forkserver":  # the fork server forks it: a helper lane of the run
            assert [(h.name, h.pid, h.ppid) for h in helpers] == [
                ("fork server", child.ppid, main.pid)
            ]
        else:
            assert child.ppid == main.pid and helpers == []
    assert len({run.lanes[name].ppid for name in LANES[sid][1:]}) == 1
    assert len(set(run.rec.lanes)) == len(LANES[sid]) + len(helpers)
    assert all(pid > 1 and pid != os.getpid() for pid in run.rec.lanes)


@case
def test_every_lane_has_its_lifecycle_markers(sid, method):
    run = get_run(sid, method)
    for name, lane in run.lanes.items():
        created, started, exited = (run.markers(lane, k) for k in ("created", "started", "exited"))
        assert len(started) == 1, (name, [m.kind for m in lane.markers])
        assert started[0].data["name"] == name
        assert len(exited) == 1, name
        assert all(started[0].ts < m.ts for m in exited), name
        if name == "MainProcess":
            assert created == []
            continue
        assert len(created) == 1, name
        assert created[0].ts < started[0].ts
        assert created[0].data["parent"] == run.lanes["MainProcess"].pid
        assert ".start()" in run.source[created[0].line - 1], (name, created[0].line)
        assert len(run.markers(lane, "joined")) == 1, name  # every child is reaped in the end


def missing_exits(run: Run) -> list[str]:
    return [
        f"{run.sid}/{run.method}/{name}"
        for name, lane in run.lanes.items()
        if len(run.markers(lane, "exited")) != 1
    ]


def test_every_child_has_an_exited_marker():
    missing = [m for sid, method in CASES for m in missing_exits(get_run(sid, method))]
    for _ in range(8):  # the race is likeliest here: a join() that reaps as the child ends
        if missing:
            break
        session = helpers.run_scenario("process-basics", "forkserver")
        run = Run("process-basics", "forkserver", session, {}, [])
        missing += missing_exits(run)
        assert helpers.still_alive(helpers.run_pids(session.recording)) == set()
    assert missing == []


@case
def test_prints_on_the_right_lane_with_their_source_line(sid, method):
    run = get_run(sid, method)
    expected = expected_prints(sid, run.values)
    assert sorted(expected) == sorted(run.lanes)
    for name, lane in run.lanes.items():
        text = "\n".join(run.prints(lane))
        assert re.fullmatch(expected[name], text), (name, text)
        for m in run.markers(lane, "print"):
            assert m.line > 0 and m.data["stream"] == 1, (name, m)
            assert "print(" in run.source[m.line - 1], (name, m.line, run.source[m.line - 1])


@case
def test_states_back_to_back_with_real_sleeps(sid, method):
    run = get_run(sid, method)
    durations = {
        v
        for k, v in run.values.items()
        if helpers.is_duration(helpers.scenario_by_id(sid).param(k))
    }
    pids = {lane.name: lane.pid for lane in run.lanes.values()}
    for name, lane in run.lanes.items():
        segs = run.rec.segments(lane)
        assert segs and segs[0].start == lane.started, name
        assert all(a.end == b.start for a, b in pairwise(segs)), name
        assert all(s.start < s.end and s.state in STATES for s in segs), name
        ran = [s for s in segs if s.state != "zombie"]
        assert ran[-1].end == lane.end, name
        for seg, after in pairwise(segs):
            if seg.state == "sleeping" and after.state == "running":  # a sleep that completed
                assert seg.info["on"] == "sleep" and seg.info["secs"] in durations, seg
                assert seg.end - seg.start >= seg.info["secs"] * 1e9, seg
        for seg in segs:
            if seg.state == "blocked":
                assert seg.info["on"] == "join", seg
                assert pids[seg.info["target"]] == seg.info["tpid"], seg


@each_method
def test_zombie_span_lasts_until_the_parent_joins(method):
    run = get_run("zombie", method)
    child, main = run.lanes["Process-1"], run.lanes["MainProcess"]
    zombies = [s for s in run.rec.segments(child) if s.state == "zombie"]
    if method == "forkserver":  # the fork server reaps its children at once
        assert zombies == []
        return
    assert len(zombies) == 1
    zombie = zombies[0]
    assert zombie.start == run.markers(child, "exited")[0].ts
    assert zombie.end == run.markers(child, "joined")[0].ts
    busy = run.values["PARENT_BUSY"]
    parent_sleep = next(s for s in run.rec.segments(main) if s.state == "sleeping")
    assert parent_sleep.info["secs"] == busy
    assert zombie.start < parent_sleep.end < zombie.end  # dead while the parent was busy
    # at most PARENT_BUSY (less the child's start-up and CHILD_SLEEP, which vary with the load
    # of this shared machine, so no lower bound beyond the ordering above)
    assert (zombie.end - zombie.start) / 1e9 < busy + 0.5


@each_method
def test_daemon_tarena_is_terminated_when_the_parent_ends(method):
    run = get_run("process-attributes", method)
    main, tarena = run.lanes["MainProcess"], run.lanes["Tarena"]
    assert tarena.daemon is True and run.lanes["Process-2"].daemon is False
    assert tarena.exitcode == -15 and tarena.terminated_sig == 15
    terminated = run.markers(tarena, "terminated")
    assert [(m.data["sig"], m.data["by"]) for m in terminated] == [(15, main.pid)]
    assert terminated[0].ts <= tarena.end <= main.end
    shown_pid = re.match(r"Process name:Tarena/Process PID:(\d+)/", run.prints(main)[0])
    assert int(shown_pid.group(1)) == tarena.pid
    # killed while it still had ticks to do: it never printed them all
    assert len(run.prints(tarena)) < run.values["TICKS"]


@each_method
def test_join_with_timeout_gives_up_while_the_child_runs(method):
    run = get_run("args-and-kwargs", method)
    main, p2 = run.lanes["MainProcess"], run.lanes["Process-2"]
    segs = run.rec.segments(main)
    timed = [i for i, s in enumerate(segs) if s.state == "blocked" and "timeout" in s.info]
    assert len(timed) == 1
    blocked, after = segs[timed[0]], segs[timed[0] + 1]
    timeout = run.values["JOIN_TIMEOUT"]
    assert blocked.info["on"] == "join" and blocked.info["timeout"] == timeout
    assert (blocked.info["target"], blocked.info["tpid"]) == ("Process-2", p2.pid)
    assert after.state == "running" and after.info["result"] == "timeout"
    assert (blocked.end - blocked.start) / 1e9 >= timeout
    assert blocked.end < p2.end  # the child was still running when join gave up
    # the plain join() calls that follow wait to the end, for both children
    plain = [s for s in segs if s.state == "blocked" and "timeout" not in s.info]
    assert [s.info["target"] for s in plain] == ["Process-1", "Process-2"]
    results = [segs[segs.index(s) + 1].info["result"] for s in plain]
    assert results == ["ok", "ok"]


@each_method
def test_process_basics_memory_is_not_shared(method):
    run = get_run("process-basics", method)
    assert run.prints(run.lanes["MainProcess"])[-1] == "parent a= 1"
    assert run.prints(run.lanes["Process-1"])[0] == "a= 1"


@each_method
def test_several_processes_print_their_real_pids(method):
    run = get_run("several-processes", method)
    children = [run.lanes[f"Process-{i}"] for i in (1, 2, 3)]
    for child in children:
        ppid, pid = map(int, run.prints(child)[-1].split(" -- "))
        assert (ppid, pid) == (child.ppid, child.pid)
    # each prints when its own sleep (THn_SLEEP) has ended
    v = run.values
    for child, secs in zip(children, (v["TH1_SLEEP"], v["TH2_SLEEP"], v["TH3_SLEEP"]), strict=True):
        sleep = next(s for s in run.rec.segments(child) if s.state == "sleeping")
        assert sleep.info["secs"] == secs
        assert run.markers(child, "print")[0].ts >= sleep.end
