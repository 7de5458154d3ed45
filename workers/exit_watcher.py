"""Seeing a child exit from the outside, without reaping it.

A child killed by a signal says nothing, so its end is observed by its parent: one thread per
process waits on a private copy of each child's sentinel. It reads the exit code with
``waitid(WNOWAIT)``, which leaves the child a zombie until the script's own ``join()`` (or
``is_alive()``) reaps it, so the zombie span on the timeline is the real one.
"""

from __future__ import annotations

import os
import threading
import time
from multiprocessing.connection import wait
from typing import Any

from workers import fault_capture, own_fds, tracer
from workers.events import K_EXITED, now_ns
from workers.patch_sleep import original_sleep

_WNOWAIT_FLAGS = getattr(os, "WEXITED", 0) | getattr(os, "WNOWAIT", 0)


class ExitWatcher:
    """Its descriptors (the sentinel copies, the pipe that wakes its thread) are mpscope's, in
    workers/own_fds.py: when the program closes them (a daemon closing what it inherited) the
    watcher forgets them, and never reads, writes or closes a number that is the program's now.
    Nothing here calls own_fds while holding ``_lock``: own_fds calls back into the watcher
    under its own lock while the program closes descriptors."""

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._after_fork)

    def _reset(self) -> None:
        self._lock = threading.RLock()  # re-entrant: a signal handler may start a process
        self._items: dict[int, tuple[int, Any]] = {}
        self._wake: tuple[int, int] | None = None  # (read, write): made with the thread
        self._thread: threading.Thread | None = None
        self._idle = threading.Condition(self._lock)

    def _after_fork(self) -> None:
        """The parent's children are not the forked child's: drop their sentinels."""
        for fd in [*self._items, *(self._wake or ())]:
            own_fds.close(fd)
        self._reset()

    def watch(self, popen: Any) -> None:
        """Report when ``popen``'s process exits."""
        fd = own_fds.dup(popen.sentinel, self._sentinel_closing)
        wake = self._wake_pipe()
        with self._lock:
            self._items[fd] = (popen.pid, popen)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="mpscope-exit-watch", daemon=True
                )
                self._thread.start()
        own_fds.write(wake[1], b"x")

    def settle(self, timeout: float) -> None:
        """Wait (bounded) until every child that has already ended has been reported.

        A child already reaped by ``join()`` counts as ended: under forkserver, join reads the
        exit status out of the shared sentinel pipe, so our copy may never become readable.
        """
        if self._thread is None:
            return
        wake = self._wake
        if wake is not None:
            own_fds.write(wake[1], b"s")
        with self._lock:
            self._idle.wait_for(lambda: not self._ready_items() and not self._reaped(), timeout)

    def _wake_pipe(self) -> tuple[int, int]:
        """The pipe that wakes the thread, made anew if the program closed the last one."""
        wake = self._wake
        if wake is not None:
            return wake
        new = own_fds.pipe(self._wake_closing)
        with self._lock:
            if self._wake is None:
                self._wake, new = new, None
            wake = self._wake
        for fd in new or ():  # another thread made one first
            own_fds.close(fd)
        return wake

    def _wake_closing(self, _fd: int, _how: str) -> None:
        """The program is closing an end of the wake pipe: close the other end if it is still
        ours (the thread's wait sees the end of file and wakes); the thread makes a new pipe."""
        with self._lock:
            wake, self._wake = self._wake, None
        for fd in wake or ():
            own_fds.close(fd)

    def _sentinel_closing(self, fd: int, _how: str) -> None:
        """The program is closing our copy of a child's sentinel: that exit goes unseen here."""
        with self._lock:
            self._items.pop(fd, None)
            self._idle.notify_all()

    def _reaped(self) -> list[int]:
        return [fd for fd, (_pid, popen) in self._items.items() if popen.returncode is not None]

    def _ready_items(self) -> list[int]:
        return wait(list(self._items), 0) if self._items else []

    def _loop(self) -> None:
        while True:
            try:
                self._once()
            except OSError:  # one of ours closed by the program between listing and waiting
                self._forget_closed()

    def _forget_closed(self) -> None:
        """Forget the descriptors that are no longer ours (the owner callbacks usually have
        already: this is for a close that raced the wait), so the next wait does not fail.
        own_fds is asked outside ``_lock`` (see the class's docstring)."""
        with self._lock:
            items, wake = list(self._items), self._wake
        gone = [fd for fd in items if not own_fds.is_ours(fd)]
        with self._lock:
            for fd in gone:
                self._items.pop(fd, None)
            self._idle.notify_all()
        if wake is not None and not all(own_fds.is_ours(fd) for fd in wake):
            self._wake_closing(wake[0], "")

    def _once(self) -> None:
        """Wait for a child's end (or a wake), then report every child that has ended."""
        wake = self._wake_pipe()
        with self._lock:
            fds = [*self._items, wake[0]]
        ready = wait(fds)
        if wake[0] in ready:
            if own_fds.is_ours(wake[0]):
                os.read(wake[0], 512)
            else:  # closed behind the wrappers' back: a new pipe, or this loop would spin
                self._wake_closing(wake[0], "")
        with self._lock:
            # ready again now: a number in `ready` may have been closed by the program and
            # claimed since for another child's sentinel
            seen = wait([fd for fd in ready if fd in self._items], 0)
            ended = set(self._reaped()) | set(seen)
        for fd in ended:
            self._report(fd)
        with self._lock:
            self._idle.notify_all()

    def _report(self, fd: int) -> None:
        """Emit the exit, then forget the child: ``settle`` waits until both are done."""
        ts = now_ns()
        with self._lock:
            item = self._items.get(fd)
        if item is None:  # its sentinel copy was closed by the program meanwhile
            return
        pid, popen = item
        code, own = _peek_exit_code(pid, popen)
        data = {"code": code, "by": tracer.pid(), "zombie": own}
        if code is None or code < 0:  # a signal, or not known here (a fork server's child)
            fault = fault_capture.read(pid, code)
            if fault:
                data["fault"] = fault
        tracer.emit_event((K_EXITED, pid, ts, 0, data))
        with self._lock:
            self._items.pop(fd, None)
            self._idle.notify_all()
        own_fds.close(fd)


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


WATCHER = ExitWatcher()
