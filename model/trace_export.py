"""Chrome Trace Event export (opens in Perfetto), in the shape DESIGN.md fixes for other tools.

Whatever the events carry, the file is standard JSON (no NaN, no int past what a reader can
hold, no lone surrogate: model/plain.py) and is written whole or not at all."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from model.plain import flat, json_safe
from model.recording import Lane, Recording
from model.safe_file import REPLACE_SURROGATES, replace_atomically
from model.tasks import Task
from workers.events import CHANNEL_LOST, K_EXITED, K_JOINED, K_PRINT, K_STOPPED, K_TERMINATED


def chrome_trace(rec: Recording, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    for index, lane in enumerate(rec.ordered_lanes()):
        events.extend(_lane_events(rec, lane, index))
    events.extend(_message_events(rec))
    events.extend(_depth_events(rec))
    other = dict(meta or {})
    if "start_method" in other:
        other["start_method"] = rec.start_method(str(other["start_method"]))
    if rec.summarised:
        other["detail_limit"] = detail_limit(rec)
    other.update(rec.unread_summary())  # what could not be read, if anything
    if rec.channel_lost:  # processes that closed mpscope's channel: nothing after is in here
        other["channel_lost"] = len(rec.channel_lost)
    return {"traceEvents": events, "displayTimeUnit": "ms", "otherData": other}


def detail_limit(rec: Recording) -> dict[str, Any]:
    """What a run past the detail limit kept in full and what it only counted, by kind."""
    return {"limit": rec.limit, "kept": len(rec.events), "counted": dict(rec.summarised)}


_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
BATCH = 4096  # trace events encoded at a time


def write_chrome_trace(rec: Recording, path: str, meta: dict[str, Any] | None = None) -> None:
    doc = chrome_trace(rec, meta)
    replace_atomically(path, lambda tmp: _write(doc, tmp))


def _write(doc: dict[str, Any], tmp: str) -> None:
    """The trace events a batch at a time (not one string of the whole file); a lone
    surrogate becomes U+FFFD, as a UTF-8 reader shows undecodable bytes."""
    events = doc["traceEvents"]
    rest = {k: v for k, v in doc.items() if k != "traceEvents"}
    with open(tmp, "w", encoding="utf-8", errors=REPLACE_SURROGATES) as f:
        f.write('{"traceEvents":[')
        for at in range(0, len(events), BATCH):
            batch = events[at : at + BATCH]
            text = _safe_dumps(batch, lambda b=batch: [json_safe(e) for e in b])
            f.write(("," if at else "") + text[1:-1])
        f.write("]," + _safe_dumps(rest, lambda: json_safe(rest))[1:])


def _safe_dumps(value: Any, safe: Callable[[], Any]) -> str:
    """``value`` as JSON; if it cannot be (odd metadata), what ``safe()`` makes of it."""
    try:
        return _dumps(value)
    except (ValueError, TypeError, RecursionError):
        return _dumps(safe())


def _us(rec: Recording, ts: int) -> float:
    return (ts - rec.t0) / 1000.0


def _lane_events(rec: Recording, lane: Lane, index: int) -> Iterator[dict[str, Any]]:
    pid = lane.pid
    yield {
        "ph": "M",
        "name": "process_name",
        "pid": pid,
        "tid": pid,
        "args": {
            "name": lane.name or str(pid),
            "ppid": lane.ppid,
            "parent": lane.parent,
            "start_method": lane.start_method,
            **({"helper": True} if lane.helper else {}),
        },
    }
    yield {
        "ph": "M",
        "name": "process_sort_index",
        "pid": pid,
        "tid": pid,
        "args": {"sort_index": index},
    }
    for seg in rec.segments(lane):
        args = {k: v for k, v in (flat(seg.info) or {}).items() if v is not None}
        yield {
            "ph": "X",
            "cat": "state",
            "name": seg.state,
            "pid": pid,
            "tid": pid,
            "ts": _us(rec, seg.start),
            "dur": (seg.end - seg.start) / 1000.0,
            "args": args,
        }
    for marker in lane.markers:
        if marker.kind not in ("send", "recv"):  # messages are flow arrows, below
            yield _marker_event(rec, lane, marker.ts, marker.kind, marker.line, marker.data)
    for task in rec.tasks.by_worker.get(pid, ()):
        if task.start is not None:
            yield _task_event(rec, task)


def _message_events(rec: Recording) -> Iterator[dict[str, Any]]:
    """Each received message as a flow arrow: an s/f pair bound to the two lanes' slices."""
    for n, m in enumerate(rec.messages.complete(), 1):
        args = {"channel": _channel_label(rec, m.ch), "payload": m.payload, "id": m.mid}
        common = {"cat": "message", "name": "message", "id": n, "args": args}
        yield {**common, "ph": "s", "pid": m.sender, "tid": m.sender, "ts": _us(rec, m.sent)}
        yield {
            **common,
            "ph": "f",
            "bp": "e",
            "pid": m.receiver,
            "tid": m.receiver,
            "ts": _us(rec, m.received),
        }
    for m in rec.messages.unreceived():
        args = {"channel": _channel_label(rec, m.ch), "payload": m.payload, "id": m.mid}
        yield {
            "ph": "i",
            "s": "t",
            "cat": "message",
            "name": "unreceived",
            "pid": m.sender,
            "tid": m.sender,
            "ts": _us(rec, m.sent),
            "args": args,
        }


