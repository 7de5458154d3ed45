"""The tracer: one instrumentation for built-in scenarios and user scripts alike.

``install`` runs once in every watched process: in the runner before the script, in a spawn or
forkserver child while its preparation data is unpickled (before the child imports the script),
and it is simply inherited by fork children. It patches ``multiprocessing``, ``time.sleep`` and the
standard streams so that events describe what the program really does.
"""

from __future__ import annotations

import os
import threading
from multiprocessing.connection import Connection
from typing import Any

from workers import callsite
from workers.channel import EventWriter
from workers.events import K_STATE, Event, now_ns

_writer: EventWriter | None = None
_conn: Connection | None = None
_config: dict[str, Any] = {}
_pid = os.getpid()


def _after_fork() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_after_fork)


def installed() -> bool:
    return _writer is not None


def config() -> dict[str, Any]:
    """Plain-data settings of this run: ``script``, ``time_scale``, ``start_method``."""
    return _config


def scaled(seconds: float | None) -> float | None:
    """A sleep or timeout as the watched program should really wait it (``--time-scale``)."""
    if seconds is None:
        return None
    return seconds * _config.get("time_scale", 1.0)


def pid() -> int:
    return _pid


def emit_event(ev: Event) -> None:
    if _writer is not None:
        _writer.emit(ev)


def emit(kind: str, about_pid: int, line: int = 0, data: dict[str, Any] | None = None) -> None:
    if _writer is not None:
        _writer.emit((kind, about_pid, now_ns(), line, data))


def on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def set_state(state: str, line: int = 0, **info: Any) -> None:
    """This process's main thread changed state; other threads do not colour the lane."""
    if _writer is not None and on_main_thread():
        info["s"] = state
        _writer.emit((K_STATE, _pid, now_ns(), line, info))


def flush() -> None:
    if _writer is not None:
        _writer.flush()


def shutdown() -> None:
    """Last words of a process: flush partial output lines and every buffered event."""
    from workers import stdio_capture

    stdio_capture.flush_partial_lines()
    if _writer is not None:
        _writer.close()


def install(conn: Connection, cfg: dict[str, Any]) -> None:
    """Patch this process once; later calls are no-ops."""
    global _writer, _conn, _config
    if _writer is not None:
        return
    _conn, _config = conn, dict(cfg)
    _writer = EventWriter(conn)
    callsite.set_script(cfg["script"])
    from workers import patch_process, patch_sleep, spawn_boot, stdio_capture

    patch_sleep.install()
    patch_process.install()
    spawn_boot.install()
    stdio_capture.install()


def connection() -> Connection | None:
    return _conn
