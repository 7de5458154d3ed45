"""Recordings on disk: versioned JSON of the raw events (never pickle: opening a file runs no code).

A recording keeps the events exactly as they arrived, so replaying one rebuilds the same lanes,
tasks and messages as the live run, and a newer mpscope reads an older file.
"""

from __future__ import annotations

import json
import os
from typing import Any

from model.recording import Recording

FORMAT = "mpscope-recording"
VERSION = 1
MAX_BYTES = 1 << 30  # 1 GiB: larger files are refused before reading


class RecordingFileError(Exception):
    """Why a file cannot be opened as a recording; ``code`` for translation, ``detail`` for humans."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code, self.detail = code, detail
        super().__init__(f"{code}: {detail}" if detail else code)


def save(rec: Recording, path: str, meta: dict[str, Any] | None = None) -> None:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "meta": meta or {},
        "t0": rec.t0,
        "end": rec.end_ts,
        "events": [list(ev) for ev in rec.events],
        "summarised": rec.summarised,
        "unread": rec.saved_unread(),
        "unrecorded": {
            str(p): lane.unrecorded_from
            for p, lane in rec.lanes.items()
            if lane.unrecorded_from is not None
        },
    }
    tmp = f"{path}.part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, path)


def load(path: str) -> tuple[Recording, dict[str, Any]]:
    """The recording and its metadata; RecordingFileError says what is wrong with the file."""
    doc = _read_json(path)
    _check_header(doc)
    events = doc.get("events")
    if not isinstance(events, list):
        raise RecordingFileError("no_events", "the file has no event list")
    t0 = doc.get("t0")
    rec = Recording(t0=t0 if type(t0) is int else None)
    rec.add([_as_event(item) for item in events])
    _restore_summary(rec, doc.get("summarised"), doc.get("unrecorded"))
    rec.restore_unread(doc.get("unread"))
    end = doc.get("end")
    rec.finish(end if type(end) is int else rec.last_ts)
    meta = doc.get("meta")
    return rec, meta if isinstance(meta, dict) else {}


def _restore_summary(rec: Recording, summarised: Any, unrecorded: Any) -> None:
    """What the run counted past its detail limit (files from before the limit have none)."""
    if isinstance(summarised, dict):
        for kind, n in summarised.items():
            if isinstance(kind, str) and type(n) is int and n > 0:
                rec.summarised[kind] = rec.summarised.get(kind, 0) + n
    if isinstance(unrecorded, dict):
        for pid, ts in unrecorded.items():
            if isinstance(pid, str) and pid.lstrip("-").isdigit() and type(ts) is int:
                rec.mark_unrecorded(int(pid), ts)


def _read_json(path: str) -> Any:
    try:
        size = os.path.getsize(path)
    except OSError as err:
        raise RecordingFileError("unreadable", err.strerror or str(err)) from None
    if size > MAX_BYTES:
        raise RecordingFileError("too_large", f"{size} bytes")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except UnicodeDecodeError:
        raise RecordingFileError("not_json", "the file is not text") from None
    except json.JSONDecodeError as err:
        raise RecordingFileError("not_json", f"line {err.lineno}: {err.msg}") from None
    except RecursionError:  # [[[[…]]]] a hundred thousand deep: no recording, and no crash
        raise RecordingFileError("not_json", "nested too deeply") from None
    except OSError as err:
        raise RecordingFileError("unreadable", err.strerror or str(err)) from None


def _check_header(doc: Any) -> None:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise RecordingFileError("not_a_recording")
    version = doc.get("version")
    if type(version) is not int:
        raise RecordingFileError("not_a_recording", "no version")
    if version > VERSION:
        raise RecordingFileError("newer_version", str(version))


def _as_event(item: Any) -> Any:
    """JSON has lists, events are tuples; anything malformed stays as it is and is dropped."""
    return tuple(item) if isinstance(item, list) else item