def _channel_label(rec: Recording, ch: Any) -> str:
    channel = rec.messages.channels.get(str(ch))
    return channel.label if channel else str(ch)


def _depth_events(rec: Recording) -> Iterator[dict[str, Any]]:
    """Each queue's depth as a counter track on the process that created the queue."""
    for channel in rec.messages.queues():
        name = f"depth {channel.label}"
        yield {
            "ph": "C",
            "name": name,
            "pid": channel.owner,
            "ts": _us(rec, channel.created),
            "args": {"depth": 0},
        }
        for ts, depth in rec.messages.depth_series(channel.ch):
            yield {
                "ph": "C",
                "name": name,
                "pid": channel.owner,
                "ts": _us(rec, ts),
                "args": {"depth": depth},
            }


def _task_event(rec: Recording, task: Task) -> dict[str, Any]:
    end = rec.task_end(task)
    pool, job = task.pool, task.job
    args: dict[str, Any] = {
        "task": f"{job}:{rec.tasks.item_index(task)}",
        "call": task.call,
        "result": task.result,
        "pool": pool,
    }
    died = rec.task_died_with(task)
    if died is not None:  # ended with its worker: says how the worker ended
        args["failed"] = True
        args["died"] = {"exitcode": died.exitcode}
    if task.ok is False:
        args["failed"] = True
        if task.traceback:
            args["traceback"] = task.traceback
    waited = rec.tasks.waited(task)
    if waited is not None:
        args["waited_us"] = waited / 1000.0
    return {
        "ph": "X",
        "cat": "task",
        "name": task.fn,
        "pid": task.worker,
        "tid": task.worker,
        "ts": _us(rec, task.start),
        "dur": (end - task.start) / 1000.0,
        "args": args,
    }


def _marker_event(
    rec: Recording, lane: Lane, ts: int, kind: str, line: int, data: dict[str, Any]
) -> dict[str, Any]:
    event = {"ph": "i", "s": "t", "pid": lane.pid, "tid": lane.pid, "ts": _us(rec, ts)}
    data = flat(data) or {}
    if kind == "fail":
        message = rec.messages.messages.get(str(data.get("mid", "")))
        ch = data.get("ch") or (message.ch if message is not None else "")
        args = {
            "channel": _channel_label(rec, ch),
            "error": data.get("error"),
            "call": data.get("how"),
        }
        return {**event, "cat": "message", "name": "fail", "args": _with_line(args, line)}
    if kind in ("submit", "collect"):
        return {**event, "cat": "task", "name": kind, "args": _with_line(dict(data), line)}
    if kind == CHANNEL_LOST:  # the tracer's own word, not the process's lifecycle
        args = {"how": data.get("how")}
        return {**event, "cat": "tracer", "name": kind, "args": _with_line(args, line)}
    if kind == K_PRINT:
        args = {
            "text": data.get("text", ""),
            "stream": "stderr" if data.get("stream") == 2 else "stdout",
        }
        for key in ("omitted", "rewrites"):  # a long line cut, states of a \r line not shown
            if key in data:
                args[key] = data[key]
        return {**event, "cat": "print", "name": "print", "args": _with_line(args, line)}
    return {
        **event,
        "cat": "lifecycle",
        "name": kind,
        "args": _with_line(_lifecycle_args(lane, kind, data), line),
    }


def _lifecycle_args(lane: Lane, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind == K_EXITED:
        args: dict[str, Any] = {"exitcode": lane.exitcode}
        if lane.traceback:
            args["traceback"] = lane.traceback
        return args
    if kind == K_TERMINATED:
        return {"signal": data.get("sig"), "by": data.get("by")}
    if kind == K_JOINED:
        return {"exitcode": data.get("code"), "by": data.get("by")}
    if kind == K_STOPPED:  # the run ended with this lane open: how (killed by Stop, ...)
        return {"how": data.get("how"), "by": data.get("by")}
    return {}


def _with_line(args: dict[str, Any], line: int) -> dict[str, Any]:
    if line:
        args["line"] = line
    return args
