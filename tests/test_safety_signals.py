"""Nothing outside the run is ever signalled, and every lane ends (issue 16).

Stop, ``--stop-after`` and the app's death signal only what the kernel shows as the run's
(control/run_tree.py, workers/proc_tree.py), never a pid an event named, never a number that may
have been reaped. The app's signal calls are recorded (and any aimed at pid 1, 0, -1, the app or
its group is refused rather than sent: these tests run as root on a shared machine).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from control.session import RunSpec, Session
from model.recording import Recording
from tests.helpers import PROJECT_ROOT, alive, lanes_by_name, run_source, still_alive
from workers import proc_tree
from workers.events import STOP_KILLED, STOP_NOT_SIGNALLED

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


def _fd_pid(fd: int) -> int:
    """The pid a pidfd names now (-1 once its process is reaped), from /proc/self/fdinfo."""
    with open(f"/proc/self/fdinfo/{fd}", encoding="ascii") as f:
        for line in f:
            if line.startswith("Pid:"):
                return int(line.split()[1])
    return -1


def _unreaped_child(pid: int) -> bool:
    try:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except (ChildProcessError, OSError):
        return False
    return True


def _dangerous(target: int) -> bool:
    return target <= 1 or target in (os.getpid(), os.getpgrp())


@pytest.fixture
def sent(monkeypatch) -> list[Sent]:
    """Every signal the app sends during the test, as sent; the dangerous ones only recorded."""
    log: list[Sent] = []
    real_kill, real_killpg, real_pidfd = os.kill, os.killpg, signal.pidfd_send_signal

    def kill(pid: int, sig: int) -> None:
        log.append(Sent("kill", pid, sig, _unreaped_child(pid)))
        if not _dangerous(pid):
            real_kill(pid, sig)

    def killpg(pgid: int, sig: int) -> None:
        log.append(Sent("killpg", pgid, sig, _unreaped_child(pgid)))
        if not _dangerous(pgid):
            real_killpg(pgid, sig)

    def pidfd_send_signal(fd: int, sig: int, *args: object) -> None:
        target = _fd_pid(fd)
        log.append(Sent("pidfd", target, sig, _unreaped_child(target)))
        if not _dangerous(target):
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


def _run_to_end(tmp_path: Path, source: str, method: str = "fork") -> Session:
    """Run ``source`` traced to its end; stopped (and failed) if it has not ended in WAIT_S."""
    session = run_source(tmp_path / "script.py", textwrap.dedent(source), method, timeout=WAIT_S)
    assert not session.stopped, "the run did not end by itself"
    return session


def _drain_until(session: Session, done, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        if time.monotonic() > deadline:
            session.stop()
            pytest.fail(f"waited {WAIT_S} s for {what}")
        session.drain()
        time.sleep(0.01)


def _prints(rec: Recording) -> list[str]:
    return [
        m.data["text"] for lane in rec.lanes.values() for m in lane.markers if m.kind == "print"
    ]


def _printed(session: Session, prefix: str) -> list[str]:
    return [t for t in _prints(session.recording) if t.startswith(prefix)]


def assert_every_lane_ends(rec: Recording) -> None:
    open_lanes = [(lane.pid, lane.name) for lane in rec.lanes.values() if lane.end is None]
    assert open_lanes == [], f"lanes with no end after the run: {open_lanes}"


def _stop_how(rec: Recording, pid: int) -> str | None:
    stops = [m.data.get("how") for m in rec.lanes[pid].markers if m.kind == "stopped"]
    return stops[-1] if stops else None


# ---- forged pids ----------------------------------------------------------------------------
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
    _drain_until(session, lambda: len(session.recording.lanes) >= 7, "the forged lanes")
    rec = session.recording
    assert forged <= set(rec.lanes)
    run = set(rec.lanes) - forged  # the main process, its child, and under forkserver its server
    assert len(run) == (3 if method == "forkserver" else 2) and all(alive(p) for p in run)
    kernel_run = session_of(session.runner_pid)
    session.stop()
    assert victim.poll() is None and alive(victim.pid), "the victim outside the run was killed"
    assert still_alive(run | kernel_run) == set()
    assert_only_the_run_signalled(sent, session.runner_pid, run | kernel_run)
    assert not [s for s in sent if _dangerous(s.target) or s.target == victim.pid]
    assert_every_lane_ends(rec)
    assert {pid: _stop_how(rec, pid) for pid in forged} == dict.fromkeys(forged, STOP_NOT_SIGNALLED)
    assert {pid: _stop_how(rec, pid) for pid in run} == dict.fromkeys(run, STOP_KILLED)
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
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(site))
    env["MPSCOPE_TEST_SIGNAL_LOG"] = str(log)
    result = subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
    )
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
    _drain_until(session, lambda: _printed(session, "reaped"), "the reaping")
    _word, forked, code, spawned = _printed(session, "reaped")[0].split()
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
        _drain_until(session, escaped, "the escapes, and the daemon's middle process to leave")
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
ENDINGS = """
    import os, signal, sys, time

    def fork(then):
        pid = os.fork()
        if pid == 0:
            then()
        return pid

    if __name__ == "__main__":
        a = fork(lambda: os._exit(3))
        print("a", os.waitstatus_to_exitcode(os.wait()[1]), flush=True)
        b = fork(lambda: os.kill(os.getpid(), signal.SIGKILL))
        print("b", os.waitstatus_to_exitcode(os.waitpid(b, 0)[1]), flush=True)
        c = fork(lambda: os.execv("/bin/sleep", ["sleep", "0.1"]))
        info = os.waitid(os.P_PID, c, os.WEXITED)
        print("c", info.si_status, flush=True)
        d = fork(lambda: os.execv("/bin/sleep", ["sleep", "0.2"]))
        time.sleep(0.5)  # d ends meanwhile, and nobody waits for it: a zombie until we exit
        e = fork(lambda: os.execv("/bin/sleep", ["sleep", "0.4"]))
        print("pids", a, b, c, d, e, flush=True)
        sys.exit(5)  # e outlives the script: an orphan, still a process of the run
