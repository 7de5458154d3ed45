"""No process outlives its run: Stop, a crashed runner, and the app itself killed by SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from control.session import RunSpec, Session
from tests.helpers import alive, still_alive

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FOREVER = textwrap.dedent(
    """
    import time
    from multiprocessing import Process

    def child(n):
        if n == 0:
            Process(target=child, args=(1,)).start()  # a grandchild too
        while True:
            time.sleep(0.05)

    if __name__ == "__main__":
        for _ in range(2):
            Process(target=child, args=(0,)).start()
        while True:
            time.sleep(0.05)
    """
)


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "script.py"
    path.write_text(text)
    return str(path)


def _start_and_wait_for(session: Session, lanes: int) -> list[int]:
    session.start()
    deadline = time.monotonic() + 15
    while len(session.recording.lanes) < lanes and time.monotonic() < deadline:
        session.drain()
        time.sleep(0.02)
    pids = list(session.recording.lanes)
    assert len(pids) >= lanes, pids
    return pids


def test_stop_ends_children_and_grandchildren(tmp_path):
    session = Session(RunSpec(_write(tmp_path, FOREVER), start_method="fork"))
    pids = _start_and_wait_for(session, 5)
    assert all(alive(p) for p in pids)
    t0 = time.monotonic()
    session.stop()
    assert still_alive(set(pids), timeout=2.0) == set()
    assert time.monotonic() - t0 < 2.0
    assert not session.running()


def test_a_killed_runner_takes_its_children_with_it(tmp_path):
    session = Session(RunSpec(_write(tmp_path, FOREVER), start_method="spawn"))
    pids = _start_and_wait_for(session, 5)
    os.kill(session.runner_pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while session.running() and time.monotonic() < deadline:
        session.drain()
        time.sleep(0.02)
    assert session.exit_code == -signal.SIGKILL
    assert still_alive(set(pids), timeout=2.0) == set()


HOST = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from control.session import RunSpec, Session

    if __name__ == "__main__":
        session = Session(RunSpec({script!r}, start_method="fork"))
        session.start()
        while len(session.recording.lanes) < 5:
            session.drain()
            time.sleep(0.02)
        print(" ".join(map(str, session.recording.lanes)), flush=True)
        time.sleep(60)
    """
)


def test_the_app_killed_by_sigkill_leaves_no_process(tmp_path):
    script = _write(tmp_path, FOREVER)
    host = tmp_path / "host.py"
    host.write_text(HOST.format(root=ROOT, script=script))
    with subprocess.Popen([sys.executable, str(host)], stdout=subprocess.PIPE, text=True) as proc:
        try:
            pids = {int(p) for p in proc.stdout.readline().split()}
            assert len(pids) >= 5 and all(alive(p) for p in pids)
            proc.kill()
            proc.wait(5)
            assert still_alive(pids, timeout=3.0) == set()
        finally:
            proc.kill()
