"""The life of a ``multiprocessing`` process as events.

- parent side: ``start()`` (created, and the exit watch), ``join()`` (blocked on the child),
  the reaping ``poll()`` behind join/is_alive/active_children (joined), terminate/kill;
- child side: ``_bootstrap`` (started; exit status with the traceback of a failed ``run()``).
"""

from __future__ import annotations

import os
import sys
import traceback
from multiprocessing import popen_fork, process, spawn
from typing import Any

from workers import callsite, tracer, user_traceback
from workers.events import (
    K_CREATED,
    K_ERROR,
    K_JOINED,
    K_STARTED,
    K_TERMINATED,
    S_BLOCKED,
    now_ns,
)
from workers.exit_watcher import WATCHER
from workers.reprs import exit_code, plain_int, plain_number, plain_str

_orig: dict[str, Any] = {}


def _traced_start(self: process.BaseProcess) -> None:
    t0, line = now_ns(), callsite.user_line()
    try:
        _orig["start"](self)
    except RuntimeError:
        if getattr(process.current_process(), "_inheriting", False):
            _missing_main_guard(line)
        raise
    data = {"name": plain_str(self.name), "parent": tracer.pid(), "daemon": bool(self.daemon)}
    data["method"] = _start_method_of(self._popen)
    tracer.emit_event((K_CREATED, self.pid, t0, line, data))
    WATCHER.watch(self._popen)


def _start_method_of(popen: Any) -> str:
    """How the child was really started, whatever the default: a program may choose its own
    (``set_start_method``, ``get_context``)."""
    module = type(popen).__module__.rsplit(".", 1)[-1]
    return {"popen_fork": "fork", "popen_forkserver": "forkserver"}.get(module, "spawn")


def _missing_main_guard(line: int) -> None:
    """A spawn/forkserver child re-imported the script and it started a process at import:
    the script lacks ``if __name__ == "__main__":``. Say so, in the child that hit it."""
    data = {"code": "missing_main_guard", "msg": "start() while importing the main module"}
    tracer.emit(K_ERROR, tracer.pid(), line, data)
    tracer.flush()


def _traced_join(self: process.BaseProcess, timeout: float | None = None) -> None:
    if self._popen is None or self._popen.returncode is not None:
        _orig["join"](self, tracer.scaled(timeout))
        return
    line = callsite.user_line()
    info = {"on": "join", "target": plain_str(self.name), "tpid": self.pid}
    if timeout is not None:
        info["timeout"] = plain_number(timeout)
    tracer.push_state(S_BLOCKED, line, **info)
    try:
        _orig["join"](self, tracer.scaled(timeout))
    finally:
        gave_up = self._popen is not None and self._popen.returncode is None
        tracer.pop_state(line, after="join", result="timeout" if gave_up else "ok")


def _traced_send_signal(self: Any, sig: int) -> None:
    if self.returncode is None:
        data = {"sig": plain_int(sig), "by": tracer.pid()}
        tracer.emit(K_TERMINATED, self.pid, callsite.user_line(), data)
    _orig["send_signal"](self, sig)


def _traced_bootstrap(self: process.BaseProcess, parent_sentinel: Any = None) -> int:
    """Runs in the child: announce it, keep a failed run()'s traceback, report the exit code."""
    me = os.getpid()
    data = {
        "name": plain_str(self.name),
        "ppid": os.getppid(),
        "parent": self._parent_pid,
        "daemon": bool(self.daemon),
    }
    tracer.emit(K_STARTED, me, 0, data)
    tracer.flush()  # a child killed early still has its lane named
    _last_traceback.clear()
    code = _orig["bootstrap"](self, parent_sentinel)
    tb = _last_traceback[0] if code == 1 and _last_traceback else None
    WATCHER.settle(timeout=1.0)  # children this one just joined: report their exits first
    if _ends_by_interpreter_exit():
        tracer.exit_status_at_exit(exit_code(code), tb)
    else:
        tracer.exit_status(exit_code(code), tb)
        tracer.shutdown()
    return code


def _ends_by_interpreter_exit() -> bool:
    """Does this child end through ``sys.exit``, and so run its ``atexit`` handlers? A spawn
    child does: ``spawn_main`` called ``_main``, which called its bootstrap. A fork or forkserver
    child ends with ``os._exit`` after its bootstrap, running none, as without mpscope. Only
    the two frames right above count: a fork child of the runner (itself a spawn child) has
    the runner's ``spawn_main`` further up."""
    caller = sys._getframe(2)
    above = caller.f_back
    return caller.f_code is _SPAWN_MAIN[0] and above is not None and above.f_code is _SPAWN_MAIN[1]


_SPAWN_MAIN = (spawn._main.__code__, spawn.spawn_main.__code__)


_last_traceback: list[str] = []


def _recording_print_exc(limit: Any = None, file: Any = None, chain: bool = True) -> None:
    """multiprocessing prints a failed run()'s traceback with this: print it as it would look
    without mpscope (no tracer frames) and keep a copy for the lane."""
    exc = sys.exc_info()[1]
    if exc is None or limit is not None or not chain:
        _orig["print_exc"](limit, file, chain)
        return
    try:
        text = user_traceback.format_exception(exc)
    except Exception:  # never let the tracer's tidying hide the user's traceback
        _orig["print_exc"](limit, file, chain)
        return
    _last_traceback[:] = [text]
    (file if file is not None else sys.stderr).write(text)


def install() -> None:
    bp = process.BaseProcess
    _orig.update(start=bp.start, join=bp.join, bootstrap=bp._bootstrap)
    bp.start = _traced_start
    bp.join = _traced_join
    bp._bootstrap = _traced_bootstrap
    _orig["print_exc"] = traceback.print_exc
    traceback.print_exc = _recording_print_exc
    _orig["send_signal"] = popen_fork.Popen._send_signal
    popen_fork.Popen._send_signal = _traced_send_signal
    _patch_poll(popen_fork.Popen)
    try:
        from multiprocessing import popen_forkserver
    except ImportError:  # platforms without forkserver
        return
    _patch_poll(popen_forkserver.Popen)


def _patch_poll(cls: type) -> None:
    """Whoever reaps a child (join, is_alive, active_children, start) ends its zombie time."""
    if "poll" not in vars(cls):
        return
    original = cls.poll

    def traced_poll(self: Any, flag: int = os.WNOHANG) -> int | None:
        was = self.returncode
        code = original(self, flag)
        if was is None and code is not None:
            data = {"code": code, "by": tracer.pid()}
            tracer.emit(K_JOINED, self.pid, callsite.user_line(), data)
        return code

    cls.poll = traced_poll
