"""What the safety tests share: the app's signal calls recorded (any aimed at pid 1, 0, -1, the
app or its group refused rather than sent: these tests run as root on a shared machine), runs
started and drained, and how their lanes ended."""

from __future__ import annotations

import os
import signal
import subprocess
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from control.session import RunSpec, Session
from model.recording import Recording
from tests.helpers import run_source
from workers import proc_tree

METHODS = ["fork", "spawn", "forkserver"]
each_method = pytest.mark.parametrize("method", METHODS)
WAIT_S = 30.0


# ---- what the app signalled ------------------------------------------------------------------
@dataclass(frozen=True)
class Sent:
    call: str  # kill | killpg | pidfd
    target: int  # the pid or group; for a pidfd, the pid it named at the call (-1: none left)
    sig: int
    unreaped_child: bool  # was ``target`` our own child, not yet reaped, at the call?


def fd_pid(fd: int) -> int:
    """The pid a pidfd names now (-1 once its process is reaped), from /proc/self/fdinfo."""
    with open(f"/proc/self/fdinfo/{fd}", encoding="ascii") as f:
        for line in f:
            if line.startswith("Pid:"):
                return int(line.split()[1])
    return -1


def unreaped_child(pid: int) -> bool:
    try:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except (ChildProcessError, OSError):
        return False
    return True


def dangerous(target: int) -> bool:
    return target <= 1 or target in (os.getpid(), os.getpgrp())


@pytest.fixture
def sent(monkeypatch) -> list[Sent]:
    """Every signal the app sends during the test, as sent; the dangerous ones only recorded."""
    log: list[Sent] = []
    real_kill, real_killpg, real_pidfd = os.kill, os.killpg, signal.pidfd_send_signal

    def kill(pid: int, sig: int) -> None:
        log.append(Sent("kill", pid, sig, unreaped_child(pid)))
        if not dangerous(pid):
            real_kill(pid, sig)

    def killpg(pgid: int, sig: int) -> None:
        log.append(Sent("killpg", pgid, sig, unreaped_child(pgid)))
        if not dangerous(pgid):
            real_killpg(pgid, sig)

    def pidfd_send_signal(fd: int, sig: int, *args: object) -> None:
        target = fd_pid(fd)
        log.append(Sent("pidfd", target, sig, unreaped_child(target)))
        if not dangerous(target):
            real_pidfd(fd, sig, *args)

    monkeypatch.setattr(os, "kill", kill)
    monkeypatch.setattr(os, "killpg", killpg)
    monkeypatch.setattr(signal, "pidfd_send_signal", pidfd_send_signal)
    return log


def session_of(runner: int) -> set[int]:
    """The processes in the runner's session now, as the kernel shows them (the run's helpers
    too: a fork server, a resource tracker)."""
    return {pid for pid, st in proc_tree.snapshot().items() if st.sid == runner}


def assert_only_the_run_signalled(log: list[Sent], runner: int, run: set[int]) -> None:
    """No bare pid number at all; the group only while the runner was our unreaped child; pidfds
    only to processes of the run."""
    assert log, "Stop sent nothing"
    assert [s for s in log if s.call == "kill"] == []
    groups = [s for s in log if s.call == "killpg"]
    assert groups and all(s.target == runner and s.unreaped_child for s in groups), groups
    strays = [s for s in log if s.call == "pidfd" and s.target not in run | {-1}]
    assert strays == [], strays


@pytest.fixture
def victim():
    """A process outside the run, started by the test, that must survive everything."""
    proc = subprocess.Popen(["sleep", "30"])
    yield proc
    proc.kill()
    proc.wait()


# ---- running -------------------------------------------------------------------------------
@pytest.fixture
def start(tmp_path):
    """Start ``source`` traced (``start(source, method, *args)``); every run started is stopped
    after the test, whatever it asserted (Stop of a finished run does nothing)."""
    started: list[Session] = []

    def start_run(source: str, method: str, *args: str) -> Session:
        path = tmp_path / "script.py"
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        session = Session(RunSpec(str(path), list(args), method))
        started.append(session)
        session.start()
        return session

    yield start_run
    for session in started:
        session.stop()


def run_to_end(tmp_path: Path, source: str, method: str = "fork") -> Session:
    """Run ``source`` traced to its end; stopped (and failed) if it has not ended in WAIT_S."""
    session = run_source(tmp_path / "script.py", textwrap.dedent(source), method, timeout=WAIT_S)
    assert not session.stopped, "the run did not end by itself"
    return session


def drain_until(session: Session, done, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        if time.monotonic() > deadline:
            session.stop()
            pytest.fail(f"waited {WAIT_S} s for {what}")
        session.drain()
        time.sleep(0.01)


def prints(rec: Recording) -> list[str]:
    return [
        m.data["text"] for lane in rec.lanes.values() for m in lane.markers if m.kind == "print"
    ]


def printed(session: Session, prefix: str) -> list[str]:
    return [t for t in prints(session.recording) if t.startswith(prefix)]


def assert_every_lane_ends(rec: Recording) -> None:
    open_lanes = [(lane.pid, lane.name) for lane in rec.lanes.values() if lane.end is None]
    assert open_lanes == [], f"lanes with no end after the run: {open_lanes}"


def stop_how(rec: Recording, pid: int) -> str | None:
    stops = [m.data.get("how") for m in rec.lanes[pid].markers if m.kind == "stopped"]
    return stops[-1] if stops else None


# ---- forged pids ----------------------------------------------------------------------------
