"""Replaying a finished recording: the timeline as it grew live, at any speed, scrubbed at will.

Qt-free. The recording's events are fed, in timestamp order, into a fresh Recording up to the
replay clock. That Recording is "live" with the replay clock as its "now" (not the wall clock),
so spans still open at the clock end there, exactly as they did during the run. Going forward
only adds the events in between; going back builds a fresh Recording from the start.
"""

from __future__ import annotations

import bisect

from model.recording import Recording


class ReplayRecording(Recording):
    """A Recording whose "now", while unfinished, is the replay clock."""

    def __init__(self, t0: int, limit: int) -> None:
        super().__init__(t0=t0, limit=limit)
        self.clock = t0
        self.live = True

    def now(self) -> int:
        if self.end_ts is not None:
            return self.end_ts
        return max(self.last_ts, self.clock)


class Replay:
    """The replay clock over ``source`` (a finished recording), from its t0 to its end."""

    def __init__(self, source: Recording) -> None:
        """Cheap: until the clock moves back, the replay *is* the source at its end (a run that
        just ended offers its replay without copying a million events)."""
        self.source = source
        self._order: list[int] | None = None
        self._stamps: list[int] = []
        self.start = source.t0
        end = source.end_ts if source.end_ts is not None else source.last_ts
        self.end = max(end, self.start)
        self.rec: Recording = source
        self._fed = len(source.events)
        self.clock = self.end

    def _sorted(self) -> list[int]:
        """Event indices in time order (stable: arrival order kept for equal times)."""
        if self._order is None:
            stamps = self.source.events.timestamps()
            self._order = sorted(range(len(stamps)), key=stamps.__getitem__)
            self._stamps = [stamps[i] for i in self._order]
        return self._order

    @property
    def duration(self) -> int:
        """Length of the run, ns."""
        return self.end - self.start

    @property
    def position(self) -> int:
        """Where the replay clock is, ns since the start."""
        return self.clock - self.start

    @property
    def at_end(self) -> bool:
        return self.clock >= self.end

    def seek(self, ts: int) -> bool:
        """Move the clock to ``ts`` (clamped to the run); True when ``rec`` is a new Recording."""
        ts = min(max(ts, self.start), self.end)
        rebuilt = ts < self.clock or (self.rec.end_ts is not None and ts < self.end)
        if rebuilt:
            # the source kept what it kept: the replay keeps all of it, in time order
            limit = max(len(self.source.events), self.source.limit)
            self.rec, self._fed = ReplayRecording(self.start, limit), 0
        order = self._sorted()
        upto = bisect.bisect_right(self._stamps, ts)
        if upto > self._fed:
            self.rec.add(self.source.events.take(order[self._fed : upto]))
            self._fed = upto
        if self.rec is not self.source:
            self._copy_unrecorded(ts)
        self.clock = ts
        if isinstance(self.rec, ReplayRecording):
            self.rec.clock = ts
        if ts >= self.end and self.rec.end_ts is None:
            self.rec.finish(self.end)
        return rebuilt

    def _copy_unrecorded(self, ts: int) -> None:
        """Lanes past the source's detail limit by ``ts`` show it in the replay too."""
        for pid, lane in self.source.lanes.items():
            if lane.unrecorded_from is not None and lane.unrecorded_from <= ts:
                self.rec.mark_unrecorded(pid, lane.unrecorded_from)

    def seek_position(self, ns: int) -> bool:
        """``seek`` to ``ns`` since the start."""
        return self.seek(self.start + ns)

    def advance(self, ns: int) -> bool:
        """Move the clock on by ``ns`` of recorded time."""
        return self.seek(self.clock + ns)
