"""Public programs under tests/corpus/, run plain and traced, and what a picture claims about them.

Plain ``python script.py`` is the reference: the same program runs once without mpscope and once
through ``main.py --trace … --export run.json`` (the path a user takes), each under the same start
method made the default (as the runner makes it: the program may still choose its own). The
export is read as other tools read it (the Chrome trace contract of DESIGN.md).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tests.helpers import PROJECT_ROOT

CORPUS = Path(__file__).parent / "corpus"
TIMEOUT = 60

# Makes ``method`` the default start method without fixing it, then runs the script as
# ``python script.py`` would (workers/runner.py does the same for traced runs).
_PLAIN = """
import multiprocessing, runpy, sys
default = multiprocessing.context._default_context
default._default_context = multiprocessing.get_context(sys.argv[1])
default._actual_context = None
script = sys.argv[2]
sys.argv = [script]
sys.path[0] = __import__("os").path.dirname(script)
runpy.run_path(script, run_name="__main__")
"""


@dataclass(frozen=True)
class Output:
    code: int
    stdout: str
    stderr: str


@dataclass
class Picture:
    """The export of a traced run, indexed by what the checks ask."""

    trace: dict[str, Any]
    names: dict[int, str] = field(default_factory=dict)
    by_pid: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))
    helpers: set[int] = field(default_factory=set)  # multiprocessing's fork server and such

    def __post_init__(self) -> None:
        for ev in self.trace["traceEvents"]:
            if ev.get("ph") == "M" and ev.get("name") == "process_name":
                self.names[ev["pid"]] = ev["args"]["name"]
                if ev["args"].get("helper"):
                    self.helpers.add(ev["pid"])
            elif "pid" in ev:
                self.by_pid[ev["pid"]].append(ev)

    def pid(self, name: str) -> int:
        found = [p for p, n in self.names.items() if n == name]
        assert len(found) == 1, (name, self.names)
        return found[0]

    def events(self, pid: int, cat: str, name: str | None = None) -> list[dict]:
        return [
            e
            for e in self.by_pid[pid]
            if e.get("cat") == cat and (name is None or e.get("name") == name)
        ]

    def exitcode(self, pid: int) -> int | None:
        exits = self.events(pid, "lifecycle", "exited")
        return exits[0]["args"].get("exitcode") if exits else None

    def states(self, pid: int) -> list[dict]:
        return sorted(self.events(pid, "state"), key=lambda e: e["ts"])

    def printed(self, stream: str = "stdout") -> list[str]:
        return [
            e["args"]["text"]
            for evs in self.by_pid.values()
            for e in evs
            if e.get("cat") == "print" and e["args"].get("stream") == stream
        ]

    def tasks(self, fn: str | None = None) -> list[dict]:
        return [
            e
            for evs in self.by_pid.values()
            for e in evs
            if e.get("cat") == "task" and e.get("ph") == "X" and (fn is None or e["name"] == fn)
        ]

    def flows(self) -> list[dict]:
        return [e for evs in self.by_pid.values() for e in evs if e.get("ph") == "s"]


def _env() -> dict[str, str]:
    """Block-buffered output as on a terminal-less run: each process writes its lines at once,
    so lines of two processes never interleave mid-line (unbuffered, they may, plain or not)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("PYTHONUNBUFFERED", None)
    env.pop("MPSCOPE_TEST_START_METHOD", None)
    return env


def _run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT,
        env=_env(),
        cwd=str(CORPUS),
    )


@cache
def plain(program: str, method: str) -> Output:
    done = _run([sys.executable, "-c", _PLAIN, method, str(CORPUS / program)])
    return Output(done.returncode, done.stdout, done.stderr)


@cache
def traced(program: str, method: str, time_scale: float = 1.0) -> tuple[Output, Picture]:
    out_dir = Path(PROJECT_ROOT) / "out" / "corpus"
    out_dir.mkdir(parents=True, exist_ok=True)
    export = out_dir / f"{program}-{method}-{time_scale}.json"
    command = [sys.executable, os.path.join(PROJECT_ROOT, "main.py"), "--trace"]
    command += [str(CORPUS / program), "--start-method", method, "--export", str(export)]
    command += ["--time-scale", str(time_scale)]
    done = _run(command)
    assert done.returncode == 0, done.stderr
    with open(export, encoding="utf-8") as f:
        picture = Picture(json.load(f))
    export.unlink()
    return Output(done.returncode, done.stdout, _without_own_lines(done.stderr)), picture


def _without_own_lines(stderr: str) -> str:
    """The program's stderr: mpscope's own report lines (``mpscope: …``) taken out."""
    return "".join(line for line in stderr.splitlines(True) if not line.startswith("mpscope: "))


_PID_LIKE = re.compile(r"\b\d{4,}\b")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


def lines(text: str, *masks: tuple[str, str]) -> Counter[str]:
    """The lines of ``text`` as a multiset, with pids and addresses masked, then ``masks``
    (pattern, replacement) applied: what may differ between two runs of the same program."""
    counted: Counter[str] = Counter()
    for line in text.splitlines():
        line = _ADDRESS.sub("0x…", _PID_LIKE.sub("<pid>", line))
        for pattern, replacement in masks:
            line = re.sub(pattern, replacement, line)
        counted[line] += 1
    return counted
