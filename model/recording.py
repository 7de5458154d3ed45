"""The Recording: events turned into lanes, states, markers. Qt-free; every view and exporter reads it.

Events from several processes arrive interleaved and not always in time order (each process
flushes its own batches), so everything here is ordered by timestamp, not by arrival.
"""

from __future__ import annotations

import gc
from collections import deque
from typing import Any

from model.event_store import EventStore
from model.lane_events import HANDLERS, exit_of_an_orphan, on_channel_lost
from model.lanes import Lane, Marker, Segment
from model.messages import MessageBook
from model.tasks import Task, TaskBook
from workers.events import (
    CHANNEL_LOST,
    K_CREATED,
    K_ERROR,
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
    K_UNREADABLE,
    S_RUNNING,
    S_UNRECORDED,
    S_ZOMBIE,
    Event,
    is_well_formed,
    now_ns,
)

DETAIL_LIMIT = 1_000_000
"""Events kept in full. Past it (a flood: a million prints or messages) only what keeps lanes
whole is kept: lifecycle events, the channels, and the other half of tasks and messages already
kept; the rest is counted per kind in ``summarised``, and lanes whose state changes were not kept
show "not recorded" from the first of them. A million kept events cost < 500 MB (bench/scale.py)."""

PRINT_TAIL = 50
"""Past the limit, each process's last PRINT_TAIL printed lines are still kept, added when the
run ends: the console then ends with what the program said last (its result, its error)."""

_ALWAYS_KEPT = frozenset(
    {
        K_CREATED,
        K_STARTED,
        K_EXIT_STATUS,
        K_EXITED,
        K_JOINED,
        K_TERMINATED,
        K_STOPPED,
        K_ERROR,
        K_UNREADABLE,
    }
)
_NO_LANE = frozenset({K_ERROR, K_UNREADABLE})  # kept, but about the run, not drawn on a lane


