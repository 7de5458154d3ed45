"""Nothing outside the run is ever signalled (issue 16).

Stop, ``--stop-after``, closing the window and the app's death signal only what the kernel shows
as the run's (control/run_tree.py, workers/proc_tree.py), never a pid an event named, never a
number that may have been reaped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from control.session import RunSpec
from tests.helpers import PROJECT_ROOT, alive, cli, still_alive
from tests.safety_helpers import (
    WAIT_S,
    assert_every_lane_ends,
    assert_only_the_run_signalled,
    dangerous,
    drain_until,
    each_method,
    printed,
    session_of,
    stop_how,
)
from workers import proc_tree
from workers.events import STOP_KILLED, STOP_NOT_SIGNALLED

FORGER = """
    import os, sys, time
    from multiprocessing import Process

    def child():
        while True:
            time.sleep(0.05)

    if __name__ == "__main__":
        victim, app = int(sys.argv[1]), os.getppid()
        Process(target=child).start()
        channel = sys.modules["_mpscope_workers.channel"]  # mpscope's, out of the script's way
        conn = sys.modules["_mpscope_workers.tracer"].connection()
        t, me = time.monotonic_ns(), os.getpid()
        forged = []
        for pid in (victim, 1, -1, 0, app):
            info = {"name": f"forged {pid}", "parent": me, "daemon": False}
            forged.append(("created", pid, t, 0, info))
            forged.append(("started", pid, t, 0, {**info, "ppid": me}))
        for frame in channel.encode_frames(forged):
            conn.send_bytes(frame)
        print("forged", flush=True)
        while True:
            time.sleep(0.05)
"""


def _forged(victim: int) -> set[int]:
    return {victim, 1, -1, 0, os.getpid()}


@each_method
def test_stop_signals_no_pid_a_forged_event_named(method, start, victim, sent):
    session = start(FORGER, method, str(victim.pid))
    forged = _forged(victim.pid)
    real = 3 if method == "forkserver" else 2  # the main process, its child (and its fork server)
    lanes = session.recording.lanes
    drain_until(session, lambda: len(lanes) >= len(forged) + real, "the forged lanes")
    rec = session.recording
    assert forged <= set(rec.lanes)
    run = set(rec.lanes) - forged
    assert len(run) == real and all(alive(p) for p in run)
    kernel_run = session_of(session.runner_pid)
    session.stop()
    assert victim.poll() is None and alive(victim.pid), "the victim outside the run was killed"
    assert still_alive(run | kernel_run) == set()
    assert_only_the_run_signalled(sent, session.runner_pid, run | kernel_run)
    assert not [s for s in sent if dangerous(s.target) or s.target == victim.pid]
    assert_every_lane_ends(rec)
    assert {pid: stop_how(rec, pid) for pid in forged} == dict.fromkeys(forged, STOP_NOT_SIGNALLED)
    assert {pid: stop_how(rec, pid) for pid in run} == dict.fromkeys(run, STOP_KILLED)
    assert rec.lanes[session.runner_pid].exitcode == -signal.SIGKILL


GUARD = """
import os
import signal

_log = os.environ.pop("MPSCOPE_TEST_SIGNAL_LOG", None)  # popped: the app's children get no guard
if _log:
    _kill, _killpg = os.kill, os.killpg

    def _refused(call, target, sig):
        if target > 1 and target not in (os.getpid(), os.getpgrp()):
            return False
        with open(_log, "a", encoding="ascii") as f:
            f.write(f"{call} {target} {sig}\\n")
        return True

    def kill(pid, sig):
        if not _refused("kill", pid, sig):
            _kill(pid, sig)

    def killpg(pgid, sig):
        if not _refused("killpg", pgid, sig):
            _killpg(pgid, sig)

    os.kill, os.killpg = kill, killpg
"""


def _guarded_cli(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    """``python main.py ARGS`` with a guard (a sitecustomize) that refuses, and writes down, any
    signal the app aims at pid 1, 0, -1, itself or its group; what it wrote down."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "refused.txt"
    extra = {"PYTHONPATH": str(site), "MPSCOPE_TEST_SIGNAL_LOG": str(log)}
    result = cli(*args, extra_env=extra)
    return result, log.read_text(encoding="ascii") if log.exists() else ""


@each_method
def test_stop_after_signals_no_pid_a_forged_event_named(method, tmp_path, victim):
    script = tmp_path / "forger.py"
    script.write_text(textwrap.dedent(FORGER), encoding="utf-8")
    out = tmp_path / "out.json"
    result, refused = _guarded_cli(
        tmp_path,
        *("--trace", str(script), "--start-method", method, "--stop-after", "2"),
        *("--export", str(out), "--", str(victim.pid)),
    )
    assert result.returncode == 0, result.stderr
    assert refused == ""
    assert victim.poll() is None and alive(victim.pid), "the victim outside the run was killed"
    events = json.loads(out.read_text(encoding="utf-8"))["traceEvents"]
    names = {e["pid"]: e["args"]["name"] for e in events if e.get("name") == "process_name"}
    forged = {pid for pid, name in names.items() if name == f"forged {pid}"}
    assert {victim.pid, 1, -1, 0} < forged and len(forged) == 5, names  # and the CLI's pid
    run = set(names) - forged  # the main process, its child, and under forkserver its server
    assert len(run) == (3 if method == "forkserver" else 2) and still_alive(run) == set()
    stops = {e["pid"]: e["args"]["how"] for e in events if e.get("name") == "stopped"}
    assert stops == {**dict.fromkeys(forged, STOP_NOT_SIGNALLED), **dict.fromkeys(run, STOP_KILLED)}


