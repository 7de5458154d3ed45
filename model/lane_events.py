"""How each kind of event changes a lane (the Recording's handlers, one per kind). Qt-free.

Split from model/recording.py, which stores events and answers the views; these functions are
the per-kind rules: lifecycle times, exit codes, markers, states, tasks and messages.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any

from model.event_store import EventStore
from model.lanes import Lane, Marker
from model.plain import INT_BITS, small_int, text
from workers.events import (
    CHANNEL_LOST,
    K_CREATED,
    K_EXIT_STATUS,
    K_EXITED,
    K_JOINED,
    K_MSG,
    K_PRINT,
    K_STARTED,
    K_STATE,
    K_STOPPED,
    K_TASK,
    K_TERMINATED,
    S_RUNNING,
)

if TYPE_CHECKING:
    from model.recording import Recording


def exit_of_an_orphan(rec: Recording, lane: Lane) -> None:
    """A process whose parent was gone when it ended was seen exit by nobody: its own last
    word (exit status) is the exit, so the lane still gets its exited marker."""
    if lane.exited is None and lane.exit_status_ts is not None:
        lane.exited = lane.exit_status_ts
        data = {"code": lane.exitcode, "observed": False}
        _marker(rec, lane, lane.exit_status_ts, K_EXITED, 0, data, -1)


# ---- one handler per event kind --------------------------------------------------------------
def _marker(
    rec: Recording,
    lane: Lane,
    ts: int,
    kind: str,
    line: int,
    data: dict[str, Any],
    index: int,
    events: EventStore | None = None,
) -> None:
    """``events``: the data is read back from there (see Marker), not held."""
    held = None if events is not None and index >= 0 else data
    marker = Marker(ts, kind, line, held, index, None if held is not None else events)
    markers = lane.markers
    if not markers or markers[-1].ts <= ts:
        markers.append(marker)  # the usual case: a process's events come in time order
    else:
        bisect.insort(markers, marker, key=lambda m: m.ts)
    rec.marker_log.append((lane.pid, marker))


NAME_LIMIT = 200  # a process name longer than this is shown cut (a lane label, a legend)
TRACEBACK_LIMIT = 20_000  # tracebacks: a frame holds ~4 KB; a recording file may hold anything


def _on_created(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    lane.created = ts
    lane.name = lane.name or text(data.get("name", ""), NAME_LIMIT)
    lane.parent = small_int(data.get("parent", lane.parent))
    lane.daemon = bool(data.get("daemon", lane.daemon))
    method = data.get("method")
    if isinstance(method, str):
        lane.start_method = method
    lane.helper = data.get("helper") is True
    if lane.helper and lane.ppid is None:  # it says nothing itself: exec'd by its announcer
        lane.ppid = lane.parent
    _marker(rec, lane, ts, K_CREATED, line, data, index)


def _on_started(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    lane.started = ts
    lane.name = text(data.get("name", ""), NAME_LIMIT) or lane.name
    lane.ppid = small_int(data.get("ppid"))
    if data.get("parent") is not None:
        lane.parent = small_int(data["parent"], lane.parent)
    lane.daemon = bool(data.get("daemon", lane.daemon))
    _marker(rec, lane, ts, K_STARTED, line, data, index)


def _on_state(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    state = data.get("s", S_RUNNING)
    if type(state) is not str:
        state = text(state, NAME_LIMIT)
    info = {k: v for k, v in data.items() if k != "s"}
    info["line"] = line
    rec._seq += 1
    item = (ts, rec._seq, state, info)
    if not lane.transitions or lane.transitions[-1][0] <= ts:
        lane.transitions.append(item)  # in time order, as a process's own events mostly come
    else:
        bisect.insort(lane.transitions, item, key=lambda t: (t[0], t[1]))


def _exit_code(code: object) -> int | None:
    """An exit code the views can show (sys.exit(2**100) gives one; an int of thousands of
    digits, which str() refuses, or a bool or a str does not)."""
    return code if type(code) is int and code.bit_length() <= INT_BITS else None


def _on_print(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    _marker(rec, lane, ts, K_PRINT, line, data, index, rec.events)


def _on_exit_status(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    lane.exit_status_ts = ts
    if lane.exitcode is None:
        lane.exitcode = _exit_code(data.get("code"))
    if data.get("tb"):
        lane.traceback = text(data["tb"], TRACEBACK_LIMIT)


def _on_exited(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    if lane.joined is not None:
        ts = min(ts, lane.joined)  # reaped then: it had exited (an observer's late stamp)
    lane.exited = ts if lane.exited is None else min(ts, lane.exited)
    code = _exit_code(data.get("code"))
    if code is not None:
        lane.exitcode = code
    lane.can_be_zombie = bool(data.get("zombie", True))
    if data.get("fault"):
        lane.traceback = text(data["fault"], TRACEBACK_LIMIT)
    _marker(rec, lane, ts, K_EXITED, line, data, index)


def _on_joined(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    lane.joined = ts
    if lane.exited is not None and lane.exited > ts:
        _exited_by(rec, lane, ts)
    if lane.exitcode is None:
        lane.exitcode = _exit_code(data.get("code"))
    _marker(rec, lane, ts, K_JOINED, line, data, index)


def _exited_by(rec: Recording, lane: Lane, ts: int) -> None:
    """The process was reaped at ``ts``, so it had exited by then: an exit observer's stamp
    that came later (its thread ran after the joiner's) is moved back to the reaping."""
    lane.exited = ts
    for marker in lane.markers:
        if marker.kind == K_EXITED and marker.ts > ts:
            marker.ts = ts
    lane.markers.sort(key=lambda m: m.ts)


def _on_terminated(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    lane.terminated_sig = small_int(data.get("sig"))
    _marker(rec, lane, ts, K_TERMINATED, line, data, index)


def _on_stopped(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    """The run ended while this lane had no end: it ends here, with no zombie span after (a
    process killed by Stop is reaped with its run; one never seen to end has no known reaping)."""
    lane.stopped = ts if lane.stopped is None else min(ts, lane.stopped)
    if lane.exited is None:
        lane.can_be_zombie = False
    _marker(rec, lane, ts, K_STOPPED, line, data, index)


def on_channel_lost(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    """A run error that is also a marker on the process's lane: where its recording stops."""
    lane.version += 1
    _marker(rec, lane, ts, CHANNEL_LOST, line, data, index)


def _on_task(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    rec.tasks.add(lane.pid, ts, line, data)
    phase = data.get("phase")
    if phase in ("submit", "collect"):
        _marker(rec, lane, ts, str(phase), line, data, index)


def _on_msg(rec: Recording, lane: Lane, ts: int, line: int, data: dict, index: int) -> None:
    """Sends and receives are points of the MessageBook (model/messages.py), not markers."""
    if rec.messages.add(lane.pid, ts, line, data, index) == "fail":
        _marker(rec, lane, ts, "fail", line, data, index)


HANDLERS = {
    K_TASK: _on_task,
    K_MSG: _on_msg,
    K_CREATED: _on_created,
    K_STARTED: _on_started,
    K_STATE: _on_state,
    K_PRINT: _on_print,
    K_EXIT_STATUS: _on_exit_status,
    K_EXITED: _on_exited,
    K_JOINED: _on_joined,
    K_TERMINATED: _on_terminated,
    K_STOPPED: _on_stopped,
}
