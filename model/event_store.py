"""Every event of a run, kept as columns: a million events as tuples of Python objects cost
about 350 B each (a tuple, three ints, a JSON str: bench/scale.py); as typed arrays plus one
buffer of the events' data they cost that data's length plus 29 B.

The data is kept with ``marshal`` (0.4 µs an event, against 2.2 µs for ``json.dumps``: the app
spends its time per event, bench/overhead.py). Only this module writes and reads that buffer, in
memory; recordings on disk are JSON (model/recording_file.py)."""

from __future__ import annotations

import json
import marshal
from array import array
from collections.abc import Iterator
from itertools import accumulate, islice
from typing import Any

from workers.events import KINDS, Event

_KIND_LIST = sorted(KINDS)


class EventStore:
    """Append-only columns: kind code, pid, ts, line, and where each event's JSON data ends."""

    def __init__(self) -> None:
        self._kind_codes: dict[str, int] = {k: i for i, k in enumerate(_KIND_LIST)}
        self._kind_names: list[str] = list(_KIND_LIST)
        self._kinds = array("B")
        self._pids = array("q")
        self._ts = array("q")
        self._lines = array("q")
        self._ends = array("Q")
        self._data = bytearray()

    def append(self, kind: str, pid: int, ts: int, line: int, data: dict[str, Any] | None) -> int:
        """Store one event; its index. ValueError (and nothing stored) for data that cannot be
        kept (nested too deeply)."""
        packed = _packed(data)
        self._kinds.append(self._kind_code(kind))
        self._pids.append(pid)
        self._ts.append(ts)
        self._lines.append(line)
        self._data += packed
        self._ends.append(len(self._data))
        return len(self._kinds) - 1

    def extend(self, events: list[Event]) -> tuple[int, list[Event]]:
        """Store well-formed events in bulk (a column at a time: one append per event and
        column cost as much as the rest of an event's handling, bench/overhead.py). The index
        of the first and the events stored: those whose data cannot be kept are left out."""
        base = len(self._kinds)
        try:
            packed = [marshal.dumps(ev[4]) if ev[4] else b"" for ev in events]
            kept = events
        except ValueError:  # some data is not plain: one by one, as append() keeps it
            kept, packed = [], []
            for ev in events:
                try:
                    packed.append(_packed(ev[4]))
                except ValueError:
                    continue
                kept.append(ev)
        if not kept:
            return base, kept
        kinds, pids, stamps, lines, _data = zip(*kept, strict=True)
        codes = list(map(self._kind_codes.get, kinds))
        if None in codes:  # a kind not seen before (well-formed events carry known ones)
            codes = [self._kind_code(kind) for kind in kinds]
        self._kinds.extend(codes)
        self._pids.extend(pids)
        self._ts.extend(stamps)
        self._lines.extend(lines)
        self._ends.extend(islice(accumulate(map(len, packed), initial=len(self._data)), 1, None))
        self._data += b"".join(packed)
        return base, kept

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
        return (self[i] for i in range(len(self)))

    def kind(self, index: int) -> str:
        return self._kind_names[self._kinds[index]]

    def pid(self, index: int) -> int:
        return self._pids[index]

    def ts(self, index: int) -> int:
        return self._ts[index]

    def line(self, index: int) -> int:
        return self._lines[index]

    def has_data(self, index: int) -> bool:
        return self._ends[index] > self._start(index)

    def data(self, index: int) -> dict[str, Any] | None:
        start, end = self._start(index), self._ends[index]
        if end == start:
            return None
        return marshal.loads(self._data[start:end])

    def timestamps(self) -> array:
        """The ts column itself (read-only by convention): sorting a replay needs all of them."""
        return self._ts

    def _start(self, index: int) -> int:
        if index < 0:
            index += len(self._ends)
        return self._ends[index - 1] if index > 0 else 0


def _packed(data: dict[str, Any] | None) -> bytes:
    if not data:
        return b""
    try:
        return marshal.dumps(data)
    except ValueError:  # not plain data (a caller's own object): kept as JSON would keep it
        pass
    try:
        return marshal.dumps(json.loads(json.dumps(data, default=repr)))
    except (ValueError, TypeError, RecursionError) as err:
        raise ValueError("event data that cannot be kept") from err
