"""Malformed or hostile events never crash the app: they are counted and dropped."""

from __future__ import annotations

import pickle
import textwrap

from control.session import RunSpec, Session
from model.recording import Recording
from tests.helpers import run_pids, still_alive
from workers.channel import decode_frame, encode_frames

GARBAGE = textwrap.dedent(
    """
    import os, pickle, struct, sys

    tracer = sys.modules["_mpscope_workers.tracer"]  # mpscope's, out of the script's way
    conn = tracer.connection()
    conn.send_bytes(b"not a pickle at all")
    conn.send_bytes(pickle.dumps([("state", "pid?", 1, 2, {}), ("nonsense", 1, 2, 3, None), 42]))
    conn.send_bytes(pickle.dumps({"not": "a list"}))
    print("x" * 200_000)
    print("still here")
    if RAW:
        os.write(conn.fileno(), struct.pack("!i", 1 << 30) + b"garbage")
    print("done")
    """
)


def _run(tmp_path, raw: bool) -> Session:
    path = tmp_path / "hostile.py"
    path.write_text(GARBAGE.replace("RAW", str(raw)))
    session = Session(RunSpec(str(path), start_method="fork"))
    session.start()
    assert session.wait_finished(30)
    return session


def test_bad_frames_are_counted_and_dropped(tmp_path):
    session = _run(tmp_path, raw=False)
    rec = session.recording
    assert session.exit_code == 0
    assert rec.dropped == 5  # an unpicklable frame, three bad events, a frame that is no list
    prints = [m.data["text"] for m in rec.lanes[session.runner_pid].markers if m.kind == "print"]
    assert prints[-2:] == ["still here", "done"]
    huge = next(m.data for m in rec.lanes[session.runner_pid].markers if m.kind == "print")
    assert huge.get("cut") is True and len(huge["text"]) < 4000
    assert still_alive(run_pids(rec)) == set()


def test_a_corrupted_stream_stops_tracing_but_not_the_run(tmp_path):
    session = _run(tmp_path, raw=True)
    assert session.channel_broken
    assert session.exit_code == 0
    assert session.recording.end_ts is not None


def test_frames_refuse_pickles_that_name_a_class():
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    events, dropped = decode_frame(pickle.dumps([Evil()]))
    assert events == [] and dropped == 1


def test_every_frame_fits_an_atomic_pipe_write():
    events = [("print", 1, i, 3, {"stream": 1, "text": "y" * (i % 5000)}) for i in range(300)]
    frames = list(encode_frames(events))
    assert all(len(f) <= 4092 for f in frames)
    decoded = [ev for f in frames for ev in decode_frame(f)[0]]
    assert [ev[2] for ev in decoded] == list(range(300))


def test_event_data_nested_too_deep_to_keep_is_counted_not_a_crash():
    deep: dict = {}
    inner = deep
    for _ in range(5000):
        inner["a"] = {}
        inner = inner["a"]
    rec = Recording()
    rec.add([("started", 1, 10, 0, {"name": "MainProcess"}), ("state", 1, 20, 3, deep)])
    rec.finish(30)
    assert len(rec.events) == 1 and rec.dropped == 1
    assert [s.state for s in rec.segments(rec.lanes[1])] == ["running"]
