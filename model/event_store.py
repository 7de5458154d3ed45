"""Every event of a run, kept as columns: a million events as tuples of Python objects cost
about 350 B each (a tuple, three ints, a JSON str: bench/scale.py); as typed arrays plus the
events' data, serialised a chunk at a time, they cost about that data's length plus 25 B.

The data is kept with ``marshal``, one call per chunk of up to CHUNK events (one call per event
cost 0.45 µs an event more, ``json.dumps`` 2.2 µs: the app spends its time per event,
bench/overhead.py). Reading an event loads its chunk; the last few chunks read stay loaded, so
reading in order, or in time order as a replay does, loads each about once. Only this module
writes and reads those chunks, in memory; recordings on disk are JSON (model/recording_file.py)."""

from __future__ import annotations

import json
import marshal
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import Any

from workers.events import KINDS, Event

_KIND_LIST = sorted(KINDS)
CHUNK = 512
LOADED = 16  # chunks kept loaded


class EventStore:
    """Append-only columns: kind code, pid, ts, line; the data in serialised chunks."""

    def __init__(self) -> None:
        self._kind_codes: dict[str, int] = {k: i for i, k in enumerate(_KIND_LIST)}
        self._kind_names: list[str] = list(_KIND_LIST)
        self._kinds = array("B")
        self._pids = array("q")
        self._ts = array("q")
        self._lines = array("q")
        self._starts = array("q")  # the index of each chunk's first event
        self._chunks: list[bytes] = []
        self._loaded: dict[int, tuple[dict[str, Any] | None, ...]] = {}

    def append(self, kind: str, pid: int, ts: int, line: int, data: dict[str, Any] | None) -> int:
        """Store one event; its index. ValueError (and nothing stored) for data that cannot be
        kept (nested too deeply)."""
        base, kept = self.extend([(kind, pid, ts, line, data)])
        if not kept:
            raise ValueError("event data that cannot be kept")
        return base

    def extend(self, events: list[Event]) -> tuple[int, list[Event]]:
        """Store well-formed events in bulk, a column at a time. The index of the first and
        the events stored: those whose data cannot be kept are left out."""
        base = len(self._kinds)
        kept: list[Event] = []
        for at in range(0, len(events), CHUNK):
            kept.extend(self._store_chunk(events[at : at + CHUNK]))
        return base, kept if len(kept) < len(events) else events

    def _store_chunk(self, events: list[Event]) -> list[Event]:
        if not events:
            return events
        kinds, pids, stamps, lines, datas = zip(*events, strict=True)
        try:
            blob = marshal.dumps(datas)
        except ValueError:  # some data is not plain: kept as JSON would keep it, or left out
            events, plain = _plain_only(events)
            if not events:
                return events
            kinds, pids, stamps, lines, _datas = zip(*events, strict=True)
            blob = marshal.dumps(plain)
        codes = list(map(self._kind_codes.get, kinds))
        if None in codes:  # a kind not seen before (well-formed events carry known ones)
            codes = [self._kind_code(kind) for kind in kinds]
        self._starts.append(len(self._kinds))
        self._chunks.append(blob)
        self._kinds.extend(codes)
        self._pids.extend(pids)
        self._ts.extend(stamps)
        self._lines.extend(lines)
        return events

    def _kind_code(self, kind: str) -> int:
        code = self._kind_codes.get(kind)
        if code is None:  # well-formed events only carry known kinds; stay total anyway
            code = self._kind_codes[kind] = len(self._kind_names)
            self._kind_names.append(kind)
        return code

    def __len__(self) -> int:
        return len(self._kinds)

    def __getitem__(self, index: int) -> Event:
        """Event ``index`` as it arrived, its data decoded."""
        return (
            self._kind_names[self._kinds[index]],
            self._pids[index],
            self._ts[index],
            self._lines[index],
            self.data(index),
        )

    def __iter__(self) -> Iterator[Event]:
        for at in range(0, len(self), CHUNK):  # a few chunks at a time: memory stays bounded
            yield from self.take(range(at, min(at + CHUNK, len(self))))

    def take(self, indices: Iterable[int]) -> list[Event]:
        """Events ``indices`` (0 to len - 1), in that order, their data their own: each chunk
        they need is loaded once per call (a replay reads in time order, which may visit many
        chunks back and forth: one at a time through the loaded few, a 300,000-event replay
        took 8 s)."""
        names, kinds, pids, stamps, lines = (
            self._kind_names,
            self._kinds,
            self._pids,
            self._ts,
            self._lines,
        )
        loaded: dict[int, tuple[dict[str, Any] | None, ...]] = {}
        return [
            (names[kinds[i]], pids[i], stamps[i], lines[i], self._data_in(i, loaded) or None)
            for i in indices
        ]

    def kind(self, index: int) -> str:
        return self._kind_names[self._kinds[index]]

    def pid(self, index: int) -> int:
        return self._pids[index]

    def ts(self, index: int) -> int:
        return self._ts[index]

    def line(self, index: int) -> int:
        return self._lines[index]

    def has_data(self, index: int) -> bool:
        return bool(self._stored_data(index))

    def data(self, index: int) -> dict[str, Any] | None:
        """A copy: what the store holds is never handed out to be changed."""
        data = self._stored_data(index)
        return dict(data) if data else None

    def _stored_data(self, index: int) -> dict[str, Any] | None:
        if index < 0:
            index += len(self._kinds)
        if not 0 <= index < len(self._kinds):
            raise IndexError("event index out of range")
        data = self._data_in(index, self._loaded)
        if len(self._loaded) > LOADED:
            del self._loaded[next(iter(self._loaded))]  # the first loaded goes first
        return data

    def _data_in(
        self, index: int, loaded: dict[int, tuple[dict[str, Any] | None, ...]]
    ) -> dict[str, Any] | None:
        """Event ``index``'s data as stored; its chunk is loaded into ``loaded`` if not there."""
        chunk = bisect_right(self._starts, index) - 1
        datas = loaded.get(chunk)
        if datas is None:
            datas = loaded[chunk] = marshal.loads(self._chunks[chunk])
        return datas[index - self._starts[chunk]]

    def timestamps(self) -> array:
        """The ts column itself (read-only by convention): sorting a replay needs all of them."""
        return self._ts


def _plain_only(events: list[Event]) -> tuple[list[Event], tuple[Any, ...]]:
    """The events whose data can be kept, and their data as kept."""
    kept, plain = [], []
    for ev in events:
        try:
            plain.append(_plain(ev[4]))
        except ValueError:
            continue
        kept.append(ev)
    return kept, tuple(plain)


def _plain(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """``data`` if marshal keeps it, else as JSON would keep it (a caller's own objects as
    their repr); ValueError when neither can (nested thousands deep)."""
    try:
        marshal.dumps(data)
        return data
    except ValueError:
        pass
    try:
        plain = json.loads(json.dumps(data, default=repr))
        marshal.dumps(plain)
        return plain
    except (ValueError, TypeError, RecursionError) as err:
        raise ValueError("event data that cannot be kept") from err
