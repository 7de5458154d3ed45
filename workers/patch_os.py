"""Raw ``os.fork()``, the ``os.wait*()`` family and ``os._exit()`` as events, for scripts that
compare multiprocessing with fork (the lesson's homework) or that end a process abruptly.

A raw fork child inherits the tracer (the event pipe, patched modules); it is announced here with
the name its creator has plus " (os.fork)", since multiprocessing does not name it. A wait that
reaps a child ends its lane (joined), whichever call the program used; an ``exec`` flushes what
the process said first, since the program it becomes has no tracer.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import Any

from workers import callsite, tracer
from workers.events import K_CREATED, K_JOINED, K_STARTED, S_BLOCKED, now_ns
from workers.reprs import exit_code, plain_int, plain_str

_orig: dict[str, Any] = {}


def _child_name() -> str:
    from multiprocessing import process

    return plain_str(process.current_process().name) + " (os.fork)"


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
        _forked.add(pid)
        data = {"name": name, "parent": parent, "daemon": False}
        tracer.emit_event((K_CREATED, pid, t0, line, data))
    return pid


def traced_waitpid(pid: int, options: int) -> tuple[int, int]:
    if _called_from_multiprocessing():
        return _orig["waitpid"](pid, options)
    got, status = _waiting(_orig["waitpid"], (pid, options), options, "os.waitpid", pid)
    _reaped(got, status)
    return got, status


def traced_wait() -> tuple[int, int]:
    if _called_from_multiprocessing():
        return _orig["wait"]()
    got, status = _waiting(_orig["wait"], (), 0, "os.wait")
    _reaped(got, status)
    return got, status


def traced_wait3(options: int) -> tuple[int, int, Any]:
    if _called_from_multiprocessing():
        return _orig["wait3"](options)
    got, status, usage = _waiting(_orig["wait3"], (options,), options, "os.wait3")
    _reaped(got, status)
    return got, status, usage


def traced_wait4(pid: int, options: int) -> tuple[int, int, Any]:
    if _called_from_multiprocessing():
        return _orig["wait4"](pid, options)
    got, status, usage = _waiting(_orig["wait4"], (pid, options), options, "os.wait4", pid)
    _reaped(got, status)
    return got, status, usage


def traced_waitid(idtype: int, ident: int, options: int) -> Any:
    """Reaps only an exit, and not with WNOWAIT (which looks without reaping, as mpscope does)."""
    if _called_from_multiprocessing():
        return _orig["waitid"](idtype, ident, options)
    tpid = ident if idtype == os.P_PID else None
    info = _waiting(_orig["waitid"], (idtype, ident, options), options, "os.waitid", tpid)
    reaped = info is not None and not options & getattr(os, "WNOWAIT", 0)
    if reaped and _is_exit(info.si_code) and _has_lane(info.si_pid):
        code = info.si_status if info.si_code == os.CLD_EXITED else -info.si_status
        tracer.emit(K_JOINED, info.si_pid, _line(), {"code": code, "by": tracer.pid()})
    return info


def _is_exit(si_code: int) -> bool:
    return si_code in (os.CLD_EXITED, os.CLD_KILLED, os.CLD_DUMPED)


def _waiting(call: Any, args: tuple, options: int, on: str, tpid: int | None = None) -> Any:
    """``call(*args)``, the main thread blocked on ``on`` meanwhile unless WNOHANG says it
    returns at once."""
    line = _line(4)
    blocking = not options & os.WNOHANG
    if blocking:
        tracer.push_state(S_BLOCKED, line, on=on, tpid=plain_int(tpid))
    try:
        return call(*args)
    finally:
        if blocking:
            tracer.pop_state(line)


def _reaped(got: int, status: int) -> None:
    """A wait that returned a child's exit (not a stop or a continue, with WUNTRACED or
    WCONTINUED) has reaped it: its lane is joined. Called straight from the traced_* function."""
    if got > 0 and _has_lane(got) and (os.WIFEXITED(status) or os.WIFSIGNALED(status)):
        _forked.discard(got)
        code = os.waitstatus_to_exitcode(status)
        tracer.emit(K_JOINED, got, _line(4), {"code": code, "by": tracer.pid()})


_forked: set[int] = set()  # this process's raw os.fork() children (they have lanes)


def _has_lane(pid: int) -> bool:
    """A child announced on the timeline: a raw fork of this process, or a multiprocessing
    child it started. A ``subprocess`` child (reaped by Popen.wait through os.waitpid) is not
    one: reporting its end made a lane with no name and no start."""
    from multiprocessing import process

    if pid in _forked:
        return True
    return any(getattr(p._popen, "pid", None) == pid for p in process._children if p._popen)


def _line(skip: int = 3) -> int:
    """The user's line that made the call (``skip`` frames up from here)."""
    return callsite.user_line(skip)


def traced_execv(path: Any, argv: Any) -> None:
    """What the process said before it becomes another program: its tracer does not survive
    exec (the exec'd program's end is seen from outside: its parent's wait, or the app)."""
    tracer.flush()
    _orig["execv"](path, argv)


def traced_execve(path: Any, argv: Any, env: Any) -> None:
    tracer.flush()
    _orig["execve"](path, argv, env)


_MP_DIR = os.path.dirname(os.path.abspath(multiprocessing.__file__)) + os.sep
_WATCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exit_watcher.py")


def _called_from_multiprocessing() -> bool:
    """multiprocessing forks, reaps and exits with these calls too; its own patches report those
    (and the tracer's exit watcher looks with waitid, reaping nothing)."""
    caller = sys._getframe(2).f_code.co_filename
    return caller.startswith(_MP_DIR) or caller == _WATCHER


def traced_exit(code: int) -> None:
    """``os._exit`` skips every handler: say the exit code and flush before it happens."""
    plain = exit_code(code)
    if _called_from_multiprocessing() or plain is None:  # None: os._exit refuses it, as alone
        _orig["_exit"](code)
    tracer.exit_status(plain, None, callsite.user_line())
    tracer.shutdown()
    _orig["_exit"](code)


_PATCHES = {
    "waitpid": traced_waitpid,
    "wait": traced_wait,
    "wait3": traced_wait3,
    "wait4": traced_wait4,
    "waitid": traced_waitid,
    "execv": traced_execv,
    "execve": traced_execve,
    "_exit": traced_exit,
}


def install() -> None:
    os.register_at_fork(after_in_child=_forked.clear)  # the parent's children are not ours
    if hasattr(os, "fork"):
        _orig["fork"] = os.fork
        os.fork = traced_fork
    for name, patched in _PATCHES.items():
        if hasattr(os, name):  # wait3, wait4, waitid: POSIX only
            _orig[name] = getattr(os, name)
            setattr(os, name, patched)
