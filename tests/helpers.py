"""Small helpers shared by the tests: short scenario values, one traced run, process checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from control.session import RunSpec, Session
from model import catalog
from model.recording import Lane, Recording

SHORT_MAX = 0.25  # the longest duration parameter becomes this many seconds (or less)
SHORT_MIN = 0.05  # no non-zero duration parameter becomes shorter than this
SHORT_FACTOR = 0.05  # durations shrink by at least this factor
RUN_TIMEOUT = 30.0
# The lanes each scenario makes, with the names they would have if the script ran alone.
SCENARIO_LANES = {
    "args-and-kwargs": ["MainProcess", "Process-1", "Process-2"],
    "custom-process-class": ["MainProcess", "ClockProcess-1"],
    "process-attributes": ["MainProcess", "Tarena", "Process-2"],
    "process-basics": ["MainProcess", "Process-1"],
    "several-processes": ["MainProcess", "Process-1", "Process-2", "Process-3"],
    "zombie": ["MainProcess", "Process-1"],
}
_SECONDS = re.compile(r"\bseconds?\b", re.IGNORECASE)


def is_duration(param: catalog.Param) -> bool:
    """A number parameter whose doc says it is a time in seconds."""
    return param.kind in (int, float) and bool(_SECONDS.search(param.doc))


def short_values(scenario: catalog.Scenario) -> dict[str, int | float | bool]:
    """Every duration parameter of ``scenario`` shrunk to ~0.05–0.25 s, in proportion.

    All durations are scaled by one factor (so their order, and their ratios where they stay above
    SHORT_MIN, are kept: a join timeout stays shorter than the work it waits for); zero stays zero.
    An int duration cannot hold a fraction of a second: it gets the smallest whole value allowed.
    """
    durations = [p for p in scenario.params if is_duration(p)]
    longest = max((float(p.value) for p in durations), default=0.0)
    factor = min(SHORT_FACTOR, SHORT_MAX / longest) if longest > 0 else 0.0
    values: dict[str, int | float | bool] = {}
    for p in durations:
        if p.value == 0:
            values[p.name] = p.value
        elif p.kind is int:
            values[p.name] = max(int(p.low), min(1, p.value))
        else:
            short = round(max(SHORT_MIN, p.value * factor), 3)
            values[p.name] = min(max(short, p.low), p.high)
    return values


def run_values(sid: str, **overrides: int | float | bool) -> dict[str, int | float | bool]:
    """The values a run of ``sid`` uses: short durations, then ``overrides`` (range-checked)."""
    scenario = scenario_by_id(sid)
    values = short_values(scenario)
    values.update(catalog.values_from(scenario, [f"{k}={v}" for k, v in overrides.items()]))
    return values


def scenario_by_id(sid: str) -> catalog.Scenario:
    scenario = catalog.find(sid)
    assert scenario is not None, f"no scenario {sid!r}"
    return scenario


def run_scenario(sid: str, method: str, **overrides: int | float | bool) -> Session:
    """Run scenario ``sid`` traced, with short durations, to its end; return the finished Session."""
    scenario = scenario_by_id(sid)
    values = run_values(sid, **overrides)
    with tempfile.TemporaryDirectory(prefix="mpscope-test-") as folder:
        script = catalog.write_run_copy(scenario, values, folder)
        session = Session(RunSpec(script, [], method, 1.0))
        session.start()
        finished = session.wait_finished(RUN_TIMEOUT)
        if not finished:
            session.stop()
    assert finished, f"{sid} under {method} did not finish within {RUN_TIMEOUT} s"
    return session


def expected_exit_codes(sid: str, values: dict) -> dict[str, int]:
    """Every lane's exit code: 0, but a terminated daemon's -15 and the zombie's EXIT_CODE."""
    codes = dict.fromkeys(SCENARIO_LANES[sid], 0)
    if sid == "process-attributes":
        codes["Tarena"] = -15  # a daemon child, terminated (SIGTERM) when the parent ends
    if sid == "zombie":
        codes["Process-1"] = values["EXIT_CODE"]
    return codes


