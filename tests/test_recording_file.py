"""Recordings on disk: a round trip rebuilds the same timeline; bad files say what is wrong."""

from __future__ import annotations

import json

import pytest

from model import recording_file
from model.recording import Recording
from model.trace_export import chrome_trace

EVENTS = [
    ("started", 10, 0, 0, {"name": "MainProcess", "ppid": 1, "parent": None}),
    ("created", 11, 5, 7, {"name": "Process-1", "parent": 10}),
    ("started", 11, 9, 0, {"name": "Process-1", "ppid": 10, "parent": 10}),
    ("state", 11, 12, 3, {"s": "sleeping", "on": "sleep", "secs": 0.1}),
    ("print", 11, 40, 4, {"stream": 1, "text": "子进程事件"}),
    ("exited", 11, 50, 0, {"code": 3, "by": 10, "zombie": True}),
    ("joined", 11, 90, 9, {"code": 3, "by": 10}),
    ("exited", 10, 100, 0, {"code": 0, "by": 1, "zombie": False}),
]


def _rec() -> Recording:
    rec = Recording(t0=0)
    rec.add(EVENTS)
    rec.finish(100)
    return rec


def test_round_trip_gives_the_same_timeline(tmp_path):
    path = str(tmp_path / "run.mpscope.json")
    recording_file.save(_rec(), path, {"title": "zombie", "start_method": "fork"})
    rec, meta = recording_file.load(path)
    assert meta == {"title": "zombie", "start_method": "fork"}
    assert chrome_trace(rec) == chrome_trace(_rec())
    lane = rec.lanes[11]
    assert lane.exitcode == 3 and [s.state for s in rec.segments(lane)][-1] == "zombie"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\x00\xff garbage", "not_json"),
        (b'{"format": "mpscope-recording", "version": 1, "events": [', "not_json"),
        (b'{"something": "else"}', "not_a_recording"),
        (b"[1, 2, 3]", "not_a_recording"),
        (b'{"format": "mpscope-recording", "version": 99, "events": []}', "newer_version"),
        (b'{"format": "mpscope-recording", "version": 1, "events": 5}', "no_events"),
        (b'{"format": "mpscope-recording", "events": ' + b"[" * 10**5 + b"]" * 10**5, "not_json"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path, content, code):
    path = tmp_path / "bad.mpscope.json"
    path.write_bytes(content)
    with pytest.raises(recording_file.RecordingFileError) as err:
        recording_file.load(str(path))
    assert err.value.code == code


def test_malformed_events_in_a_file_are_dropped_not_fatal(tmp_path):
    path = tmp_path / "odd.mpscope.json"
    doc = {
        "format": "mpscope-recording",
        "version": 1,
        "t0": 0,
        "events": [list(EVENTS[0]), "x", [1, 2]],
    }
    path.write_text(json.dumps(doc))
    rec, _ = recording_file.load(str(path))
    assert len(rec.lanes) == 1 and rec.dropped == 2


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(recording_file.RecordingFileError) as err:
        recording_file.load(str(tmp_path / "nope.mpscope.json"))
    assert err.value.code == "unreadable"
