"""Every word the user reads about an event, made from the event's codes, through translation.

Workers send codes (``blocked``, ``on: join``); this module is the one place that turns them into
sentences, so a language switch changes them all.
"""

from __future__ import annotations

import signal
from typing import Any

from PySide6.QtCore import QCoreApplication

from model.plain import flat, text
from model.recording import Lane, Segment
from workers.events import (
    CHANNEL_WAITS,
    FUTURES_WAITS,
    ON_JOIN,
    ON_POOL_IDLE,
    ON_POOL_JOIN,
    ON_SLEEP,
    OS_WAITS,
    RESULT_WAITS,
    SYNC_WAITS,
    WAITS,
)

SHORT = 60  # characters of a value drawn on a bar
SHOWN = 2000  # characters of a printed line or a value in a hover or a log row


def tr(text: str) -> str:
    return QCoreApplication.translate("mpscope", text)


def state_name(state: str) -> str:
    names = {
        "idle": tr("idle (pool worker waiting for a task)"),
        "running": tr("running"),
        "sleeping": tr("sleeping"),
        "blocked": tr("blocked"),
        "zombie": tr("zombie (exited, not joined)"),
        "unrecorded": tr("not recorded (detail limit reached)"),
    }
    return names.get(state, state)


def detail_limit_text(summarised: dict[str, int]) -> str:
    """What a flood cost: the events past the detail limit, counted by kind, and what is shown."""
    parts = ", ".join(
        tr("{kind}: {n:,}").format(kind=event_name(kind), n=n)
        for kind, n in sorted(summarised.items(), key=lambda item: -item[1])
    )
    return tr(
        "Detail limit reached: {n:,} more events were counted, not kept ({parts}), so memory "
        "stays bounded. Hatched bars: states not recorded. Start, exit and join of every "
        "process are still shown."
    ).format(n=sum(summarised.values()), parts=parts)


def unread_text(rec: Any) -> str:
    """What of a run could not be read, in a line for the status bar; "" when nothing was lost
    (nothing is lost in silence: DESIGN.md, safety rules)."""
    parts = []
    n = rec.unread
    if n and rec.dropped_frames:  # a whole frame's events are not known one by one
        parts.append(tr("At least {n:,} events could not be read.").format(n=n))
    elif n == 1:
        parts.append(tr("1 event could not be read."))
    elif n:
        parts.append(tr("{n:,} events could not be read.").format(n=n))
    if rec.channel_broken:
        parts.append(tr("The event channel was corrupted: later events were not recorded."))
    return " ".join(parts)


def event_name(kind: str) -> str:
    names = {
        "created": tr("created"),
        "started": tr("started"),
        "state": tr("state"),
        "print": tr("print"),
        "exit_status": tr("exit status"),
        "exited": tr("exited"),
        "joined": tr("joined"),
        "terminated": tr("terminated"),
        "stopped": tr("stopped"),
        "error": tr("error"),
        "task": tr("pool task"),
        "submit": tr("task submitted"),
        "msg": tr("message"),
        "send": tr("message sent"),
        "recv": tr("message received"),
        "fail": tr("failed: Full, Empty, not picklable"),
        "unreceived": tr("never received"),
        "collect": tr("result collected"),
        "unreadable": tr("unreadable event"),
        "channel_lost": tr("event channel lost"),
    }
    return names.get(kind, kind)


def channel_lost_text(data: dict[str, Any], line: int) -> str:
    """A process closed mpscope's event channel: why its lane's recording stops there."""
    text = tr(
        "Process {pid} closed mpscope's event channel with {how}(), as a daemon closing the "
        "descriptors it inherited does. It carries on as before, but nothing it does from then "
        "on is recorded."
    ).format(pid=data.get("pid", "?"), how=data.get("how", "?"))
    return tr("Line {line}: {text}").format(line=line, text=text) if line else text


