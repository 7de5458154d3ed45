"""The processes of one run as the kernel shows them: what Stop signals, and whose ends the app
sees. Qt-free.

Nothing here believes the run's events: they may only prompt a look. The runner is the app's
child and leads the run's session (sid == pgid == its pid). The app is its only reaper (it is
taken out of multiprocessing's list of children, which reaps on every Process.start), and reaps
it only when the run is over: until then the runner's number, and so its session's and group's,
cannot name anything else, and ``killpg`` of it reaches the run's group only. A process that left
the group or the session is the run's if the kernel shows it below a process of the run by parent
links; a pidfd is taken for it when first seen (proc_tree.take_proven), which still reaches it
after its parent has gone and never reaches a process that got its number later.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from multiprocessing import process
from multiprocessing.process import BaseProcess

from workers import proc_tree
from workers.events import now_ns
from workers.proc_tree import Stat

SCAN_EVERY_S = 0.1  # a look at /proc at most this often (0.5 ms per 76 processes here) ...
PROMPTED_GAP_S = 0.02  # ... or this soon after the last when the events name a new process
GONE_WAIT_S = 2.0  # after SIGKILL, how long Stop waits for the run's processes to be gone
_EXITED_NOT_REAPED = os.WEXITED | os.WNOHANG | os.WNOWAIT


class RunTree:
    """The runner and every process of its run the kernel has shown so far."""

    def __init__(self, proc: BaseProcess) -> None:
        self._proc = proc
        self.runner: int = proc.pid
        process._children.discard(proc)  # nothing of multiprocessing's may reap it: we do
        self.runner_fd = proc_tree.open_pidfd(self.runner)  # ours, unreaped: it is the runner
        self._fds: dict[int, int] = {}  # pid -> pidfd: the run's processes seen alive
        self._seen: dict[int, Stat] = {}  # the run's processes seen alive, as first seen
        self._ended: list[tuple[int, int, bool]] = []  # (pid, ns, still a zombie) seen to end
        self._last_scan = 0.0
        self.reaped = False

    # ---- the runner ---------------------------------------------------------------------------
    def runner_exit(self) -> int | None:
        """The runner's exit code once it has exited (as Process.exitcode says it), else None.
        Does not reap it: ``waitid(WNOWAIT)``."""
        if self.reaped:
            return self._proc.exitcode
        try:
            info = os.waitid(os.P_PID, self.runner, _EXITED_NOT_REAPED)
        except ChildProcessError:  # reaped behind our back: only its Popen can know the code
            self.reaped = True
            return self._proc.exitcode
        if info is None:
            return None
        return info.si_status if info.si_code == os.CLD_EXITED else -info.si_status

    def _runner_unreaped(self) -> bool:
        """Is the runner's number still the runner's (alive, or a zombie we have not reaped)?"""
        if self.reaped:
            return False
        try:
            os.waitid(os.P_PID, self.runner, _EXITED_NOT_REAPED)
        except ChildProcessError:
            self.reaped = True
        return not self.reaped

    def release(self) -> None:
        """The run is over and nothing more will be signalled: reap the runner, close the pidfds."""
        if not self.reaped and self.runner_exit() is not None:
            self._proc.join()  # a zombie: waitpid returns at once, and Process.exitcode is set
            self.reaped = True
        for fd in self._fds.values():
            proc_tree.close(fd)
        self._fds.clear()
        self._seen.clear()
        if self.runner_fd is not None:
            proc_tree.close(self.runner_fd)
            self.runner_fd = None

    # ---- looking ------------------------------------------------------------------------------
    def watch(self, prompted: bool = False) -> None:
        """Look at /proc if it is time to: every SCAN_EVERY_S, or sooner when ``prompted`` (the
        events named a process not seen before)."""
        since = time.monotonic() - self._last_scan
        if since >= SCAN_EVERY_S or (prompted and since >= PROMPTED_GAP_S):
            self.scan()

    def scan(self) -> list[int]:
        """Note which processes of the run have ended, take a pidfd for each new one the kernel
        shows; return the new pids."""
        self._last_scan = time.monotonic()
        if not self._runner_unreaped():
            return []
        table = proc_tree.snapshot()
        self._note_ended(table)
        anchors = {self.runner, *self._fds}
        before = set(self._fds)
        proc_tree.adopt(table, self.runner, anchors, self._fds, self._proves)
        new = [pid for pid in self._fds if pid not in before]
        for pid in new:
            self._seen[pid] = table[pid]
        self._seen_without_pidfd(table)
        return new

    def _proves(self, stat: Stat) -> bool:
        """Is a process with this stat, read now, the run's? In the run's session (while the
        runner is unreaped, no other session has its number), or a child of the runner or of a
        process of the run held by a live pidfd (checked after the stat was read)."""
        if stat.sid == self.runner or stat.ppid == self.runner:
            return True
        parent = self._fds.get(stat.ppid)
        return parent is not None and not proc_tree.exited(parent)

    def _seen_without_pidfd(self, table: dict[int, Stat]) -> None:
        """Without pidfds (or out of descriptors), the run's session members are still noted, so
        their ends are seen; the group signal covers them."""
        for pid, stat in table.items():
            if stat.sid == self.runner and pid != self.runner and not stat.ended:
                self._seen.setdefault(pid, stat)

    def _note_ended(self, table: dict[int, Stat]) -> None:
        """Processes seen before that have exited: by their pidfd, else by /proc (gone, a
        zombie, or its number now another process's)."""
        exited = proc_tree.exited_among(self._fds.values())
        ts = now_ns()
        for pid, first in list(self._seen.items()):
            fd = self._fds.get(pid)
            if fd is not None:
                gone = fd in exited
            else:
                now = table.get(pid)
                gone = now is None or now.start != first.start or now.ended
            if gone:
                later = proc_tree.read_stat(pid)
                zombie = later is not None and later.start == first.start and later.ended
                self._ended.append((pid, ts, zombie))
                del self._seen[pid]
                if fd is not None:
                    proc_tree.close(self._fds.pop(pid))

    def take_ended(self) -> list[tuple[int, int, bool]]:
        """(pid, when, whether still a zombie) of the run's processes seen to end since last
        asked: the app's own observation, for processes nobody in the run reports (an exec'd
        child, a child whose parent has gone)."""
        ended, self._ended = self._ended, []
        return ended

    @property
    def alive(self) -> set[int]:
        """The run's processes (the runner aside) alive at the last look."""
        return set(self._seen)

    # ---- ending -------------------------------------------------------------------------------
    def end(self, wait: bool = True) -> set[int]:
        """Kill the run: its group, while the runner is unreaped, and every process of it held
        by a pidfd. First everything found is stopped (SIGSTOP) and /proc read again until no
        new process turns up, so none is forked out of reach meanwhile. Return the pids killed
        (as the kernel showed them, the runner included); ``wait``: until they are gone."""
        self.scan()
        self._signal(signal.SIGSTOP)
        for _ in range(proc_tree.FREEZE_ROUNDS):
            if not self.scan():
                break
            self._signal(signal.SIGSTOP)
        killed = {self.runner, *self._seen}
        self._signal(signal.SIGKILL)
        if wait:
            fds = [*self._fds.values(), *([self.runner_fd] if self.runner_fd is not None else [])]
            proc_tree.wait_exited(fds, GONE_WAIT_S)
            self._wait_runner(GONE_WAIT_S)
        return killed

    def _wait_runner(self, timeout: float) -> None:
        """Until the runner has exited (not reaped), or ``timeout``: without a pidfd to wait on,
        by looking every few ms."""
        deadline = time.monotonic() + timeout
        while self.runner_exit() is None and time.monotonic() < deadline:
            time.sleep(0.005)

    def _signal(self, sig: int) -> None:
        if self._runner_unreaped():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.runner, sig)  # no such group before the runner's setsid
            self._signal_runner(sig)
        for fd in self._fds.values():
            proc_tree.send(fd, sig)

    def _signal_runner(self, sig: int) -> None:
        """The runner itself, while it is unreaped (called right after that was checked)."""
        if self.runner_fd is not None:
            proc_tree.send(self.runner_fd, sig)
        else:  # no pidfds here: our unreaped child's number is still our child's
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.runner, sig)
