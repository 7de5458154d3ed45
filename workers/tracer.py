"""The tracer: one instrumentation for built-in scenarios and user scripts alike.

``install`` runs once in every watched process: in the runner before the script, in a spawn or
forkserver child while its preparation data is unpickled (before the child imports the script),
and it is simply inherited by fork children. It patches ``multiprocessing``, ``time.sleep`` and the
standard streams so that events describe what the program really does.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing import process
from multiprocessing.connection import Connection
from typing import Any

from workers import callsite, own_fds, user_traceback
from workers.channel import EventWriter
from workers.events import CHANNEL_LOST, K_ERROR, K_EXIT_STATUS, K_STATE, S_RUNNING, Event, now_ns

_writer: EventWriter | None = None
_conn: Connection | None = None
_config: dict[str, Any] = {}
_pid = os.getpid()
# The main thread's states, innermost last; below them the process is running. A stack, because
# waits nest: Pool.join() joins each worker, a pool worker sleeps inside a task.
_stack: list[tuple[str, dict[str, Any]]] = []


def _after_fork() -> None:
    global _pid
    _pid = os.getpid()
    _stack.clear()
    _exit_status.clear()


os.register_at_fork(after_in_child=_after_fork)


def installed() -> bool:
    return _writer is not None


def config() -> dict[str, Any]:
    """Plain-data settings of this run: ``script``, ``time_scale``, ``start_method``."""
    return _config


def scaled(seconds: Any) -> Any:
    """A sleep or timeout as the watched program should really wait it (``--time-scale``).
    At scale 1, and for a value that is no number to multiply (``Decimal``, a str), the
    program's own value: its call then waits, or fails, exactly as without mpscope."""
    scale = _config.get("time_scale", 1.0)
    if seconds is None or scale == 1.0:
        return seconds
    try:
        return seconds * scale
    except Exception:
        return seconds


def pid() -> int:
    return _pid


def emit_event(ev: Event) -> None:
    """Emit a ready-made event; once installed this name is the writer's own ``emit`` (one call
    less on the paths that run per message and per task)."""
    if _writer is not None:
        _writer.emit(ev)


def emit(kind: str, about_pid: int, line: int = 0, data: dict[str, Any] | None = None) -> None:
    if _writer is not None:
        _writer.emit((kind, about_pid, now_ns(), line, data))


def on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _emit_state(state: str, line: int, info: dict[str, Any]) -> None:
    if _writer is not None:
        _writer.emit((K_STATE, _pid, now_ns(), line, {**info, "s": state}))


def push_state(state: str, line: int = 0, **info: Any) -> None:
    """The main thread enters a state (other threads do not colour the lane)."""
    if on_main_thread():
        _stack.append((state, info))
        _emit_state(state, line, info)


def pop_state(line: int = 0, **after: Any) -> None:
    """Leave the innermost state; ``after`` says how it ended (e.g. result="timeout")."""
    if on_main_thread() and _stack:
        _stack.pop()
        state, info = _stack[-1] if _stack else (S_RUNNING, {})
        _emit_state(state, line, {**info, **after})


def set_top_state(state: str, line: int = 0, **info: Any) -> None:
    """Replace the innermost state (a pool worker going from idle to running a task)."""
    if on_main_thread():
        if _stack:
            _stack[-1] = (state, info)
        else:
            _stack.append((state, info))
        _emit_state(state, line, info)


@contextmanager
def state_scope(state: str, line: int = 0, **info: Any) -> Iterator[None]:
    push_state(state, line, **info)
    try:
        yield
    finally:
        pop_state(line)


def parent_pid() -> int | None:
    """The multiprocessing parent (a pool worker's pool owner), not the OS parent."""
    return process.current_process()._parent_pid


def flush() -> None:
    if _writer is not None:
        _writer.flush()


_last_words: list[Callable[[], None]] = []  # run by shutdown() before the last flush


def at_shutdown(hook: Callable[[], None]) -> None:
    """Run ``hook`` among a process's last words (stdio capture: its partial lines)."""
    _last_words.append(hook)


_exit_status: list[dict[str, Any]] = []  # said by shutdown(): see exit_status_at_exit


def exit_status(code: int, tb: str | None, line: int = 0) -> None:
    """Say this process's exit code (and the traceback of its failure) now."""
    _exit_status.clear()
    emit(K_EXIT_STATUS, _pid, line, {"code": code, "tb": tb})


def exit_status_at_exit(code: int, tb: str | None) -> None:
    """Say it among the last words instead: a spawn child ends through the interpreter's exit,
    and its ``atexit`` handlers (registered after the tracer's, so run before it) still print."""
    _exit_status[:] = [{"code": code, "tb": tb}]


def shutdown() -> None:
    """Last words of a process: flush partial output lines, say a pending exit status, and
    flush every buffered event. The runner calls it after the script's ``atexit`` handlers; in
    any other process it is an ``atexit`` handler registered before the script's."""
    for hook in _last_words:
        hook()
    for data in _exit_status:
        emit(K_EXIT_STATUS, _pid, 0, data)
    _exit_status.clear()
    if _writer is not None:
        _writer.close()


def install(conn: Connection, cfg: dict[str, Any]) -> None:
    """Patch this process once; later calls are no-ops."""
    global _writer, _conn, _config, emit_event
    if _writer is not None:
        return
    _conn, _config = conn, dict(cfg)
    own_fds.install()
    user_traceback.install_hooks()
    conn._handle = own_fds.claim(conn.fileno(), _channel_closing)
    _writer = EventWriter(conn)
    emit_event = _writer.emit
    atexit.register(shutdown)  # an interpreter ending normally (even by an uncaught error) flushes
    callsite.set_script(cfg["script"])
    for patch in patches():
        patch.install()


_patches: list[Any] = []


def patches() -> list[Any]:
    """The modules that patch a watched process, in the order they are installed; importing
    them is most of a tracer's start-up, which a runner on standby does ahead (workers/runner.py).
    Imported once, here (they import this module), and never by name again: see
    workers/private_names.py."""
    if not _patches:
        _patches.extend(_import_patches())
    return _patches


def _import_patches() -> list[Any]:
    from workers import (
        fault_capture,
        patch_channels,
        patch_executor,
        patch_helpers,
        patch_managers,
        patch_os,
        patch_pool,
        patch_process,
        patch_sleep,
        patch_sockets,
        patch_sync,
        spawn_boot,
        stdio_capture,
    )

    return [
        fault_capture,
        patch_sleep,
        patch_channels,
        patch_sync,
        patch_managers,
        patch_helpers,
        patch_sockets,
        patch_os,
        patch_process,
        patch_pool,
        patch_executor,
        spawn_boot,
        stdio_capture,
    ]


def connection() -> Connection | None:
    """The event channel, for a spawn or forkserver child to inherit; None once lost here."""
    return _conn if _writer is not None and not _writer.lost else None


def _channel_closing(_fd: int, how: str) -> None:
    """The program is closing the channel's descriptor, or putting one of its own under its
    number (``how``: ``os.closerange``, ``os.close``, ``os.dup2``), as a daemon does with what
    it inherited: say so while the channel still works, then never touch that number again.
    Its close goes ahead as asked; this process carries on untraced."""
    writer = _writer
    if writer is None or writer.lost:
        return
    data = {"code": CHANNEL_LOST, "how": how, "pid": _pid}
    emit(K_ERROR, _pid, callsite.user_line(), data)
    writer.close()
    writer.lose()
