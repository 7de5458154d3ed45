"""A lane and what is drawn on it: the model's per-process types. Qt-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from model.event_store import EventStore


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of one state on a lane, in ns of the shared clock; ``info`` says why (on, target)."""

    start: int
    end: int
    state: str
    info: dict[str, Any]


@dataclass(slots=True)
class Marker:
    """A point on a lane: a lifecycle moment or a printed line; ``index`` is its event's row.

    A printed line's data is not held but read back from the Recording's events when asked
    (``events``): its dict and text, held for every line, were ~280 B of the ~560 B a print
    cost, and most of the memory a recording of prints took to open (bench/open_memory.py)."""

    ts: int
    kind: str
    line: int
    held: dict[str, Any] | None
    index: int
    events: EventStore | None = None

    @property
    def data(self) -> dict[str, Any]:
        if self.held is not None:
            return self.held
        return (self.events.data(self.index) if self.events is not None else None) or {}


@dataclass
class Lane:
    pid: int
    name: str = ""
    ppid: int | None = None
    parent: int | None = None
    daemon: bool = False
    created: int | None = None
    started: int | None = None
    exited: int | None = None
    joined: int | None = None
    exit_status_ts: int | None = None
    exitcode: int | None = None
    traceback: str | None = None
    terminated_sig: int | None = None
    stopped: int | None = None  # the run ended while it had no end (K_STOPPED): its last resort
    can_be_zombie: bool = True
    start_method: str | None = None  # how multiprocessing started it (None: the main process)
    helper: bool = False  # multiprocessing's fork server or resource tracker: no state claims
    unrecorded_from: int | None = None  # its first state change not kept (detail limit)
    transitions: list[tuple[int, int, str, dict[str, Any]]] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    version: int = 0

    @property
    def first_seen(self) -> int:
        known = [t for t in (self.created, self.started, self.exited) if t is not None]
        return min(known) if known else 0

    @property
    def end(self) -> int | None:
        """When the process stopped running: observed exit, else its own last word, else reaping,
        else where the run ended without its end being seen (Stop killed it, or nobody saw it)."""
        known = [t for t in (self.exited, self.joined) if t is not None]
        if known:
            return min(known)
        if self.exit_status_ts is not None:
            return self.exit_status_ts
        return self.stopped
