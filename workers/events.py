"""The event protocol between the watched processes and the app.

Events are plain tuples ``(kind, pid, ts, line, data)``, cheap to pickle and to write as JSON:

- ``kind``: one of the ``K_*`` codes below (codes, never display text: wording is the GUI's);
- ``pid``: the real OS pid of the process the event is *about* (for ``created``, ``exited``,
  ``joined`` and ``terminated`` that is the child, and ``data["by"]`` names the observer);
- ``ts``: ``time.monotonic_ns()``, one machine-wide clock shared by every process;
- ``line``: the line of the watched script that caused it, 0 when there is none;
- ``data``: a small dict of str/int/float/bool/None, or None.
"""

from __future__ import annotations

import time
from typing import Any

Event = tuple[str, int, int, int, "dict[str, Any] | None"]

K_CREATED = "created"  # parent side: start() was called; data: name, parent, daemon
K_STARTED = "started"  # child side, first thing in the child; data: name, ppid, parent, daemon
K_STATE = "state"  # data: s (running|sleeping|blocked), on, target, tpid, timeout, result
K_PRINT = "print"  # data: stream (1 stdout, 2 stderr), text (one line, no newline)
K_EXIT_STATUS = "exit_status"  # child side, just before it exits; data: code, tb
K_EXITED = "exited"  # observer side: the process ended (not reaped); data: code or None, by
K_JOINED = "joined"  # observer side: join() reaped it; data: code, by
K_TERMINATED = "terminated"  # someone sent it SIGTERM/SIGKILL; data: sig, by
K_STOPPED = "stopped"  # made by the app (control/session.py), not the tracer: the run ended (by
# Stop, or by itself) while this lane had no end; data: by (the app's pid), how (in STOP_HOWS)
K_ERROR = "error"  # the run itself failed; data: code (error code), msg, file, lineno
CHANNEL_LOST = "channel_lost"  # K_ERROR code: a process closed the event channel; data: how, pid
K_MSG = "msg"  # Queue/Pipe; data: phase (channel|send|recv|fail|done), ch, mid, payload, ...
K_TASK = "task"  # a Pool task; data: phase (submit|start|end|collect), pool, job, chunk, k, ...
K_UNREADABLE = "unreadable"  # stands in for an event whose data was no plain data; data: kind

KINDS = frozenset(
    {
        K_CREATED,
        K_STARTED,
        K_STATE,
        K_PRINT,
        K_EXIT_STATUS,
        K_EXITED,
        K_JOINED,
        K_TERMINATED,
        K_STOPPED,
        K_ERROR,
        K_TASK,
        K_MSG,
        K_UNREADABLE,
    }
)

STOP_KILLED = "killed"  # Stop killed it: the kernel showed it as a process of the run
STOP_NOT_SIGNALLED = "not_signalled"  # Stop did not signal it: not (or no longer) the run's
STOP_UNSEEN = "unseen"  # the run ended by itself; this process's end was never seen
STOP_HOWS = (STOP_KILLED, STOP_NOT_SIGNALLED, STOP_UNSEEN)

# What the model marks on lanes besides the kinds above (a task's and a message's phases, and
# the run's own notes): each has its name in the GUI's texts, like every kind.
MARKER_KINDS = frozenset(
    {"submit", "collect", "send", "recv", "fail", "unreceived", "channel_lost"}
)
MSG_PHASES = ("channel", "send", "recv", "fail", "done")  # done: JoinableQueue.task_done()
TASK_PHASES = ("submit", "start", "end", "collect")

S_RUNNING = "running"
S_SLEEPING = "sleeping"
S_BLOCKED = "blocked"
S_ZOMBIE = "zombie"
STATES = (S_RUNNING, S_SLEEPING, S_BLOCKED, S_ZOMBIE)
S_UNRECORDED = "unrecorded"  # the model's: past the detail limit, a lane's states were not kept
# Why a process sleeps or waits (``data["on"]`` of a state event): every code a tracer sends is
# declared here, and the GUI has a text for each (tests/test_vocabulary.py holds both to it). A
# manager proxy call is the one open-ended kind: ``"<typeid>.<method>"`` with ``proxy`` set.
ON_SLEEP = "sleep"
ON_JOIN = "join"  # Process.join()
ON_POOL_IDLE = "pool-idle"  # a pool worker blocked on its task queue, waiting for work
ON_POOL_JOIN = "Pool.join"
OS_WAITS = ("os.waitpid", "os.wait", "os.wait3", "os.wait4", "os.waitid")  # for a child's end
CHANNEL_WAITS = (
    "Queue.get",
    "Queue.put",
    "SimpleQueue.get",
    "Connection.recv",
    "Connection.recv_bytes",
    "Connection.recv_bytes_into",
    "Connection.poll",
    "JoinableQueue.join",
)
RESULT_WAITS = (
    "AsyncResult.get",
    "AsyncResult.wait",
    "IMapIterator.next",
    "Future.result",
    "Future.exception",
)
FUTURES_WAITS = ("concurrent.futures.wait", "concurrent.futures.as_completed")
# Waits on synchronisation primitives (workers/patch_sync.py), named as the program calls them.
SYNC_WAITS = (
    "Lock.acquire",
    "RLock.acquire",
    "Semaphore.acquire",
    "BoundedSemaphore.acquire",
    "Condition.acquire",
    "Condition.wait",
    "Condition.wait_for",
    "Event.wait",
    "Barrier.wait",
)
WAITS = frozenset(
    {ON_SLEEP, ON_JOIN, ON_POOL_IDLE, ON_POOL_JOIN}
    | set(OS_WAITS)
    | set(CHANNEL_WAITS)
    | set(RESULT_WAITS)
    | set(FUTURES_WAITS)
    | set(SYNC_WAITS)
)

now_ns = time.monotonic_ns


def make(kind: str, pid: int, line: int = 0, data: dict[str, Any] | None = None) -> Event:
    """Build an event stamped now."""
    return (kind, pid, now_ns(), line, data)


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def is_well_formed(ev: object) -> bool:
    """True when ``ev`` has the shape of an event; anything else is counted and dropped.
    pid, ts and line are 64-bit (the model keeps them in typed arrays)."""
    if not isinstance(ev, tuple) or len(ev) != 5:
        return False
    kind, pid, ts, line, data = ev
    return (
        isinstance(kind, str)  # hashable, for the lookup below (a list there would raise)
        and kind in KINDS
        and type(pid) is int
        and type(ts) is int
        and type(line) is int
        and _INT64_MIN <= pid <= _INT64_MAX
        and _INT64_MIN <= ts <= _INT64_MAX
        and _INT64_MIN <= line <= _INT64_MAX
        and (data is None or isinstance(data, dict))
    )