def alive(pid: int) -> bool:
    """True only if the process exists and is not a zombie (or already dead)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = stat[stat.rindex(")") + 2 :].split(" ", 1)[0]
    return state not in ("Z", "X")


def still_alive(pids: set[int], timeout: float = 2.0) -> set[int]:
    """The pids still alive after waiting up to ``timeout`` for them to go."""
    deadline = time.monotonic() + timeout
    while True:
        left = {p for p in pids if alive(p)}
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.02)


def run_pids(recording: Recording) -> set[int]:
    """Every pid the run had: its lanes and their parents (a fork server), not the test's own."""
    pids = set(recording.lanes)
    pids |= {lane.ppid for lane in recording.lanes.values() if isinstance(lane.ppid, int)}
    pids.discard(os.getpid())
    return pids


def lanes_by_name(recording: Recording) -> dict[str, Lane]:
    """The program's lanes by name (multiprocessing's helper lanes, a fork server or a resource
    tracker, are left out: ``helper_lanes`` has them)."""
    own = [lane for lane in recording.lanes.values() if not lane.helper]
    lanes = {lane.name: lane for lane in own}
    assert len(lanes) == len(own), [lane.name for lane in own]
    return lanes


def helper_lanes(recording: Recording) -> list[Lane]:
    return [lane for lane in recording.lanes.values() if lane.helper]


def run_script(
    script: str,
    method: str,
    args: list[str] | None = None,
    time_scale: float = 1.0,
    timeout: float = RUN_TIMEOUT,
) -> Session:
    """Run any script file traced, to its end (stopped after ``timeout`` s); return the Session.

    Unlike ``run_scenario`` this does not assert that the run finished: check
    ``session.stopped`` (True when it had to be stopped) in the test.
    """
    session = Session(RunSpec(str(script), list(args or []), method, time_scale))
    session.start()
    if not session.wait_finished(timeout):
        session.stop()
    return session


def run_source(
    path: Path,
    source: str,
    method: str,
    args: list[str] | None = None,
    timeout: float = RUN_TIMEOUT,
) -> Session:
    """Write ``source`` to ``path``, then run it as ``run_script`` does."""
    path.write_text(source, encoding="utf-8")
    return run_script(str(path), method, args, timeout=timeout)


class RunViews:
    """What tests read from a traced run; the class that mixes this in has a ``session``."""

    session: Session

    @property
    def rec(self) -> Recording:
        return self.session.recording

    @property
    def lanes(self) -> dict[str, Lane]:
        return lanes_by_name(self.rec)

    @property
    def main(self) -> Lane:
        return self.lanes["MainProcess"]

    def markers(self, lane: Lane, kind: str) -> list:
        return [m for m in lane.markers if m.kind == kind]


def scenario_run(
    sid: str, method: str, **overrides: int | float | bool
) -> tuple[Session, dict, list[str]]:
    """A finished run of ``sid`` with short durations (and ``overrides``): the session, every
    parameter value it ran with, and the code that ran, line by line."""
    scenario = scenario_by_id(sid)
    values = {p.name: p.value for p in scenario.params} | run_values(sid, **overrides)
    session = run_scenario(sid, method, **overrides)
    return session, values, catalog.substitute(scenario, values).splitlines()


def case_params(cases: object, methods: list[str]) -> pytest.MarkDecorator:
    """Parametrise a test over (case, start method)."""
    params = [(c, m) for c in cases for m in methods]
    return pytest.mark.parametrize(("case", "method"), params, ids=[f"{c}-{m}" for c, m in params])


PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(
    *args: str,
    timeout: float = 60,
    extra_env: dict[str, str] | None = None,
    **kwargs: object,
) -> subprocess.CompletedProcess:
    """``python main.py ARGS`` as a user runs it, from the project folder; text output
    (``extra_env``: set for that run too)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", **(extra_env or {}))
    env.pop("MPSCOPE_TEST_START_METHOD", None)
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        **kwargs,
    )


def cached_run(cache: dict, make: type, cases: dict, case: str, method: str) -> object:
    """One traced run of ``cases[case]`` = (scenario id, overrides) per start method, shared by
    every test that reads it: ``make(case, method, session, values, source)``."""
    key = (case, method)
    if key not in cache:
        sid, overrides = cases[case]
        cache[key] = make(case, method, *scenario_run(sid, method, **overrides))
    return cache[key]
