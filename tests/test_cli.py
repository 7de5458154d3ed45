"""The command line (DESIGN.md's contract), run as a real subprocess: list, export, errors."""

from __future__ import annotations

import json
import time
from itertools import pairwise

import pytest

from model import catalog
from tests import helpers

SCENARIOS = catalog.discover()
STATES = {"running", "sleeping", "blocked", "zombie"}
LIFECYCLE = {"created", "started", "exited", "joined", "terminated"}


cli = helpers.cli


def settings(values: dict) -> list[str]:
    return [arg for name, value in values.items() for arg in ("--set", f"{name}={value}")]


def export(tmp_path, sid: str, *extra: str, values: dict | None = None) -> tuple[dict, str]:
    """Run ``sid`` headless with short durations (or ``values``); return the trace and stderr."""
    out = tmp_path / f"{sid}.json"
    values = helpers.short_values(helpers.scenario_by_id(sid)) if values is None else values
    result = cli("--scenario", sid, *settings(values), *extra, "--export", str(out))
    assert result.returncode == 0, result.stderr
    if sid != "crashes":  # crashes prints its children's tracebacks, as Python itself would
        assert "Traceback" not in result.stderr, result.stderr
    with open(out, encoding="utf-8") as f:
        return json.load(f), result.stderr


def process_names(trace: dict, helpers: bool = False) -> dict[int, dict]:
    """The processes of a trace (multiprocessing's helper processes only with ``helpers``)."""
    meta = [e for e in trace["traceEvents"] if e["ph"] == "M" and e["name"] == "process_name"]
    names = {e["pid"]: e["args"] for e in meta}
    assert len(names) == len(meta), "one process_name per pid"
    return {pid: a for pid, a in names.items() if helpers or not a.get("helper")}


def of(trace: dict, ph: str, cat: str | None = None) -> list[dict]:
    return [e for e in trace["traceEvents"] if e["ph"] == ph and (cat is None or e["cat"] == cat)]


def trace_pids(trace: dict) -> set[int]:
    names = process_names(trace)
    return set(names) | {a["ppid"] for a in names.values() if isinstance(a["ppid"], int)}


def test_list_prints_every_scenario_with_its_title():
    result = cli("--list")
    assert result.returncode == 0 and result.stderr == ""
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows == [[s.id, s.title] for s in SCENARIOS]
    assert all(title.strip() for _, title in rows)


@pytest.mark.parametrize("sid", [s.id for s in SCENARIOS])
def test_export_chrome_trace(sid, tmp_path):
    # crashes kills two children: after they have started (a spawn start takes ~50 ms here on
    # a quiet machine, but seven of them at once take the 2 cores ~0.4 s, more under load)
    values = {"WORK_SECONDS": 1.6, "KILL_AFTER": 1.2} if sid == "crashes" else None
    trace, stderr = export(tmp_path, sid, "--start-method", "spawn", values=values)
    # the script's own stderr passes through (tracebacks of the crashes scenario); ours is last
    assert stderr.strip().splitlines()[-1].startswith("mpscope: wrote")
    # the method the processes were really started with: start-methods uses all three itself
    used = "fork+forkserver+spawn" if sid == "start-methods" else "spawn"
    assert trace["otherData"]["start_method"] == used
    names = process_names(trace)
    by_name = {a["name"]: pid for pid, a in names.items()}
    main = by_name["MainProcess"]
    assert all(isinstance(a["ppid"], int) and a["ppid"] > 1 for a in names.values()), names
    if sid in helpers.SCENARIO_LANES:  # the Process lessons: lanes known by name
        assert sorted(by_name) == sorted(helpers.SCENARIO_LANES[sid])
        assert all(a["ppid"] == main for pid, a in names.items() if pid != main)  # spawn
    # every event is on a named process, and of a kind DESIGN.md fixes
    assert {e["pid"] for e in trace["traceEvents"]} == set(process_names(trace, helpers=True))
    assert {e["ph"] for e in trace["traceEvents"]} <= {"M", "X", "i", "s", "f", "C"}
    assert {e["cat"] for e in of(trace, "X")} <= {"state", "task", "message"}
    assert {e["cat"] for e in of(trace, "i")} <= {"lifecycle", "print", "task", "message"}
    assert {e["name"] for e in of(trace, "X", "state")} <= STATES
    assert {e["name"] for e in of(trace, "i", "lifecycle")} <= LIFECYCLE
    for pid in names:
        states = sorted(
            (e for e in of(trace, "X", "state") if e["pid"] == pid), key=lambda e: e["ts"]
        )
        assert states and all(e["dur"] > 0 for e in states), names[pid]
        for a, b in pairwise(states):  # back to back
            assert abs(a["ts"] + a["dur"] - b["ts"]) < 0.01, (names[pid], a, b)
    for e in of(trace, "i", "print"):
        assert isinstance(e["args"]["text"], str)
        if e["args"]["stream"] == "stdout":  # tracebacks on stderr come from library code
            assert e["args"]["line"] > 0
    values = {p.name: p.value for p in helpers.scenario_by_id(sid).params}
    codes = exit_codes(trace)
    if sid in helpers.SCENARIO_LANES:
        assert codes == helpers.expected_exit_codes(sid, values)
    elif sid == "crashes":
        assert codes == CRASH_CODES
    else:
        assert set(codes.values()) == {0}, codes
    assert helpers.still_alive(trace_pids(trace)) == set()


