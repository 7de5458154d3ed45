"""ExitWatcher: the runner's last wait for the exits of its children to be reported (settle), and
the exit code of a child that join() reaped at the same moment as the watcher looked.

Each check runs in a fresh interpreter (it forks and leaves the watcher's thread behind).
"""

from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PRELUDE = """
import os, sys, time
from workers import exit_watcher
got = []
def slow_emit(ev):  # the report of an exit takes a while to go out
    time.sleep(0.3)
    got.append(ev)
exit_watcher.tracer.emit_event = slow_emit
w = exit_watcher.ExitWatcher()
"""

REPORT_IN_FLIGHT = """
import multiprocessing as mp
p = mp.get_context("fork").Process(target=os._exit, args=(0,))
p.start()
w.watch(p._popen)
time.sleep(0.1)  # the child has exited; the watcher is busy reporting it
w.settle(timeout=2.0)
print(len(got))
p.join()
"""

STATUS_ALREADY_READ = """
class Popen:  # a fork server's child whose status join() has already read from the sentinel
    pass
Popen.__module__ = "multiprocessing.popen_forkserver"
r, keep_open = os.pipe()  # the fork server has not closed its end yet
popen = Popen()
popen.pid, popen.sentinel, popen.returncode = os.getppid(), r, None
w.watch(popen)
popen.returncode = 0  # join() read the exit status: the child has ended
w.settle(timeout=1.0)
print(len(got))
os.close(keep_open)
"""


REAPED_AT_THE_SAME_MOMENT = """
import multiprocessing as mp, threading
p = mp.get_context("fork").Process(target=os._exit, args=(7,))
p.start()
popen = p._popen
_pid, status = os.waitpid(p.pid, 0)  # join() in another thread has reaped it, and sets
threading.Timer(0.05, lambda: setattr(popen, "returncode", os.waitstatus_to_exitcode(status))).start()
code, own = exit_watcher._peek_exit_code(p.pid, popen)  # returncode a moment later
print(code if own else -1000)
"""


def run_check(body: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", PRELUDE + body],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0, out.stderr
    return int(out.stdout.split()[-1])


def test_settle_waits_for_a_report_in_flight():
    assert run_check(REPORT_IN_FLIGHT) == 1


def test_settle_reports_a_child_whose_status_join_already_read():
    assert run_check(STATUS_ALREADY_READ) == 1


def test_a_child_reaped_by_join_at_the_same_moment_keeps_its_exit_code():
    """Read at once, the code was None under load, and the exited marker lost the exit code
    and the segfault report (3 in 120 runs of the crashes scenario)."""
    assert run_check(REAPED_AT_THE_SAME_MOMENT) == 7
