"""Queue and Pipe traffic: channels, messages paired by id, failures, and each queue's depth.

Depth is computed from the events (a put adds one, a get removes one), not from ``qsize()``,
which is not implemented on macOS.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

from model.plain import small_int, text


@dataclass
class Channel:
    ch: str
    kind: str = ""
    name: str = ""
    maxsize: int = 0
    line: int = 0
    owner: int = 0
    created: int = 0

    @property
    def is_queue(self) -> bool:
        return "Queue" in self.kind

    @property
    def label(self) -> str:
        """How the code calls it (``q``, ``fd1, fd2``), else where it was made."""
        if self.name:
            return f"{self.kind} {self.name}"
        return f"{self.kind} @ line {self.line}" if self.line else self.kind


@dataclass(slots=True)
class Message:
    mid: str
    ch: str
    sender: int | None = None
    sent: int | None = None
    payload: str = ""
    how: str = ""
    sender_end: str = ""
    receiver: int | None = None
    received: int | None = None
    receiver_end: str = ""
    failed: bool = False  # it never left: its pickling failed


@dataclass(slots=True)
class Failure:
    pid: int
    ts: int
    ch: str
    error: str
    how: str
    line: int


SEND, RECV = 1, -1  # a message end's side in a process's points


@dataclass
class MessageBook:
    """Channels and messages; ``completed`` lists messages in the order they became whole (sent
    and received), so a view adds only the new ones. Depth changes are kept per channel as two
    typed columns in arrival order (a million (ts, delta) tuples, sorted on each insert, cost
    ~120 MB and a window's every tick in a message flood: bench/ingest.py --source queue).

    Each process's sends and receives are kept as points, three typed columns (time, the
    event's index in the Recording, side), not as a marker object each: a marker kept its
    event's data dict alive, and a Queue flood of 1,000,000 events took 862 MB to record
    (bench/scale.py, the Queue messages line; 346 MB now). What a point says is read back from
    its event."""

    channels: dict[str, Channel] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    completed: list[Message] = field(default_factory=list)
    points: dict[int, tuple[array, array, array]] = field(default_factory=dict)
    _depth: dict[str, tuple[array, array]] = field(default_factory=dict)
    _in_flight: dict[str, int] = field(default_factory=dict)  # mid -> its send's event index
    version: int = 0

    def add(
        self, pid: int, ts: int, line: int, data: dict[str, Any], index: int = -1
    ) -> str | None:
        """Apply one message event (``index``: its row in the Recording's events); its phase
        (channel, send, recv, fail), None if unknown."""
        self.version += 1
        phase, ch = data.get("phase"), _text(data.get("ch", ""))
        if phase == "send" or phase == "recv":
            sending = phase == "send"
            self._passage(pid, ts, ch, data, sending, index)
            points = self.points.get(pid)
            if points is None:
                points = self.points[pid] = (array("q"), array("q"), array("b"))
            points[0].append(ts)
            points[1].append(index)
            points[2].append(SEND if sending else RECV)
            return phase
        if phase == "channel":
            self._channel(pid, ts, line, ch, data)
            return phase
        if phase == "fail":
            error, how = _text(data.get("error", "")), _text(data.get("how", ""))
            failed = self._failed_message(_text(data.get("mid", "")), ts)
            ch = failed.ch if failed is not None and not ch else ch
            self.failures.append(Failure(pid, ts, ch, error, how, line))
            return phase
        return None

    def _passage(
        self, pid: int, ts: int, ch: str, data: dict[str, Any], sending: bool, index: int
    ) -> None:
        """One side of a message: it completes the message when the other side is there."""
        mid = _text(data.get("mid", ""))
        m = self.messages.get(mid)
        if m is None:
            m = self.messages[mid] = Message(mid, ch)
            self.channel(ch)
        depth = self._depth.get(ch)
        if depth is None:
            depth = self._depth[ch] = (array("q"), array("b"))
        depth[0].append(ts)
        if sending:
            completes = m.sent is None and m.received is not None
            m.sender, m.sent, m.payload = pid, ts, _text(data.get("payload", ""))
            m.how, m.sender_end = _text(data.get("how", "")), _text(data.get("end", ""))
            depth[1].append(1)
            if m.received is None:
                self._in_flight[mid] = index
        else:
            completes = m.received is None and m.sent is not None
            m.receiver, m.received, m.receiver_end = pid, ts, _text(data.get("end", ""))
            depth[1].append(-1)
            self._in_flight.pop(mid, None)
        if completes:
            self.completed.append(m)

    def _failed_message(self, mid: str, ts: int) -> Message | None:
        """A sent message that never left (its pickling failed): no longer in flight, and out
        of its queue's depth again."""
        m = self.messages.get(mid) if mid else None
        if m is None or self._in_flight.pop(mid, None) is None:
            return m
        m.failed = True
        depth = self._depth.get(m.ch)
        if depth is not None:
            depth[0].append(ts)
            depth[1].append(-1)
        return m

    def completes(self, data: dict[str, Any]) -> bool:
        """A channel, or the receiving of a message whose sending was kept?"""
        phase = data.get("phase")
        if phase == "channel":
            return True
        if phase == "recv":
            m = self.messages.get(_text(data.get("mid", "")))
            return m is not None and m.sent is not None and m.received is None
        return False

    def _channel(self, pid: int, ts: int, line: int, ch: str, data: dict[str, Any]) -> None:
        c = self.channel(ch)
        c.kind, c.name = _text(data.get("kind", "")), _text(data.get("name", ""))
        c.maxsize = max(small_int(data.get("maxsize", 0), 0), 0)
        c.line, c.owner, c.created = line, pid, ts

    def channel(self, ch: str) -> Channel:
        if ch not in self.channels:
            self.channels[ch] = Channel(ch)
        return self.channels[ch]

    def depth_columns(self, ch: str) -> tuple[array, array]:
        """The channel's puts (+1) and gets (-1) with their times, in arrival order."""
        return self._depth.get(ch, (array("q"), array("b")))

    def depth_series(self, ch: str) -> list[tuple[int, int]]:
        """(time, depth after it) at every put and get of the channel, in time order (a get
        and a put at the same instant: the get first)."""
        depth, out = 0, []
        for ts, delta in sorted(zip(*self.depth_columns(ch), strict=True)):
            depth += delta
            out.append((ts, depth))
        return out

    def queues(self) -> list[Channel]:
        return [c for c in self.channels.values() if c.is_queue]

    def unreceived(self) -> list[Message]:
        """Messages sent and never received (still in the queue or pipe, or lost)."""
        return [m for m, _index in self.in_flight()]

    def in_flight(self) -> list[tuple[Message, int]]:
        """Messages sent and not received (yet), each with its send's event index."""
        return [(self.messages[mid], index) for mid, index in self._in_flight.items()]

    def points_of(self, pid: int) -> tuple[array, array, array]:
        """The sends and receives of ``pid``: times, event indices, sides, in arrival order."""
        return self.points.get(pid) or (array("q"), array("q"), array("b"))

    def complete(self) -> list[Message]:
        """Messages sent and received, in the order they became so."""
        return list(self.completed)


def _text(value: Any) -> str:
    """A field as text: most already are (a message flood calls this four times a message)."""
    return value if type(value) is str else text(value)