CRASH_CODES = {
    "MainProcess": 0,
    "return": 0,
    "exception": 1,
    "sys.exit": 3,
    "os._exit": 4,
    "terminate": -15,
    "kill": -9,
    "segfault": -11,
}


def test_crashes_show_their_cause(tmp_path):
    values = {"WORK_SECONDS": 0.6, "KILL_AFTER": 0.4}
    trace, _ = export(tmp_path, "crashes", "--start-method", "spawn", values=values)
    names = process_names(trace)
    exited = {
        names[e["pid"]]["name"]: e["args"]
        for e in of(trace, "i", "lifecycle")
        if e["name"] == "exited"
    }
    # The failed run()'s traceback: on the exited marker (from the child's exit status), and in
    # any case among the child's stderr lines.
    exception_pid = next(pid for pid, a in names.items() if a["name"] == "exception")
    stderr_lines = [e["args"]["text"] for e in of(trace, "i", "print") if e["pid"] == exception_pid]
    assert "ValueError: something went wrong in the child" in stderr_lines
    assert "ValueError: something went wrong" in exited["exception"].get(
        "traceback", stderr_lines[-1]
    )
    # faulthandler's report, read by the parent from the crash file (it went missing under load
    # when join() reaped the child as the watcher looked: test_exit_watcher.py)
    assert exited["segfault"]["exitcode"] == -11
    assert "Segmentation fault" in exited["segfault"]["traceback"]
    terminated = {
        names[e["pid"]]["name"]: e["args"]["signal"]
        for e in of(trace, "i", "lifecycle")
        if e["name"] == "terminated"
    }
    assert terminated == {"terminate": 15, "kill": 9}


def exit_codes(trace: dict) -> dict[str, int]:
    """Each process's exit code: its exited event's, else (the event may be lost) its joined's."""
    names = process_names(trace)
    codes = {}
    for kind in ("joined", "exited"):  # exited last: it wins
        for e in of(trace, "i", "lifecycle"):
            if e["name"] == kind and e["pid"] in names:  # a helper's code is not the run's to read
                assert isinstance(e["args"]["exitcode"], int), e
                codes[names[e["pid"]]["name"]] = e["args"]["exitcode"]
    main = [e for e in of(trace, "i", "lifecycle") if e["name"] == "exited"]
    assert any(names[e["pid"]]["name"] == "MainProcess" for e in main)
    return codes


def test_time_scale_halves_a_sleep(tmp_path):
    values = {"PARENT_SLEEP": 0.4, "CHILD_SLEEP": 0.0}
    trace, _ = export(tmp_path, "process-basics", "--time-scale", "0.5", values=values)
    main = next(pid for pid, a in process_names(trace).items() if a["name"] == "MainProcess")
    sleeps = [e for e in of(trace, "X", "state") if e["name"] == "sleeping" and e["pid"] == main]
    assert [e["args"]["secs"] for e in sleeps] == [0.4]  # the script's own value
    ratio = sleeps[0]["dur"] / 1e6 / 0.4
    assert 0.5 <= ratio < 0.75, ratio