"""


def test_every_lane_ends_reaped_execd_or_orphaned(tmp_path):
    session = _run_to_end(tmp_path, ENDINGS)
    rec = session.recording
    plain = subprocess.run(
        [sys.executable, str(tmp_path / "script.py")],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    traced_lines = [t for t in _prints(rec) if not t.startswith("pids")]
    plain_lines = [t for t in plain.stdout.splitlines() if not t.startswith("pids")]
    assert traced_lines == plain_lines == ["a 3", "b -9", "c 0"]
    assert session.exit_code == plain.returncode == 5
    a, b, c, d, e = (int(p) for p in _printed(session, "pids")[0].split()[1:])
    lanes = rec.lanes
    assert (lanes[a].exitcode, lanes[b].exitcode, lanes[c].exitcode) == (3, -9, 0)
    assert all(lanes[p].joined is not None for p in (a, b, c)), "reaped by the program's waits"
    me = os.getpid()
    for pid in (d, e):  # exec'd, never waited for: their ends were seen by the app
        exits = [m for m in lanes[pid].markers if m.kind == "exited"]
        assert [m.data.get("by") for m in exits] == [me], lanes[pid].markers
    assert lanes[d].can_be_zombie, "d ended while its parent lived, unreaped"
    assert lanes[e].end > lanes[session.runner_pid].end, "the run went on while e lived"
    assert rec.end_ts >= lanes[e].end
    assert not alive(e)
    assert_every_lane_ends(rec)
    assert not [lane for lane in lanes.values() if _stop_how(rec, lane.pid)]


def test_a_stopped_end_is_a_lifecycle_marker_of_the_model_and_export(tmp_path):
    """The stopped end is a lifecycle marker like the others: the lane ends there with no zombie
    span, it is exported with its how, and a saved recording reopens with it."""
    from model import recording_file
    from model.trace_export import chrome_trace

    rec = Recording()
    rec.add(
        [
            ("started", 10, 100, 0, {"name": "MainProcess"}),
            ("started", 11, 150, 0, {"name": "Process-1"}),
            ("stopped", 11, 400, 0, {"by": 1, "how": STOP_KILLED}),
            ("stopped", 10, 400, 0, {"by": 1, "how": STOP_KILLED}),
            ("exited", 10, 420, 0, {"code": -9, "by": 1, "zombie": False}),
        ]
    )
    rec.finish(500)
    lanes = lanes_by_name(rec)
    child = lanes["Process-1"]
    assert child.end == 400 and child.exitcode is None
    assert [s.state for s in rec.segments(child)] == ["running"]
    assert rec.segments(child)[-1].end == 400
    assert lanes["MainProcess"].end == 420
    stops = [e for e in chrome_trace(rec)["traceEvents"] if e.get("name") == "stopped"]
    assert {(e["pid"], e["cat"], e["args"]["how"]) for e in stops} == {
        (10, "lifecycle", STOP_KILLED),
        (11, "lifecycle", STOP_KILLED),
    }
    recording_file.save(rec, str(tmp_path / "r.mpscope.json"))
    again, _meta = recording_file.load(str(tmp_path / "r.mpscope.json"))
    assert {p: (lane.end, lane.can_be_zombie) for p, lane in again.lanes.items()} == {
        10: (420, False),
        11: (400, False),
    }


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


def test_a_stopped_end_says_how_in_both_languages(qapp):
    from gui import app_setup, texts

    rec = Recording()
    rec.add([("started", 10, 100, 0, {"name": "Process-1"})])
    rec.add([("stopped", 10, 200, 0, {"by": 1, "how": STOP_KILLED})])
    lane = rec.lanes[10]
    marker = lane.markers[-1]
    try:
        assert texts.marker_text(lane, marker.kind, marker.data, {}).endswith(
            "stopped: ended by Stop"
        )
        assert app_setup.set_language("zh_CN")
        assert texts.marker_text(lane, marker.kind, marker.data, {}).endswith(
            "已停止: 被“停止”结束"
        )
    finally:
        app_setup.set_language("en")


STOPS = """
    import os, signal

    if __name__ == "__main__":
        pid = os.fork()
        if pid == 0:
            os.kill(os.getpid(), signal.SIGSTOP)
            os._exit(0)
        _pid, status = os.waitpid(pid, os.WUNTRACED)
        print("stopped by", os.WSTOPSIG(status), flush=True)
        os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
        print("then", os.waitstatus_to_exitcode(status), flush=True)
        print("pid", pid, flush=True)
"""


def test_a_wait_that_reports_a_stop_reaps_nothing(tmp_path):
    session = _run_to_end(tmp_path, STOPS)
    plain = subprocess.run(
        [sys.executable, str(tmp_path / "script.py")], capture_output=True, text=True, timeout=30
    )
    traced = _prints(session.recording)
    assert traced[:2] == plain.stdout.splitlines()[:2] == ["stopped by 19", "then -9"]
    child = session.recording.lanes[int(traced[2].split()[1])]
    joins = [m.data["code"] for m in child.markers if m.kind == "joined"]
    assert joins == [-9], "one reaping, with the kill's code; the stop reaped nothing"
    assert session.exit_code == plain.returncode == 0
    assert_every_lane_ends(session.recording)


def test_without_pidfds_stop_falls_back_to_the_group_only(start, victim, sent, monkeypatch):
    monkeypatch.setattr(proc_tree, "HAVE_PIDFD", False)
    session = start(FORGER, "fork", str(victim.pid))
    _drain_until(session, lambda: len(session.recording.lanes) >= 7, "the forged lanes")
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
