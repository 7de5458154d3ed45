"""The event channel: one pipe per run, written by every watched process, read by the app.

Why a bare ``multiprocessing.Pipe`` end and not a ``multiprocessing.Queue``: a Queue serialises its
writers with a cross-process lock, and a process killed while holding it (a daemon child
terminated at exit, a Stop) would leave every other writer blocked forever. Writes of at most
``PIPE_BUF`` bytes to a pipe are atomic, so each batch is sent as one frame no larger than that,
and no lock is shared between processes. Frames are pickles of plain data only; the reader
refuses any pickle that names a class or function.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import select
import threading
from collections import deque
from collections.abc import Iterable
from multiprocessing.connection import Connection
from typing import Any

from workers import own_fds
from workers.events import K_UNREADABLE, Event, is_well_formed, now_ns

# Connection.send_bytes writes a 4-byte header and the payload in one write() when small.
MAX_FRAME = getattr(select, "PIPE_BUF", 4096) - 4
FLUSH_INTERVAL_S = 0.003
MAX_BATCH = 256
_TEXT_CUTS = (1000, 300, 60)


class EventWriter:
    """Batches events in one process and flushes them within a few milliseconds."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._closed = False
        self.lost = False  # the program closed the channel's descriptor: see lose()
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        """Fresh state: in a forked child the parent's buffer, locks and thread are not ours.

        Nothing here may wait for itself: a signal handler, or a ``__del__`` run by the collector,
        can print in the middle of a flush on the same thread, and that print emits. So the
        locks are re-entrant, and the flush thread is woken through a lock released by the
        emitter (a C call, atomic) instead of ``threading.Event.set``, which takes a plain lock
        (a handler setting the event inside its own ``set`` waited forever)."""
        self._lock = threading.RLock()  # taken by whoever empties the buffer, never by emit
        self._in_flight = threading.RLock()  # held while the flush thread writes a batch
        self._buf: deque[Event] = deque()
        self._wake = threading.Lock()  # held while the flush thread has nothing to do
        self._wake.acquire()
        self._pause = threading.Lock()  # never released: the flush deadline's clock
        self._pause.acquire()  # (time.sleep is traced)
        self._thread: threading.Thread | None = None

    def emit(self, ev: Event) -> None:
        """Lock-free (a lock here cost ~0.15 µs an event, bench/overhead.py): ``deque.append``
        is atomic, the buffer is emptied by popping until it is empty, and the flush thread
        takes the wake lock back before it pauses and takes the buffer, so an event appended
        after the lock was seen released is taken by the cycle that follows."""
        buf = self._buf
        buf.append(ev)
        if self._wake.locked():
            self._wake_up()
        if self._thread is None:
            self._start_thread()
        if len(buf) >= MAX_BATCH:
            self.flush()

    def _wake_up(self) -> None:
        with contextlib.suppress(RuntimeError):  # another emitter released it first
            self._wake.release()

    def flush(self) -> None:
        with self._lock:
            batch = self._taken()
            if batch and not self._closed:
                self._write(batch)

    def close(self) -> None:
        """Flush what is left (and wait for a batch the flush thread is writing); later events
        are dropped (the process is on its way out)."""
        with self._in_flight:
            self.flush()
            self._closed = True
        self._wake_up()

    def lose(self) -> None:
        """The channel's descriptor is no longer ours (the program closed it, or put a file of
        its own under its number): never write to it again, nor close it (the Connection would
        on collection, and close the program's file)."""
        self._closed = self.lost = True
        own_fds.forget(self._conn._handle)
        self._conn._handle = None

    def _start_thread(self) -> None:
        t = threading.Thread(target=self._flush_loop, name="mpscope-flush", daemon=True)
        self._thread = t
        t.start()

    def _flush_loop(self) -> None:
        """Take the buffer under the lock, write outside it: the program's threads never wait
        on a pipe write here (bench/overhead.py measured 16% of a traced process in that wait).
        Frames are atomic, so this thread and an emitter flushing a full batch may both write."""
        while not self._closed:
            self._wake.acquire()  # an idle process's flusher sleeps: no polling
            self._pause.acquire(timeout=FLUSH_INTERVAL_S)  # let a batch gather, this long
            if self._buf:
                with self._in_flight:
                    with self._lock:
                        batch = self._taken()
                    if batch and not self._closed:
                        self._write(batch)

    def _taken(self) -> list[Event]:
        """Everything buffered, in order (popped to the end: see emit)."""
        buf, batch = self._buf, []
        take, pop = batch.append, buf.popleft
        while buf:
            take(pop())
        return batch

    def _write(self, batch: list[Event]) -> None:
        if not own_fds.is_ours(self._conn._handle):  # closed behind the wrappers' back
            self.lose()
            return
        try:
            for frame in encode_frames(batch):
                self._conn.send_bytes(frame)
        except (OSError, ValueError):
            # The app went away (Stop, crash): the watched program carries on untraced.
            self._closed = True


# How many events fit a frame: learnt from the frames written, so a batch is usually pickled
# once (halving a whole batch until it fits pickled each event three or four times).
_fit = [64]