def test_time_scale_applies_to_children_and_join_timeouts(tmp_path):
    values = {"SEC": 0.4, "LOOPS": 1, "JOIN_TIMEOUT": 0.2}
    trace, _ = export(tmp_path, "args-and-kwargs", "--time-scale", "0.5", values=values)
    states = of(trace, "X", "state")
    sleeps = [e for e in states if e["name"] == "sleeping"]
    assert len(sleeps) == 2  # one in each child
    for e in sleeps:
        assert e["args"]["secs"] == 0.4 and 0.5 <= e["dur"] / 1e6 / 0.4 < 0.75, e
    timed = [e for e in states if e["name"] == "blocked" and "timeout" in e["args"]]
    assert [e["args"]["timeout"] for e in timed] == [0.2]
    assert 0.5 <= timed[0]["dur"] / 1e6 / 0.2 < 0.75, timed[0]


def test_stop_after_ends_a_long_run_and_keeps_what_was_recorded(tmp_path):
    scenario = helpers.scenario_by_id("custom-process-class")
    values = {p.name: p.value for p in scenario.params}
    assert values["VALUE"] * values["TICKS"] >= 5  # the defaults run for seconds
    out = tmp_path / "stopped.json"
    t0 = time.monotonic()
    result = cli("--scenario", scenario.id, "--stop-after", "0.5", "--export", str(out))
    took = time.monotonic() - t0
    assert result.returncode == 0, result.stderr
    assert took < 4, took
    with open(out, encoding="utf-8") as f:
        trace = json.load(f)
    names = {a["name"] for a in process_names(trace).values()}
    assert names == {"MainProcess", "ClockProcess-1"}
    assert any(e["args"]["text"].startswith("The time is") for e in of(trace, "i", "print"))
    # everything ends where the run was stopped: 0.5 s after the runner was started, which is
    # a little before its first event (time zero of the trace)
    ends = [e["ts"] + e["dur"] for e in of(trace, "X", "state")]
    assert 0.25e6 <= max(ends) < 3e6
    clock_sleeps = [e for e in of(trace, "X", "state") if e["name"] == "sleeping"]
    assert clock_sleeps and all(e["dur"] < 2e6 for e in clock_sleeps)  # cut short: VALUE is 2 s
    assert helpers.still_alive(trace_pids(trace)) == set()


ERRORS = [
    (["--scenario", "no-such-scenario"], "no-such-scenario"),
    (["--scenario", "zombie", "--set", "NOPE=1"], "NOPE"),
    (["--scenario", "zombie", "--set", "PARENT_BUSY=99"], "PARENT_BUSY"),
    (["--scenario", "zombie", "--set", "PARENT_BUSY=-1"], "PARENT_BUSY"),
    (["--scenario", "zombie", "--set", "PARENT_BUSY=abc"], "PARENT_BUSY"),
    (["--scenario", "zombie", "--set", "EXIT_CODE=2.5"], "EXIT_CODE"),
    (["--scenario", "zombie", "--start-method", "bogus"], "--start-method"),
    (["--scenario", "zombie", "--time-scale", "abc"], "--time-scale"),
    (["--scenario", "zombie", "--time-scale", "0"], "--time-scale"),
    (["--scenario", "zombie", "--stop-after", "-1"], "--stop-after"),
    (["--trace", "no_such_script.py"], "no_such_script.py"),
]


@pytest.mark.parametrize(
    ("args", "named"), ERRORS, ids=lambda x: " ".join(x) if isinstance(x, list) else ""
)
def test_errors_are_one_line_on_stderr(args, named, tmp_path):
    out = tmp_path / "never.json"
    result = cli(*args, "--export", str(out))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0] and "error" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


def test_out_of_range_and_not_a_number_say_so(tmp_path):
    out = str(tmp_path / "never.json")
    high = cli("--scenario", "zombie", "--set", "PARENT_BUSY=99", "--export", out).stderr
    assert "out of range" in high and "60" in high
    text = cli("--scenario", "zombie", "--set", "PARENT_BUSY=abc", "--export", out).stderr
    assert "'abc'" in text and "not a number" in text


def test_set_without_a_value_says_what_is_missing(tmp_path):
    result = cli(
        "--scenario", "zombie", "--set", "PARENT_BUSY", "--export", str(tmp_path / "x.json")
    )
    assert result.returncode != 0
    message = result.stderr.strip()
    assert "PARENT_BUSY" in message and "unknown" not in message
    assert "=" in message  # e.g. "--set PARENT_BUSY: expected NAME=VALUE"