# ---- reaped numbers ------------------------------------------------------------------------
REAPER = """
    import os, subprocess, time

    if __name__ == "__main__":
        pid = os.fork()
        if pid == 0:
            os.execv("/bin/sleep", ["sleep", "0.2"])
        got, status = os.wait()
        proc = subprocess.Popen(["sleep", "0.2"])
        proc.wait()
        print("reaped", got, os.waitstatus_to_exitcode(status), proc.pid, flush=True)
        while True:
            time.sleep(0.05)
"""


@each_method
def test_stop_never_signals_a_number_the_program_reaped(method, start, sent):
    session = start(REAPER, method)
    drain_until(session, lambda: printed(session, "reaped"), "the reaping")
    _word, forked, code, spawned = printed(session, "reaped")[0].split()
    assert code == "0"
    reaped = {int(forked), int(spawned)}
    assert not any(alive(p) for p in reaped)
    run = session_of(session.runner_pid)
    session.stop()
    rec = session.recording
    assert still_alive(run) == set()
    assert_only_the_run_signalled(sent, session.runner_pid, run)
    assert not [s for s in sent if s.target in reaped]
    exec_lane = rec.lanes[int(forked)]
    assert exec_lane.joined is not None and exec_lane.exitcode == 0  # the program's os.wait()
    assert_every_lane_ends(rec)


# ---- escapes -------------------------------------------------------------------------------
ESCAPES = """
    import os, sys, time
    from multiprocessing import Process

    def note(what):
        with open("/proc/self/stat") as f:
            start = f.read().rpartition(")")[2].split()[19]  # with the pid, names this process
        with open(sys.argv[1], "a") as f:
            f.write(f"{what} {os.getpid()} {start}\\n")

    def forever():
        while True:
            time.sleep(0.05)

    def own_session():
        os.setsid()
        note("setsid")
        forever()

    def own_group():
        os.setpgid(0, 0)
        note("setpgid")
        forever()

    def daemon():
        # the classic double fork; the middle lingers a moment before it leaves its child
        middle = os.fork()
        if middle == 0:
            os.setsid()
            if os.fork() == 0:
                note("daemon")
                forever()
            note("middle")
            time.sleep(float(sys.argv[2]))
            os._exit(0)
        os.waitpid(middle, 0)
        forever()

    if __name__ == "__main__":
        for target in (own_session, own_group, daemon):
            Process(target=target).start()
        forever()
"""


def _noted(path: Path) -> dict[str, int]:
    """What the escapes script noted: pid by what it did."""
    return {what: pid for what, (pid, _start) in _notes(path).items()}


def _notes(path: Path) -> dict[str, tuple[int, int]]:
    if not path.exists():
        return {}
    lines = [line.split() for line in path.read_text().splitlines()]
    return {what: (int(pid), int(start)) for what, pid, start in lines}


@each_method
def test_stop_ends_the_processes_that_left_the_group(method, tmp_path, start, sent):
    notes = tmp_path / "pids.txt"
    session = start(ESCAPES, method, str(notes), "0.5")  # the middle lingers 0.5 s
    runner = session.runner_pid

    def escaped() -> bool:
        pids = _noted(notes)
        return len(pids) == 4 and not alive(pids["middle"])

    try:
        drain_until(session, escaped, "the escapes, and the daemon's middle process to leave")
        pids = _noted(notes)
        daemon = proc_tree.read_stat(pids["daemon"])
        assert daemon is not None and daemon.sid != runner and daemon.pgrp != runner
        assert proc_tree.read_stat(pids["setsid"]).sid != runner
        assert proc_tree.read_stat(pids["setpgid"]).pgrp != runner
        run = session_of(runner) | set(session.recording.lanes) | {pids["daemon"], pids["setsid"]}
        session.stop()
        assert still_alive(run) == set()
        assert_only_the_run_signalled(sent, runner, run)
        assert_every_lane_ends(session.recording)
    finally:
        _end_leftovers(notes)


def _end_leftovers(notes: Path) -> None:
    """A failed test leaves no escaped process behind: each noted one still alive is killed
    through a pidfd taken before its start time was found to be the noted one's."""
    for pid, start in _notes(notes).values():
        fd = proc_tree.open_pidfd(pid)
        if fd is None:
            continue
        stat = proc_tree.read_stat(pid)
        if stat is not None and stat.start == start and not stat.ended:
            proc_tree.send(fd, signal.SIGKILL)
        proc_tree.close(fd)