def encode_frames(events: list[Event]) -> Iterable[bytes]:
    """Pickle ``events``, in order, into frames of at most MAX_FRAME bytes each. An event that
    is not plain data (the reader would refuse its whole frame) goes as an ``unreadable``
    record instead, so the app counts it and the rest of the batch arrives."""
    n, i, total = _fit[0], 0, len(events)
    while i < total:
        chunk = events[i : i + n] if i or n < total else events
        try:
            data = _dumps(chunk)
        except Exception:  # not plain data, or not picklable at all: find which, replace them
            events, replaced = _readable(events, i, i + len(chunk))
            n = n if replaced else 1  # each alone pickles (and will again): one at a time
            continue
        size, count = len(data), len(chunk)
        if size <= MAX_FRAME:
            yield data
            i += count
            if count == n and size < MAX_FRAME * 3 // 4:  # room to spare: take more next time
                n = max(n + 1, count * MAX_FRAME * 7 // (size * 8))
        elif count > 1:  # too big: retry this chunk smaller, sized from what it weighed
            n = max(1, min(count // 2 + 1, count * MAX_FRAME * 7 // (size * 8)))
            if n >= count:
                n = count - 1
        else:
            yield _dumps([_shrunk(events[i])])
            i += 1
    _fit[0] = n


class _NotPlain(Exception):
    pass


class _PlainPickler(pickle.Pickler):
    """Pickles exact built-in types only, as the reader's unpickler reads them. The C pickler
    asks ``reducer_override`` only about objects that are not exact ``None``/``bool``/``int``/
    ``float``/``str``/``bytes``/``tuple``/``list``/``dict``/``set``: the check costs plain
    data nothing, and no user code (``__reduce__``) runs in the tracer."""

    def reducer_override(self, obj: Any) -> Any:
        raise _NotPlain(type(obj).__name__)


_picklers = threading.local()


def _dumps(obj: Any) -> bytes:
    """``pickle.dumps`` through a _PlainPickler, one kept per thread: making one per frame cost
    ~40 ns an event more (2.9 µs a frame of ~40 events; reused, 0.7 µs)."""
    mine = _picklers.__dict__
    if mine.get("busy"):  # re-entered mid-dump (a signal handler that prints): one of its own
        buf = io.BytesIO()
        _PlainPickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
        return buf.getvalue()
    pickler = mine.get("pickler")
    if pickler is None:
        buf = mine["buf"] = io.BytesIO()
        pickler = mine["pickler"] = _PlainPickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    buf = mine["buf"]
    buf.seek(0)
    buf.truncate()
    pickler.clear_memo()
    mine["busy"] = True
    try:
        pickler.dump(obj)
    finally:
        mine["busy"] = False
    return buf.getvalue()


def _readable(events: list[Event], start: int, stop: int) -> tuple[list[Event], int]:
    """A copy of ``events`` where each of ``events[start:stop]`` that does not pickle as plain
    data (alone, in a frame's list) is replaced by its ``unreadable`` record; and how many were."""
    fixed, replaced = list(events[:start]), 0
    for ev in events[start:stop]:
        try:
            _dumps([ev])
        except Exception:
            ev, replaced = _unreadable(ev), replaced + 1
        fixed.append(ev)
    fixed.extend(events[stop:])
    return fixed, replaced


def _unreadable(ev: Any) -> Event:
    """What is left of an event that cannot go as it is: its kind, process, time and line."""
    kind, pid, ts, line = (tuple(ev) + (None,) * 4)[:4] if isinstance(ev, tuple) else (None,) * 4
    return (
        K_UNREADABLE,
        pid if type(pid) is int else os.getpid(),
        ts if type(ts) is int else now_ns(),
        line if type(line) is int else 0,
        {"kind": kind if type(kind) is str else "?"},
    )


def _shrunk(ev: Event) -> Event:
    """Cut the long strings of one oversized event so that it fits a frame; say it was cut."""
    kind, pid, ts, line, data = ev
    for cut in _TEXT_CUTS:
        small = {k: _cut(v, cut) for k, v in (data or {}).items()}
        small["cut"] = True
        candidate = (kind, pid, ts, line, small)
        if len(_dumps([candidate])) <= MAX_FRAME:
            return candidate
    return (kind, pid, ts, line, {"cut": True})


def _cut(value: Any, limit: int) -> Any:
    if isinstance(value, str) and len(value) > limit:
        return value[: limit // 2] + " … " + value[-limit // 2 :]
    return value


class _PlainDataUnpickler(pickle.Unpickler):
    """Frames hold tuples, lists, dicts, str, int, float, bool and None: nothing that needs a global."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refused global {module}.{name}")


def decode_frame(frame: bytes) -> tuple[list[Event], int]:
    """Decode one frame into its well-formed events and the count of what was dropped (a frame
    that cannot be read at all counts as one)."""
    good, bad, _whole = decode_frame_counted(frame)
    return good, bad


def decode_frame_counted(frame: bytes) -> tuple[list[Event], int, bool]:
    """As decode_frame, and whether the whole frame was unreadable: how many events it held is
    then not known, so what is reported is a lower bound."""
    try:
        batch = _PlainDataUnpickler(io.BytesIO(frame)).load()
    except Exception:
        return [], 1, True
    if not isinstance(batch, list):
        return [], 1, True
    good = [ev for ev in batch if is_well_formed(ev)]
    return good, len(batch) - len(good), False
