"""Raw ``os.fork()``, ``os.waitpid()`` and ``os._exit()`` as events, for scripts that compare
multiprocessing with fork (the lesson's homework) or that end a process abruptly.

A raw fork child inherits the tracer (the event pipe, patched modules); it is announced here with
the name its creator has plus " (os.fork)", since multiprocessing does not name it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import Any

from workers import callsite, tracer
from workers.events import K_CREATED, K_JOINED, K_STARTED, S_BLOCKED, now_ns

_orig: dict[str, Any] = {}


def _child_name() -> str:
    from multiprocessing import process

    return f"{process.current_process().name} (os.fork)"


def traced_fork() -> int:
    if _called_from_multiprocessing():
        return _orig["fork"]()
    t0, line, parent = now_ns(), callsite.user_line(), tracer.pid()
    name = _child_name()
    pid = _orig["fork"]()
    if pid == 0:
        data = {"name": name, "ppid": os.getppid(), "parent": parent, "daemon": False}
        tracer.emit(K_STARTED, tracer.pid(), line, data)
    else:
        data = {"name": name, "parent": parent, "daemon": False}
        tracer.emit_event((K_CREATED, pid, t0, line, data))
    return pid


def traced_waitpid(pid: int, options: int) -> tuple[int, int]:
    if _called_from_multiprocessing():
        return _orig["waitpid"](pid, options)
    line = callsite.user_line()
    blocking = not options & os.WNOHANG
    if blocking:
        tracer.push_state(S_BLOCKED, line, on="os.waitpid", tpid=pid)
    try:
        got, status = _orig["waitpid"](pid, options)
    finally:
        if blocking:
            tracer.pop_state(line)
    if got > 0:
        code = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else None
        tracer.emit(K_JOINED, got, line, {"code": code, "by": tracer.pid()})
    return got, status


_MP_DIR = os.path.dirname(os.path.abspath(multiprocessing.__file__)) + os.sep


def _called_from_multiprocessing() -> bool:
    """multiprocessing forks, reaps and exits with these calls too; its own patches report those."""
    caller = sys._getframe(2)
    return caller.f_code.co_filename.startswith(_MP_DIR)


def traced_exit(code: int) -> None:
    """``os._exit`` skips every handler: say the exit code and flush before it happens."""
    if _called_from_multiprocessing():
        _orig["_exit"](code)
    tracer.exit_status(int(code), None, callsite.user_line())
    tracer.shutdown()
    _orig["_exit"](code)


def install() -> None:
    if hasattr(os, "fork"):
        _orig["fork"] = os.fork
        os.fork = traced_fork
    _orig["waitpid"] = os.waitpid
    os.waitpid = traced_waitpid
    _orig["_exit"] = os._exit
    os._exit = traced_exit
