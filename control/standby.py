"""A runner started before its run: Run then costs a message, not a new interpreter. Qt-free.

Spawning the runner (a fresh interpreter importing multiprocessing and the tracer) took ~70 ms
of every run (bench/overhead.py). The window keeps one runner on standby while it is idle
(gui/run_controller.py); a Session takes it, or starts one and takes it at once when none is
ready (the same path: one way to start a runner). A standby that is never taken ends when the
app closes it, or, if the app dies, when its order pipe reaches end of file.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from multiprocessing import util
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from workers import runner

PIPE_BYTES = 1 << 20


class Standby:
    """A spawned runner waiting for its spec, with the event channel it will write to."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")  # never fork a process that may have Qt
        reader, writer = ctx.Pipe(duplex=False)
        _enlarge_pipe(reader)
        orders, theirs = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=runner.standby, args=(theirs, writer), name="mpscope-runner")
        proc.start()
        writer.close()
        theirs.close()
        self.proc: BaseProcess | None = proc
        self.reader: Connection | None = reader
        self._orders: Connection | None = orders
        self._ready = False
        # Ended before multiprocessing joins its children at exit (exitpriority >= 0 runs
        # first): an app quitting without closing it would otherwise wait on it forever.
        self._at_exit = util.Finalize(self, _end, args=(proc, reader, orders), exitpriority=10)

    def ready(self, timeout: float = 0.0) -> bool:
        """Has it loaded everything (waiting up to ``timeout`` s to know)?"""
        orders = self._orders
        if not self._ready and orders is not None:
            with contextlib.suppress(EOFError, OSError):
                if orders.poll(timeout):
                    self._ready = orders.recv_bytes() == runner.READY
        return self._ready

    def take(self, spec: dict) -> tuple[BaseProcess, Connection] | None:
        """Hand it the run's spec; its process and event reader, now the caller's. None if it is
        no longer there (ended or killed while waiting): the caller starts another."""
        proc, reader, orders = self._hand_over()
        if proc is None or reader is None or orders is None:
            return None
        if proc.exitcode is None:
            try:
                orders.send(spec)
            except (OSError, ValueError):
                pass
            else:
                orders.close()
                return proc, reader
        _end(proc, reader, orders)
        return None

    def close(self) -> None:
        """End it unused (it runs nothing of the user's yet: a kill is clean)."""
        proc, reader, orders = self._hand_over()
        if proc is not None:
            _end(proc, reader, orders)

    def _hand_over(self) -> tuple[BaseProcess | None, Connection | None, Connection | None]:
        """What it holds, no longer its own."""
        self._at_exit.cancel()
        held = self.proc, self.reader, self._orders
        self.proc = self.reader = self._orders = None
        return held


def _end(proc: BaseProcess, *conns: Connection | None) -> None:
    for conn in conns:
        if conn is not None:
            conn.close()
    if proc.exitcode is None:
        proc.kill()
    proc.join(2.0)


def _enlarge_pipe(conn: Connection) -> None:
    """A 64 KiB pipe holds ~2,000 events: between two drains the watched processes would block.
    Linux lets a pipe grow to 1 MiB (the default /proc/sys/fs/pipe-max-size); elsewhere, or if
    refused, the default stays."""
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setsize is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(conn.fileno(), setsize, PIPE_BYTES)