class Recording:
    def __init__(self, t0: int | None = None, limit: int = DETAIL_LIMIT) -> None:
        """``t0`` is time zero of the axes; by default the first event's time. ``limit``: see
        DETAIL_LIMIT."""
        self.t0: int = t0 if t0 is not None else 0
        self.limit = limit
        self.summarised: dict[str, int] = {}  # kind -> events past the limit, counted, not kept
        self._print_tails: dict[int, deque[Event]] = {}  # pid -> its last lines past the limit
        self._t0_fixed = t0 is not None
        self.lanes: dict[int, Lane] = {}
        self.events = EventStore()
        self.errors: list[Event] = []
        self.tasks = TaskBook()
        self.messages = MessageBook()
        # every marker in the order it was made: a view appends only what is new since it looked
        self.marker_log: list[tuple[int, Marker]] = []
        self._pids: dict[int, int] = {}
        # What could not be read, said on screen and in exports (nothing is lost in silence):
        self.dropped = 0  # events the app could not read (a whole unreadable frame counts one)
        self.dropped_frames = 0  # of those, whole frames: how many events each held is unknown
        self.unreadable: dict[str, int] = {}  # kind -> events the tracer could not send whole
        self.channel_broken = False  # the channel carried garbage: nothing after it was read
        self.last_ts = self.t0
        self.end_ts: int | None = None
        self.live = False  # while a run is going, "now" is the clock, not the last event
        self._seq = 0

    # ---- building -------------------------------------------------------------------------
    def add(self, events: list[Event], checked: bool = False) -> None:
        """Take ``events`` in; malformed ones are counted in ``dropped``. ``checked``: every one
        already passed ``is_well_formed`` (the channel's decoder checks each frame's events)."""
        good = events if checked else [ev for ev in events if is_well_formed(ev)]
        self.dropped += len(events) - len(good)
        if not self._t0_fixed and good:
            first = min(ev[2] for ev in good)
            self.t0, self.last_ts, self._t0_fixed = first, first, True
        if len(self.events) + len(good) <= self.limit:  # all kept: stored in bulk
            base, kept = self.events.extend(good)
            self.dropped += len(good) - len(kept)
            apply = self._apply
            for index, ev in enumerate(kept, base):
                apply(ev, index)
        else:
            for ev in good:
                self._add_one(ev)
        # What a Recording holds (millions of small objects) never forms cycles; left in the
        # collector's generations, full collections scan it all again and again: 2 of the 4.8 µs
        # an event cost, and pauses of 100+ ms in the window during a flood. Frozen, it is not
        # scanned (freeing by reference count goes on; Session.start collects what was frozen).
        gc.freeze()

    def _add_one(self, ev: Event) -> None:
        kind, pid, ts, line, data = ev
        if len(self.events) >= self.limit and not self._keeps(kind, pid, data or {}):
            self._summarise(ev)
            return
        self._keep(ev)

    def _keep(self, ev: Event) -> None:
        kind, pid, ts, line, data = ev
        try:
            index = self.events.append(kind, pid, ts, line, data)
        except ValueError:  # its data cannot be kept (nested thousands deep): malformed
            self.dropped += 1
            return
        self._apply(ev, index)

    def _apply(self, ev: Event, index: int) -> None:
        """Apply one stored event to lanes, tasks and messages. Runs for every event of a run:
        kept lean (the app's time per event is most of a traced run's overhead,
        bench/overhead.py)."""
        kind, pid, ts, line, data = ev
        pid = self._pids.setdefault(pid, pid)  # one int object per process, not one per event
        if ts > self.last_ts:
            self.last_ts = ts
        if kind in _NO_LANE:
            if kind == K_ERROR:
                self.errors.append(ev)
                if data and data.get("code") == CHANNEL_LOST:
                    on_channel_lost(self, self.lane(pid), ts, line, data, index)
            else:
                self._count_unreadable(data)
            return
        lane = self.lanes.get(pid)
        if lane is None:
            lane = self.lane(pid)
        lane.version += 1
        handler = HANDLERS.get(kind)
        if handler is not None:
            handler(self, lane, ts, line, data or {}, index)

    def _keeps(self, kind: str, pid: int, data: dict[str, Any]) -> bool:
        """Past the limit: does this event still go in (see DETAIL_LIMIT)?"""
        if kind in _ALWAYS_KEPT:
            return True
        if kind == K_TASK:
            return self.tasks.completes(pid, data)
        if kind == K_MSG:
            return self.messages.completes(data)
        return False

    def _summarise(self, ev: Event) -> None:
        kind, pid, ts = ev[0], ev[1], ev[2]
        self.summarised[kind] = self.summarised.get(kind, 0) + 1
        self.last_ts = max(self.last_ts, ts)
        if kind == K_STATE:
            self.mark_unrecorded(pid, ts)
        elif kind == K_PRINT:
            tail = self._print_tails.get(pid)
            if tail is None:
                tail = self._print_tails[pid] = deque(maxlen=PRINT_TAIL)
            tail.append(ev)

    def _keep_print_tails(self) -> None:
        """The last lines of each process, counted so far, are kept after all."""
        for tail in self._print_tails.values():
            for ev in tail:
                self._keep(ev)
            self.summarised[K_PRINT] -= len(tail)
        if self.summarised.get(K_PRINT) == 0:
            del self.summarised[K_PRINT]
        self._print_tails = {}

    def mark_unrecorded(self, pid: int, ts: int) -> None:
        """From ``ts`` on, the states of ``pid`` were not kept."""
        lane = self.lane(pid)
        if lane.unrecorded_from is None or ts < lane.unrecorded_from:
            lane.unrecorded_from = ts
            lane.version += 1

    def _count_unreadable(self, data: dict[str, Any] | None) -> None:
        kind = (data or {}).get("kind")
        kind = kind if type(kind) is str else "?"
        self.unreadable[kind] = self.unreadable.get(kind, 0) + 1

    def count_unread(self, events: int, whole_frame: bool = False) -> None:
        """``events`` could not be read (``whole_frame``: a frame no event of which could)."""
        self.dropped += events
        self.dropped_frames += int(whole_frame)

    @property
    def unread(self) -> int:
        """Events that could not be read, at least: the app's drops and the tracer's stand-ins."""
        return self.dropped + sum(self.unreadable.values())

    def unread_summary(self) -> dict[str, Any]:
        """What could not be read, for an export's metadata; {} when nothing was lost."""
        out: dict[str, Any] = {}
        if self.unread:
            out["dropped_events"] = self.unread
        if self.unreadable:
            out["unreadable_kinds"] = dict(self.unreadable)
        if self.dropped_frames:
            out["unreadable_frames"] = self.dropped_frames
        if self.channel_broken:
            out["channel_broken"] = True
        return out

    def restore_unread(self, saved: Any) -> None:
        """The app's own counts of a saved run (``saved_unread``); the tracer's stand-ins are
        events of the file, counted again as it is read."""
        if not isinstance(saved, dict):
            return
        dropped, frames = saved.get("dropped"), saved.get("dropped_frames")
        if type(dropped) is int and dropped > 0:
            self.dropped += dropped
        if type(frames) is int and frames > 0:
            self.dropped_frames += frames
        if saved.get("channel_broken") is True:
            self.channel_broken = True

    def saved_unread(self) -> dict[str, Any]:
        """What ``restore_unread`` reads back from a saved recording."""
        return {
            "dropped": self.dropped,
            "dropped_frames": self.dropped_frames,
            "channel_broken": self.channel_broken,
        }

    @property
    def channel_lost(self) -> list[int]:
        """The processes that closed mpscope's event channel (a daemon closing what it
        inherited): nothing they did after that is recorded."""
        return [ev[1] for ev in self.errors if (ev[4] or {}).get("code") == CHANNEL_LOST]

    @property
    def summarised_total(self) -> int:
        return sum(self.summarised.values())

    @property
    def received(self) -> int:
        """Every well-formed event taken in: kept or summarised."""
        return len(self.events) + self.summarised_total

    def event(self, index: int) -> Event:
        """Event ``index`` as it arrived (events are stored as columns: model/event_store.py)."""
        return self.events[index]

    def lane(self, pid: int) -> Lane:
        lane = self.lanes.get(pid)
        if lane is None:
            lane = self.lanes[pid] = Lane(pid=pid)
        return lane

    def finish(self, end_ts: int) -> None:
        """The run is over: what is still open ends here."""
        self.end_ts = max(end_ts, self.last_ts)
        self.live = False
        self._keep_print_tails()
        for lane in self.lanes.values():
            exit_of_an_orphan(self, lane)

    # ---- reading --------------------------------------------------------------------------
    def now(self) -> int:
        if self.end_ts is not None:
            return self.end_ts
        if self.live:
            return max(self.last_ts, now_ns())
        return self.last_ts

    def start_method(self, requested: str) -> str:
        """The start method the program used: the one its processes were started with (joined
        with "+" if it used several); ``requested`` (the default it was given) if it started
        none through multiprocessing."""
        used = sorted({lane.start_method for lane in self.lanes.values() if lane.start_method})
        return "+".join(used) if used else requested

    def task_end(self, task: Task, now: int | None = None) -> int:
        """When a task stopped: its end; else its worker's end (it died with its worker, which
        says nothing more: a task drawn running past its worker's death would be false); else
        now (it runs)."""
        if task.end is not None:
            return task.end
        died = self.task_died_with(task)
        if died is not None and died.end is not None:
            return died.end
        return self.now() if now is None else now

    def task_died_with(self, task: Task) -> Lane | None:
        """The worker's lane, when the task never ended and its worker did (killed, crashed)."""
        if task.end is not None or task.start is None:
            return None
        lane = self.lanes.get(task.worker)
        return lane if lane is not None and lane.end is not None else None

    def ordered_lanes(self) -> list[Lane]:
        """Lanes in the order processes appeared: the main process first, multiprocessing's
        helper processes last."""
        return sorted(
            self.lanes.values(), key=lambda lane: (lane.helper, lane.first_seen, lane.pid)
        )

    def segments(self, lane: Lane, now: int | None = None) -> list[Segment]:
        """States back to back, from start to exit, then the zombie span until it was reaped."""
        now = self.now() if now is None else now
        begin = _begin(lane)
        if begin is None or lane.helper:  # nothing reports a helper's states: none is claimed
            return []
        return self._segments_from(lane, lane.transitions, begin, now)

    def segments_tail(
        self, lane: Lane, known: int, last_start: int, now: int
    ) -> list[Segment] | None:
        """The segments from ``last_start``, where a state segment of a previous ``segments()``
        began (its last, see ``tail_start``: the zombie and "not recorded" spans after it are
        made again, since the end or the cut may have moved), when what changed since then is
        new state changes appended in time order, the end of the process, its reaping, or the
        detail limit (the live case: a lane with 100k state changes redrawn whole on its exit,
        at the limit, or when its observed exit came after its own last word, froze a flood's
        window for 1.1 to 3 s, bench/ingest.py --source sleep).
        None when a full ``segments()`` is needed."""
        t, end, cut, begin = lane.transitions, lane.end, lane.unrecorded_from, _begin(lane)
        if begin is None:
            return None
        if end is not None and last_start >= end:  # drawn past an end that came earlier
            return None
        if cut is not None and last_start >= max(cut, begin):  # or past a cut that came earlier
            return None
        if not 1 <= known <= len(t) or t[known - 1][0] != last_start:
            return None
        return self._segments_from(lane, t[known - 1 :], last_start, now)

    def _segments_from(
        self,
        lane: Lane,
        transitions: list[tuple[int, int, str, dict[str, Any]]],
        begin: int,
        now: int,
    ) -> list[Segment]:
        end = lane.end
        stop = end if end is not None else now
        cut = lane.unrecorded_from
        if cut is not None and cut < stop:
            cut = max(cut, begin)
            out = _state_segments(transitions, begin, cut)
            out.append(Segment(cut, stop, S_UNRECORDED, {}))
        else:
            out = _state_segments(transitions, begin, stop)
        if end is not None and lane.can_be_zombie:
            reaped = self.reaped_at(lane, now)
            if reaped > end:
                out.append(Segment(end, reaped, S_ZOMBIE, {}))
        return out

    def reaped_at(self, lane: Lane, now: int) -> int:
        """Reaped by join/poll; or, orphaned when its parent ended, by init; or not yet."""
        if lane.joined is not None:
            return lane.joined
        parent = self.lanes.get(lane.parent) if lane.parent is not None else None
        if parent is not None and parent.end is not None:
            return parent.end
        return now

    def markers(self, lane: Lane) -> list[Marker]:
        return lane.markers

    def lane_name(self, pid: int) -> str:
        lane = self.lanes.get(pid)
        return lane.name if lane and lane.name else str(pid)


def tail_start(drawn: list[Segment]) -> int | None:
    """The index of the last state segment in ``drawn`` (a lane's segments as drawn), where a
    ``segments_tail`` redraw starts; None if there is none."""
    for i in range(len(drawn) - 1, -1, -1):
        if drawn[i].state not in (S_ZOMBIE, S_UNRECORDED):
            return i
    return None


def _begin(lane: Lane) -> int | None:
    return lane.started if lane.started is not None else lane.created


def _state_segments(
    transitions: list[tuple[int, int, str, dict[str, Any]]], begin: int, stop: int
) -> list[Segment]:
    out: list[Segment] = []
    state, info, t = S_RUNNING, {}, begin
    for ts, _seq, new_state, new_info in transitions:
        if ts >= stop:
            break
        ts = max(ts, begin)
        if ts > t:
            out.append(Segment(t, ts, state, info))
        state, info, t = new_state, new_info, max(t, ts)
    if stop > t:
        out.append(Segment(t, stop, state, info))
    return out
