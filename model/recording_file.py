"""Recordings on disk: versioned JSON of the raw events (never pickle: opening a file runs no code).

A recording keeps the events exactly as they arrived, so replaying one rebuilds the same lanes,
tasks and messages as the live run, and a newer mpscope reads an older file.

Any file may be handed to ``load``: whatever it holds, it either opens or raises
RecordingFileError, and it is read a piece at a time (model/json_stream.py), so memory follows
what the recording holds. ``save`` writes whole or not at all (model/safe_file.py).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from model.json_stream import JsonError, JsonStream
from model.plain import flat, json_safe, small_int
from model.recording import Recording
from model.recording_meta import clean_meta
from model.safe_file import replace_atomically

FORMAT = "mpscope-recording"
VERSION = 1
MAX_BYTES = 1 << 30  # 1 GiB: larger files are refused before reading
BATCH = 4096  # events parsed, then added to the Recording, at a time
TOO_DEEP = "nested too deeply"  # the detail of a not_json error
NO_MEMORY = "not enough memory to open it"  # the detail of a too_large error
NOT_REGULAR = "not a regular file"  # the detail of an unreadable error (a FIFO, a device)


class RecordingFileError(Exception):
    """Why a file cannot be opened as a recording; ``code`` for translation, ``detail`` for humans."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code, self.detail = code, detail
        super().__init__(f"{code}: {detail}" if detail else code)


# ---- saving ---------------------------------------------------------------------------------
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def save(rec: Recording, path: str, meta: dict[str, Any] | None = None) -> None:
    """Write ``rec`` to ``path``: whole, or (on any error) not at all."""
    replace_atomically(path, lambda tmp: _write(rec, tmp, meta or {}))


def _write(rec: Recording, tmp: str, meta: dict[str, Any]) -> None:
    head = {"format": FORMAT, "version": VERSION, "meta": meta, "t0": rec.t0, "end": rec.end_ts}
    tail = {
        "summarised": rec.summarised,
        "unread": rec.saved_unread(),
        "unrecorded": {
            str(p): lane.unrecorded_from
            for p, lane in rec.lanes.items()
            if lane.unrecorded_from is not None
        },
    }
    # A lone surrogate (a name from undecodable bytes) is written as its JSON escape, \udcff:
    # the file stays UTF-8, and reads back as the same string.
    with open(tmp, "w", encoding="utf-8", errors="backslashreplace") as f:
        f.write(_safe_dumps(head)[:-1] + ',"events":[')
        for n, batch in enumerate(_batches(rec.events)):
            f.write(("," if n else "") + _dumps(batch)[1:-1])
        f.write("]," + _safe_dumps(tail)[1:])


def _batches(events: Iterable[tuple]) -> Iterator[list[list[Any]]]:
    """The events as JSON lists, BATCH at a time; each one's data flat and bounded (what a
    forged frame's shared references would unfold into is cut, with a mark)."""
    batch: list[list[Any]] = []
    for kind, pid, ts, line, data in events:
        batch.append([kind, pid, ts, line, flat(data)])
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _safe_dumps(value: Any) -> str:
    """``value`` as JSON; odd metadata (a NaN, an int JSON readers cannot hold) as far as it
    goes (model.plain.json_safe)."""
    try:
        return _dumps(value)
    except (ValueError, TypeError, RecursionError):
        return _dumps(json_safe(value))


# ---- loading --------------------------------------------------------------------------------
def load(path: str) -> tuple[Recording, dict[str, Any]]:
    """The recording and its metadata; RecordingFileError says what is wrong with the file."""
    _check_file(path)
    try:
        with open(path, encoding="utf-8") as f:
            return _read(f)
    except UnicodeDecodeError:
        raise RecordingFileError("not_json", "the file is not text") from None
    except JsonError as err:
        raise RecordingFileError("not_json", str(err)) from None
    except RecursionError:  # [[[[…]]]] a hundred thousand deep: no recording, and no crash
        raise RecordingFileError("not_json", TOO_DEEP) from None
    except MemoryError:
        raise RecordingFileError("too_large", NO_MEMORY) from None
    except OSError as err:
        raise RecordingFileError("unreadable", err.strerror or str(err)) from None


