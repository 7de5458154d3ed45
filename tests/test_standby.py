"""A runner on standby: a Run starts in it at once; unused, it ends with the app and leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from control.session import RunSpec, Session
from control.standby import Standby
from tests.helpers import alive, lanes_by_name, still_alive

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = textwrap.dedent(
    """
    import os
    import sys
    from multiprocessing import Process, Queue

    def child(q):
        q.put(os.getcwd())

    if __name__ == "__main__":
        q = Queue()
        p = Process(target=child, args=(q,))
        p.start()
        print("argv", sys.argv[1:], "got", q.get() == os.getcwd())
        p.join()
        raise SystemExit(3)
    """
)


def _script(tmp_path) -> str:
    path = tmp_path / "script.py"
    path.write_text(SCRIPT)
    return str(path)


def _run(session: Session, standby: Standby | None) -> None:
    session.start(standby)
    assert session.wait_finished(30)


def test_a_run_starts_in_the_runner_on_standby(tmp_path):
    standby = Standby()
    assert standby.ready(30)
    runner = standby.proc.pid
    session = Session(RunSpec(_script(tmp_path), ["a", "b"], "spawn"))
    _run(session, standby)
    assert session.runner_pid == runner
    lanes = lanes_by_name(session.recording)
    assert lanes["MainProcess"].pid == runner
    assert lanes["MainProcess"].exitcode == 3 and session.exit_code == 3
    assert lanes["Process-1"].exitcode == 0
    assert len(session.recording.messages.complete()) == 1
    printed = [m.data.get("text") for m in lanes["MainProcess"].markers if m.kind == "print"]
    assert printed == ["argv ['a', 'b'] got True"], "its arguments, and the app's folder as cwd"
    assert standby.proc is None and standby.take({}) is None, "taken once, then it is the run's"
    assert still_alive({lane.pid for lane in session.recording.lanes.values()}) == set()


def test_a_standby_closed_unused_ends_at_once(tmp_path):
    standby = Standby()
    assert standby.ready(30)
    pid = standby.proc.pid
    t0 = time.monotonic()
    standby.close()
    assert time.monotonic() - t0 < 2.0
    assert not alive(pid)


def test_a_standby_that_died_waiting_is_replaced_by_a_fresh_runner(tmp_path):
    standby = Standby()
    assert standby.ready(30)
    dead = standby.proc.pid
    os.kill(dead, signal.SIGKILL)
    standby.proc.join(5)
    session = Session(RunSpec(_script(tmp_path), [], "fork"))
    _run(session, standby)
    assert session.runner_pid != dead
    assert session.exit_code == 3
    assert lanes_by_name(session.recording)["Process-1"].exitcode == 0


HOST = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from control.standby import Standby

    if __name__ == "__main__":
        standby = Standby()
        assert standby.ready(30)
        print(standby.proc.pid, flush=True)
        {end}
    """
)


def _host(tmp_path, end: str) -> subprocess.Popen:
    host = tmp_path / "host.py"
    host.write_text(HOST.format(root=ROOT, end=end))
    return subprocess.Popen([sys.executable, str(host)], stdout=subprocess.PIPE, text=True)


def test_an_app_that_exits_without_closing_its_standby_does_not_wait_on_it(tmp_path):
    with _host(tmp_path, "pass") as proc:
        pid = int(proc.stdout.readline())
        assert proc.wait(10) == 0
    assert still_alive({pid}, timeout=2.0) == set()


def test_an_app_killed_by_sigkill_takes_its_standby_with_it(tmp_path):
    with _host(tmp_path, "import time; time.sleep(60)") as proc:
        try:
            pid = int(proc.stdout.readline())
            assert alive(pid)
            proc.kill()
            proc.wait(5)
            assert still_alive({pid}, timeout=3.0) == set()
        finally:
            proc.kill()
