"""Seeing a child exit from the outside, without reaping it.

A child killed by a signal says nothing, so its end is observed by its parent: one thread per
process waits on a private copy of each child's sentinel. It reads the exit code with
``waitid(WNOWAIT)``, which leaves the child a zombie until the script's own ``join()`` (or
``is_alive()``) reaps it, so the zombie span on the timeline is the real one.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from multiprocessing.connection import wait
from typing import Any

from workers import fault_capture, tracer
from workers.events import K_EXITED, now_ns
from workers.patch_sleep import original_sleep

_WNOWAIT_FLAGS = getattr(os, "WEXITED", 0) | getattr(os, "WNOWAIT", 0)


class ExitWatcher:
    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._after_fork)

    def _reset(self) -> None:
        self._lock = threading.RLock()  # re-entrant: a signal handler may start a process
        self._items: dict[int, tuple[int, Any]] = {}
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None
        self._idle = threading.Condition(self._lock)

    def _after_fork(self) -> None:
        """The parent's children are not the forked child's: drop their sentinels."""
        for fd in list(self._items):
            _close(fd)
        for fd in (self._wake_r, self._wake_w):
            _close(fd)
        self._reset()

    def watch(self, popen: Any) -> None:
        """Report when ``popen``'s process exits."""
        fd = os.dup(popen.sentinel)
        with self._lock:
            self._items[fd] = (popen.pid, popen)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="mpscope-exit-watch", daemon=True
                )
                self._thread.start()
        os.write(self._wake_w, b"x")

    def settle(self, timeout: float) -> None:
        """Wait (bounded) until every child that has already ended has been reported.

        A child already reaped by ``join()`` counts as ended: under forkserver, join reads the
        exit status out of the shared sentinel pipe, so our copy may never become readable.
        """
        if self._thread is None:
            return
        os.write(self._wake_w, b"s")
        with self._lock:
            self._idle.wait_for(lambda: not self._ready_items() and not self._reaped(), timeout)

    def _reaped(self) -> list[int]:
        return [fd for fd, (_pid, popen) in self._items.items() if popen.returncode is not None]

    def _ready_items(self) -> list[int]:
        return wait(list(self._items), 0) if self._items else []

    def _loop(self) -> None:
        while True:
            with self._lock:
                fds = [*self._items, self._wake_r]
            ready = wait(fds)
            if self._wake_r in ready:
                os.read(self._wake_r, 512)
            with self._lock:
                ended = set(self._reaped()) | {fd for fd in ready if fd in self._items}
            for fd in ended:
                self._report(fd)
            with self._lock:
                self._idle.notify_all()

    def _report(self, fd: int) -> None:
        """Emit the exit, then forget the child: ``settle`` waits until both are done."""
        ts = now_ns()
        with self._lock:
            pid, popen = self._items[fd]
        code, own = _peek_exit_code(pid, popen)
        data = {"code": code, "by": tracer.pid(), "zombie": own}
        if code is None or code < 0:  # a signal, or not known here (a fork server's child)
            fault = fault_capture.read(pid, tries=5 if code is not None else 1)
            if fault:
                data["fault"] = fault
        tracer.emit_event((K_EXITED, pid, ts, 0, data))
        with self._lock:
            del self._items[fd]
            self._idle.notify_all()
        _close(fd)


def _peek_exit_code(pid: int, popen: Any) -> tuple[int | None, bool]:
    """(exit code, whether the child is ours to reap) without reaping it.

    A forkserver child belongs to the fork server, which reaps it at once: no zombie for us.
    """
    if not _WNOWAIT_FLAGS:
        return popen.returncode, False
    try:
        info = os.waitid(os.P_PID, pid, _WNOWAIT_FLAGS)
    except ChildProcessError:  # reaped already: by a thread of ours (join), or the fork server
        code = _reaped_code(popen)
        return code, code is not None and _is_own(popen)
    if info is None:
        return None, True
    if info.si_code == os.CLD_EXITED:
        return info.si_status, True
    return -info.si_status, True


def _reaped_code(popen: Any) -> int | None:
    """The exit code of a child that a thread of ours has just reaped: that thread sets
    ``returncode`` a moment after its waitpid returns, and read at once it was still None
    (seen 3 times in 120 runs of the crashes scenario under load: the exit code and the
    segfault report were missing from the exited marker). A fork server's child gets its code
    only when its own Popen reads it from the server: never waited for here."""
    if not _is_own(popen):
        return popen.returncode
    deadline = time.monotonic() + REAPED_WAIT_S
    while popen.returncode is None and time.monotonic() < deadline:
        original_sleep(0.001)
    return popen.returncode


REAPED_WAIT_S = 1.0


def _is_own(popen: Any) -> bool:
    return type(popen).__module__ != "multiprocessing.popen_forkserver"


def _close(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


WATCHER = ExitWatcher()
