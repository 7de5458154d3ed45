"""Chrome Trace Event export (opens in Perfetto), in the shape DESIGN.md fixes for other tools."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from model.recording import Lane, Recording
from model.tasks import Task
from workers.events import CHANNEL_LOST, K_EXITED, K_JOINED, K_PRINT, K_TERMINATED


def chrome_trace(rec: Recording, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    for index, lane in enumerate(rec.ordered_lanes()):
        events.extend(_lane_events(rec, lane, index))
    events.extend(_message_events(rec))
    events.extend(_depth_events(rec))
    return {"traceEvents": events, "displayTimeUnit": "ms", "otherData": _other_data(rec, meta)}


def _other_data(rec: Recording, meta: dict[str, Any] | None) -> dict[str, Any]:
    """The run's metadata, and what the recording misses: ``channel_lost``, how many processes
    closed mpscope's event channel (nothing they did afterwards is in the trace)."""
    other = dict(meta or {})
    if rec.channel_lost:
        other["channel_lost"] = len(rec.channel_lost)
    return other


def write_chrome_trace(rec: Recording, path: str, meta: dict[str, Any] | None = None) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(chrome_trace(rec, meta), f, ensure_ascii=False)


def _us(rec: Recording, ts: int) -> float:
    return (ts - rec.t0) / 1000.0


def _lane_events(rec: Recording, lane: Lane, index: int) -> Iterator[dict[str, Any]]:
    pid = lane.pid
    yield {
        "ph": "M",
        "name": "process_name",
        "pid": pid,
        "tid": pid,
        "args": {"name": lane.name or str(pid), "ppid": lane.ppid, "parent": lane.parent},
    }
    yield {
        "ph": "M",
        "name": "process_sort_index",
        "pid": pid,
        "tid": pid,
        "args": {"sort_index": index},
    }
    for seg in rec.segments(lane):
        args = {k: v for k, v in seg.info.items() if v is not None}
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
    end = task.end if task.end is not None else rec.now()
    pool, job = task.pool, task.job
    args: dict[str, Any] = {
        "task": f"{job}:{rec.tasks.item_index(task)}",
        "call": task.call,
        "result": task.result,
        "pool": pool,
    }
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
    if kind == "fail":
        args = {
            "channel": _channel_label(rec, data.get("ch")),
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
    return {}


def _with_line(args: dict[str, Any], line: int) -> dict[str, Any]:
    if line:
        args["line"] = line
    return args