def _check_file(path: str) -> None:
    """Only a regular file of a sane size is read (a directory, a FIFO that never ends, a
    device are refused before anything is read)."""
    try:
        st = os.stat(path)
    except OSError as err:
        raise RecordingFileError("unreadable", err.strerror or str(err)) from None
    if stat.S_ISDIR(st.st_mode):
        raise RecordingFileError("unreadable", os.strerror(21))  # EISDIR: "Is a directory"
    if not stat.S_ISREG(st.st_mode):
        raise RecordingFileError("unreadable", NOT_REGULAR)
    if st.st_size > MAX_BYTES:
        raise RecordingFileError("too_large", f"{st.st_size} bytes")


def _read(f: TextIO) -> tuple[Recording, dict[str, Any]]:
    stream = JsonStream(f)
    first = stream.first()
    if first and first in '["-0123456789tfn':  # JSON, but not an object
        raise RecordingFileError("not_a_recording")
    doc: dict[str, Any] = {}
    rec = Recording()
    for key in stream.members():
        if key != "events":
            doc[key] = stream.value()
        elif "events" in doc:
            raise RecordingFileError("not_a_recording", "two event lists")
        else:
            _check_header(doc, partial=True)  # a file that is no recording is read no further
            doc["events"] = _add_events(rec, stream)
    _check_header(doc)
    if not doc.get("events"):
        raise RecordingFileError("no_events", "the file has no event list")
    return _finished(rec, doc), clean_meta(doc.get("meta"))


def _add_events(rec: Recording, stream: JsonStream) -> bool:
    """Parse the event list into ``rec``, BATCH events at a time; False if it is no list."""
    if stream.first() != "[":
        stream.value()
        return False
    batch: list[Any] = []
    keys: dict[str, str] = {}
    for item in stream.items():
        if type(item) is list:
            if len(item) == 5 and type(item[4]) is dict:
                item[4] = _shared_keys(item[4], keys)
            item = tuple(item)
        batch.append(item)
        if len(batch) == BATCH:
            rec.add(batch)
            batch = []
    rec.add(batch)
    return True


def _shared_keys(data: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    """``data`` with keys shared by every event: parsed one event at a time, each dict had its
    own copy of "stream", "text", "on" (json.load shares them over the whole text), and the
    dicts a Recording keeps (a state's info, a lifecycle marker's data) cost ~55 B more a key."""
    return {keys.setdefault(k, k): v for k, v in data.items()}


def _finished(rec: Recording, doc: dict[str, Any]) -> Recording:
    """Time zero is the saved one, but never after an event (no event has a time before 0)."""
    stamps = rec.events.timestamps()
    lowest = min(stamps) if stamps else None
    t0 = small_int(doc.get("t0"))
    if t0 is None or (lowest is not None and lowest < t0):
        t0 = lowest if lowest is not None else 0
    rec.t0 = t0
    if not len(rec.events):
        rec.last_ts = t0
    _restore_summary(rec, doc.get("summarised"), doc.get("unrecorded"))
    rec.restore_unread(doc.get("unread"))
    end = small_int(doc.get("end"))
    rec.finish(end if end is not None else rec.last_ts)
    return rec


def _restore_summary(rec: Recording, summarised: Any, unrecorded: Any) -> None:
    """What the run counted past its detail limit (files from before the limit have none)."""
    if isinstance(summarised, dict):
        for kind, n in summarised.items():
            if small_int(n, 0) > 0:
                rec.summarised[kind] = rec.summarised.get(kind, 0) + n
    if isinstance(unrecorded, dict):
        for pid, ts in unrecorded.items():
            number = _pid(pid)
            if number is not None and small_int(ts) is not None:
                rec.mark_unrecorded(number, ts)


def _pid(key: str) -> int | None:
    if len(key) > 20 or not key.lstrip("-").isdecimal():
        return None
    return small_int(int(key))


def _check_header(doc: dict[str, Any], partial: bool = False) -> None:
    """``partial``: only what was read so far (the format and version come first in files
    mpscope writes, but need not)."""
    if doc.get("format") != FORMAT and not (partial and "format" not in doc):
        raise RecordingFileError("not_a_recording")
    if partial and "version" not in doc:
        return
    version = doc.get("version")
    if type(version) is not int:
        raise RecordingFileError("not_a_recording", "no version")
    if version > VERSION:
        raise RecordingFileError("newer_version", str(version))
