"""A crash's last words: faulthandler writes each process's fatal-signal traceback to a file of
its own in the run's scratch folder, and the parent that sees the child die by a signal reads it.

faulthandler writes straight to a file descriptor at the moment of the crash, below sys.stderr,
so the printed-line capture cannot see it; a file per pid can.
"""

from __future__ import annotations

import faulthandler
import os
import signal

from workers import own_fds, tracer
from workers.patch_sleep import original_sleep

MAX_TEXT = 3000
_file = None


def _path(pid: int) -> str | None:
    scratch = tracer.config().get("scratch")
    return os.path.join(scratch, f"fault-{pid}.txt") if scratch else None


def install() -> None:
    _enable()
    os.register_at_fork(after_in_child=_enable)


def _enable() -> None:
    """Its descriptor is mpscope's (workers/own_fds.py): never closed by a file object (at the
    interpreter's end it could be a file of the program's by then); a forked child closes its
    parent's copy, and the program closing it turns the crash report off."""
    global _file
    if _file is not None:  # a forked child: the parent's report file
        own_fds.close(_file.fileno())
        _file = None
    path = _path(os.getpid())
    if path is None or not os.path.isdir(os.path.dirname(path)):
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    _file = open(own_fds.claim(fd, _closing), "w", closefd=False)  # noqa: SIM115 (kept open)
    faulthandler.enable(file=_file, all_threads=True)


def _closing(_fd: int, _how: str) -> None:
    global _file
    faulthandler.disable()
    _file = None


# The signals faulthandler reports; a death by any other (SIGTERM, SIGKILL) leaves no report
# to wait for: waiting for one cost every sibling's exit 50 ms (they are reported one by one).
_REPORTED = frozenset(
    -getattr(signal, name) for name in ("SIGSEGV", "SIGFPE", "SIGABRT", "SIGBUS", "SIGILL")
)


def read(pid: int, code: int | None) -> str:
    """What faulthandler wrote for ``pid``, which ended with exit ``code`` (None: not known
    here), or "". A few short retries for a fault: the report may land a moment after the
    parent sees the child go."""
    path = _path(pid)
    if path is None or (code is not None and code not in _REPORTED):
        return ""
    tries = 5 if code is not None else 1
    text = ""
    for _ in range(tries):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            return ""
        if text:
            break
        original_sleep(0.01)
    return text if len(text) <= MAX_TEXT else text[-MAX_TEXT:]