HOST = """
    import sys, time
    sys.path.insert(0, {root!r})
    from control.session import RunSpec, Session

    if __name__ == "__main__":
        session = Session(RunSpec({script!r}, [{notes!r}, "30"], start_method={method!r}))
        session.start()
        while True:
            session.drain()
            time.sleep(0.02)
"""


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_the_apps_death_ends_the_processes_that_left_the_group(method, tmp_path):
    script, notes = tmp_path / "escapes.py", tmp_path / "pids.txt"
    script.write_text(textwrap.dedent(ESCAPES), encoding="utf-8")
    host = tmp_path / "host.py"
    source = HOST.format(root=PROJECT_ROOT, script=str(script), notes=str(notes), method=method)
    host.write_text(textwrap.dedent(source), encoding="utf-8")
    with subprocess.Popen([sys.executable, str(host)]) as proc:
        try:
            deadline = time.monotonic() + WAIT_S
            while len(_noted(notes)) < 4 and time.monotonic() < deadline:
                time.sleep(0.02)
            pids = _noted(notes)
            assert len(pids) == 4, pids
            live = set(pids.values())  # the daemon's middle lingers: it is found by links
            assert all(alive(p) for p in live)
            proc.kill()
            proc.wait(5)
            assert still_alive(live, timeout=3.0) == set()
        finally:
            proc.kill()
            _end_leftovers(notes)  # the daemon, which may have been orphaned before the app died


# ---- every lane ends ------------------------------------------------------------------------


def test_closing_the_window_signals_no_pid_a_forged_event_named(
    window, qtbot, tmp_path, victim, sent
):
    script = tmp_path / "forger.py"
    script.write_text(textwrap.dedent(FORGER), encoding="utf-8")
    window.controller.run_script(RunSpec(str(script), [str(victim.pid)], "fork"))
    session = window.controller.session
    qtbot.waitUntil(lambda: len(session.recording.lanes) >= 7, timeout=int(WAIT_S * 1000))
    run = set(session.recording.lanes) - _forged(victim.pid)
    kernel_run = session_of(session.runner_pid)
    window.close()
    assert victim.poll() is None and alive(victim.pid), "the victim outside the run was killed"
    assert still_alive(run | kernel_run) == set()
    assert_only_the_run_signalled(sent, session.runner_pid, run | kernel_run)
    assert_every_lane_ends(session.recording)


def test_without_pidfds_stop_falls_back_to_the_group_only(start, victim, sent, monkeypatch):
    monkeypatch.setattr(proc_tree, "HAVE_PIDFD", False)
    session = start(FORGER, "fork", str(victim.pid))
    drain_until(session, lambda: len(session.recording.lanes) >= 7, "the forged lanes")
    run = set(session.recording.lanes) - _forged(victim.pid)
    session.stop()
    assert victim.poll() is None and alive(victim.pid)
    assert still_alive(run) == set()
    assert [s.call for s in sent if s.call == "pidfd"] == []
    assert all(s.target == session.runner_pid and s.unreaped_child for s in sent), sent
    assert session.exit_code == -signal.SIGKILL
    assert_every_lane_ends(session.recording)


# ---- the kernel's view, piece by piece -----------------------------------------------------
def _stat(ppid: int, sid: int, state: str = "S") -> proc_tree.Stat:
    return proc_tree.Stat(state, ppid, sid, sid, 1)


def test_members_are_the_session_and_everything_below_an_anchor_parents_first():
    table = {
        10: _stat(1, 10),  # the leader
        11: _stat(10, 10),
        12: _stat(11, 12),  # left the session: below 11
        13: _stat(12, 12),  # below that
        20: _stat(1, 20),  # an orphan that left: nothing links it to the run
        7: _stat(1, 7),  # an anchor: left the session, held by a pidfd
        21: _stat(7, 21),  # below the anchor
        30: _stat(1, 30),  # anything else
    }
    found = proc_tree.members(table, 10, {10, 7})
    assert set(found) == {10, 11, 12, 13, 7, 21}
    assert proc_tree.members(table, 10, {10, 8}) == [10, 11, 12, 13], "an anchor not in the table"
    assert found.index(11) < found.index(12) < found.index(13)


def test_a_pidfd_is_taken_only_for_a_live_process_the_proof_accepts(victim):
    own = proc_tree.read_stat(os.getpid())
    assert own is not None and not own.ended
    assert proc_tree.take_proven(victim.pid, lambda st: False) is None
    got = proc_tree.take_proven(victim.pid, lambda st: st.ppid == os.getpid())
    assert got is not None
    fd, stat = got
    try:
        assert stat.ppid == os.getpid() and not proc_tree.exited(fd)
    finally:
        proc_tree.close(fd)
    victim.kill()
    deadline = time.monotonic() + 5
    while not proc_tree.read_stat(victim.pid).ended and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc_tree.take_proven(victim.pid, lambda st: True) is None, "a zombie is not taken"
    victim.wait()
    assert proc_tree.take_proven(victim.pid, lambda st: True) is None, "nor a reaped number"