def signal_name(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return str(sig)


def exit_code_text(code: object) -> str:
    """What an exit code says; anything but an int (a recording may hold anything) as it is."""
    if code is None:
        return tr("exit code unknown")
    if type(code) is not int:
        return tr("exit code {code}").format(code=text(code, SHORT))
    if code < 0:
        return tr("killed by {signal} (exit code {code})").format(
            signal=signal_name(-code), code=code
        )
    return tr("exit code {code}").format(code=code)


def seconds(ns: int) -> str:
    return tr("{s:.3f} s").format(s=ns / 1e9)


def lane_label(lane: Lane) -> str:
    # before (or without) the child's own word, its creator is its parent
    ppid = next((p for p in (lane.ppid, lane.parent) if p is not None), "?")
    return tr("{name}\npid {pid} · ppid {ppid}").format(
        name=lane_name(lane), pid=lane.pid, ppid=ppid
    )


def lane_name(lane: Lane) -> str:
    """A lane's name as shown: the process's own, or for multiprocessing's helper processes
    (named by a code) what they are, in brackets: they are the library's, not the program's."""
    if lane.helper:
        helpers = {"fork server": tr("fork server"), "resource tracker": tr("resource tracker")}
        return f"[{helpers.get(lane.name, lane.name)}]"
    return short_name(lane.name) or "?"


LABEL = 40  # characters of a process name beside its lane (the axis drops a label too wide)
_CONTROL_PICTURES = {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421}


def short_name(name: str) -> str:
    """A process name as a lane shows it: control characters as their pictures (␀, ␛: a
    name may hold anything), a long one cut in the middle."""
    name = name.translate(_CONTROL_PICTURES)
    return name if len(name) <= LABEL else f"{name[: LABEL - 13]}…{name[-12:]}"


def segment_text(lane: Lane, seg: Segment, names: dict[int, str]) -> str:
    head = f"{lane.name} (pid {lane.pid})"
    body = f"{state_name(seg.state)} · {seconds(seg.end - seg.start)}"
    why = _why(seg.info, names)
    return "\n".join(part for part in (head, body, why) if part)


def _channel_wait(on: object) -> str:
    """What a process blocked on a Queue or Pipe call waits in, as drawn on its bar."""
    waits = {
        "Queue.get": "get()",
        "SimpleQueue.get": "get()",
        "Queue.put": tr("put() — queue full"),
        "Connection.recv": "recv()",
        "Connection.recv_bytes": "recv_bytes()",
        "Connection.recv_bytes_into": "recv_bytes_into()",
        "Connection.poll": "poll()",
        "JoinableQueue.join": "queue.join()",
    }
    return waits.get(on, "") if isinstance(on, str) else ""


def bar_label(seg: Segment) -> str:
    """Short text drawn on a bar where it fits: what a blocked process waits for."""
    on = seg.info.get("on")
    if seg.state == "sleeping" and on == ON_SLEEP:
        return f"sleep({_number(seg.info.get('secs'))})"
    if seg.state != "blocked":
        return ""
    if on == ON_JOIN:
        return tr("join → {target}").format(target=_short(seg.info.get("target", "?")))
    if on in RESULT_WAITS:
        return tr("waits for result")
    if on in CHANNEL_WAITS:
        return _channel_wait(on)
    if on == ON_POOL_JOIN:
        return "pool.join()"
    if on in SYNC_WAITS or on in OS_WAITS or on in FUTURES_WAITS or seg.info.get("proxy"):
        return f"{_short(on)}()"
    return ""


def _short(value: object) -> str:
    """A value of the watched program drawn on a bar: bounded, whatever it is."""
    return value if type(value) is str and len(value) <= SHORT else text(value, SHORT)


def _why(info: dict[str, Any], names: dict[int, str]) -> str:
    """Why a process sleeps or waits, and where (the hover); how its last wait ended."""
    info = flat(info) or {}
    on = info.get("on")
    line = info.get("line")
    where = tr(" (line {line})").format(line=line) if line else ""
    if on == ON_SLEEP:
        return tr("time.sleep({secs}){where}").format(secs=_number(info.get("secs")), where=where)
    if on == ON_JOIN:
        return _join_why(info, names, where)
    if on in CHANNEL_WAITS:
        text = tr("in {call} on {ch}{where}").format(
            call=on, ch=info.get("chname") or info.get("ch"), where=where
        )
        return text + _timeout(info)
    if on == ON_POOL_IDLE:
        return tr("waiting for a task from the pool's queue")
    if on in RESULT_WAITS:
        return tr("waiting for the result of job {job}{where}").format(
            job=info.get("job"), where=where
        ) + _timeout(info)
    if on == ON_POOL_JOIN:
        return tr("in pool.join(), waiting for the workers to end{where}").format(where=where)
    if on in FUTURES_WAITS:
        return tr("in {call}(), waiting for futures to finish{where}").format(
            call=on, where=where
        ) + _timeout(info)
    if on in OS_WAITS and info.get("tpid") is not None:
        return tr("in {call}(), waiting for pid {pid}{where}").format(
            call=on, pid=info.get("tpid"), where=where
        )
    if on in OS_WAITS:
        return tr("in {call}(), waiting for a child process to end{where}").format(
            call=on, where=where
        )
    if on in SYNC_WAITS:
        return tr("in {call}(){where}").format(call=on, where=where) + _timeout(info)
    if info.get("proxy"):
        return tr("in {call}(), waiting for the manager's process{where}").format(
            call=on, where=where
        )
    return _outcome(info)


def _join_why(info: dict[str, Any], names: dict[int, str], where: str) -> str:
    target = info.get("target") or names.get(info.get("tpid"), "?")
    text = tr("in join() waiting for {target} (pid {pid}){where}").format(
        target=target, pid=info.get("tpid"), where=where
    )
    if info.get("timeout") is not None:
        text += "\n" + tr("join timeout {t} s").format(t=info["timeout"])
    return text


def _timeout(info: dict[str, Any]) -> str:
    return (
        "\n" + tr("timeout {t} s").format(t=info["timeout"])
        if info.get("timeout") is not None
        else ""
    )


def _outcome(info: dict[str, Any]) -> str:
    """After a wait: how it ended, when it did not simply succeed."""
    after = info.get("after")
    if after == ON_JOIN and info.get("result") == "timeout":
        return tr("join() gave up: timeout, the child still runs")
    if after in WAITS:
        return _wait_outcome(str(after), info.get("result"))
    return ""


def _number(value: object) -> str:
    """A number as a person reads it: 3.0 as 3, a random 0.23489281 as 0.2349."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.4g}"
    return _short(value)


def _wait_outcome(call: str, result: object) -> str:
    """How the last wait ended, when it did not simply succeed (a timeout, a broken barrier)."""
    if result == "timeout":
        return tr("{call}() gave up: timeout").format(call=call)
    if result == "broken":
        return tr("{call}(): the barrier was broken").format(call=call)
    return ""


def event_detail(kind: str, data: dict[str, Any] | None, names: dict[int, str]) -> str:
    data = flat(data) or {}
    if kind == "state":
        return state_name(str(data.get("s", ""))) + _state_suffix(data, names)
    if kind == "print":
        return text(data.get("text", ""), SHOWN)
    if kind in ("exited", "joined", "exit_status"):
        return exit_code_text(data.get("code"))
    if kind == "terminated":
        by = names.get(data.get("by"), data.get("by"))
        return tr("{signal} sent by {by}").format(signal=signal_name(data.get("sig", 0)), by=by)
    if kind == "stopped":
        return stop_text(str(data.get("how", "")))
    if kind in ("created", "started"):
        return text(data.get("name", ""), SHOWN)
    if kind == "channel_lost" or (kind == "error" and data.get("code") == "channel_lost"):
        return channel_lost_text(data, 0)
    if kind == "error":
        return text(data.get("msg", ""), SHOWN)
    if kind == "task":
        return _task_detail(data)
    if kind == "unreadable":
        what = event_name(str(data.get("kind", "?")))
        return tr("a {kind} event whose values were not plain data").format(kind=what)
    return ""


def stop_text(how: str) -> str:
    """Why a lane ends where the run ended (workers/events.py: STOP_HOWS)."""
    texts = {
        "killed": tr("ended by Stop"),
        "not_signalled": tr(
            "not signalled by Stop: the system did not show it as a process of this run "
            "(it had already ended, or it never was one)"
        ),
        "unseen": tr("the run ended; this process's end was not seen"),
    }
    return texts.get(how, how)


def _task_detail(data: dict[str, Any]) -> str:
    phase = data.get("phase")
    if phase == "submit":
        return tr("{how}: {fn}, {n} call(s), chunksize {c}").format(
            how=data.get("how"),
            fn=data.get("call") or data.get("fn"),
            n=data.get("n"),
            c=data.get("chunksize"),
        )
    if phase == "start":
        return tr("starts {call}").format(call=data.get("call", ""))
    if phase == "end":
        if data.get("ok", True):
            return tr("returns {result}").format(result=data.get("result", ""))
        return tr("raises {result}").format(result=data.get("result", ""))
    if phase == "collect":
        if data.get("ok", True):
            return tr("result collected (job {job})").format(job=data.get("job"))
        return tr("get() re-raises {result}").format(result=data.get("result", ""))
    return ""


def channel_name(channel: Any) -> str:
    """How the code calls a channel (``Queue q``, ``Pipe fd1, fd2``), else where it was made."""
    if channel.name:
        return f"{channel.kind} {channel.name}"
    if channel.line:
        return tr("{kind} made on line {line}").format(kind=channel.kind, line=channel.line)
    return channel.kind


def depth_label(channel: Any) -> str:
    bound = tr("max {n}").format(n=channel.maxsize) if channel.maxsize else tr("unbounded")
    return tr("{label}\ndepth ({bound})").format(label=channel_name(channel), bound=bound)


def channel_label(rec: Any, ch: Any) -> str:
    channel = rec.messages.channels.get(ch) if rec is not None else None
    return channel_name(channel) if channel is not None else str(ch)


def scenario_text(text: str) -> str:
    """A scenario's title, explanation or parameter description: English in the script itself,
    translated in the .ts (tools/update_translations.py collects them from model.catalog)."""
    return tr(text)  # i18n: collected from model.catalog


def message_text(rec: Any, lane: Lane, kind: str, data: dict[str, Any]) -> str:
    """Hover text of a message end: channel, payload, sender and receiver, times."""
    data = flat(data) or {}
    m = rec.messages.messages.get(str(data.get("mid")))
    channel = channel_label(rec, data.get("ch") or (m.ch if m is not None else ""))
    if kind == "fail":
        return tr("{name}: {how}() on {channel} raised {error}").format(
            name=lane.name, how=data.get("how"), channel=channel, error=data.get("error")
        )
    head = f"{lane.name} (pid {lane.pid})\n{event_name(kind)}: {channel}"
    if m is None:
        return head
    lines = [head, tr("payload: {p}").format(p=text(m.payload, SHOWN))]
    lines.append(
        tr("sent by {who} at {t:.3f} s").format(
            who=rec.lane_name(m.sender), t=(m.sent - rec.t0) / 1e9
        )
    )
    if m.received is not None:
        lines.append(
            tr("received by {who} at {t:.3f} s").format(
                who=rec.lane_name(m.receiver), t=(m.received - rec.t0) / 1e9
            )
        )
    else:
        lines.append(tr("not received (yet)"))
    return "\n".join(lines)


def task_text(rec: Any, task: Any) -> str:
    """Hover text of a task box: call, worker, times, wait in the pool's queue, result."""
    lane = rec.lanes.get(task.worker)
    worker = f"{lane.name if lane else '?'} (pid {task.worker})"
    lines = [text(task.call, SHOWN), tr("ran on {worker}").format(worker=worker)]
    if task.start is not None:
        start = (task.start - rec.t0) / 1e9
        end = (task.end - rec.t0) / 1e9 if task.end is not None else None
        died = rec.task_died_with(task)
        if died is not None:
            lines.append(
                tr("started {a:.3f} s; its worker ended at {b:.3f} s: {how}").format(
                    a=start, b=(died.end - rec.t0) / 1e9, how=exit_code_text(died.exitcode)
                )
            )
        elif end is None:
            lines.append(tr("started {a:.3f} s, still running").format(a=start))
        else:
            lines.append(
                tr("started {a:.3f} s, ended {b:.3f} s ({d:.3f} s)").format(
                    a=start, b=end, d=end - start
                )
            )
    waited = rec.tasks.waited(task)
    if waited is not None:
        lines.append(tr("waited in the pool's queue {s:.3f} s").format(s=waited / 1e9))
    if task.ok is False:
        lines.append(tr("raised {result}").format(result=text(task.result, SHOWN)))
        if task.traceback:
            lines.append(text(task.traceback, SHOWN * 10).rstrip())
    elif task.ok:
        lines.append(tr("returned {result}").format(result=text(task.result, SHOWN)))
    return "\n".join(lines)


def _state_suffix(data: dict[str, Any], names: dict[int, str]) -> str:
    why = _why(data, names)
    return f" — {why}" if why else ""


def marker_text(lane: Lane, kind: str, data: dict[str, Any], names: dict[int, str]) -> str:
    head = f"{lane.name} (pid {lane.pid})"
    data = flat(data) or {}
    if kind == "print":
        return f"{head}\n{tr('printed:')} {text(data.get('text', ''), SHOWN)}"
    if kind in ("submit", "collect"):
        return f"{head}\n{event_name(kind)}: {_task_detail(data)}"
    if kind == "exited":
        said = f"{head}\n{event_name(kind)}: {exit_code_text(lane.exitcode)}"
        if lane.traceback:
            said += "\n" + lane.traceback.rstrip()
        return said
    return f"{head}\n{event_name(kind)}: {event_detail(kind, data, names)}"
