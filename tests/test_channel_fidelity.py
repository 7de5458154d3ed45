"""What a program passes through a Connection or a Queue is its own business (issue 16).

Every documented pairing of send and receive calls (tests/scripts/channel_pairings.py, one case
each) runs plain (``python channel_pairings.py CASE METHOD``) and traced (``main.py --trace``
with the trace exported), under fork, spawn and forkserver. Each receiving process prints what
it got (repr, or hex for bytes): the lines of each process must be the same, and the trace must
still pair every message as an arrow (none left unreceived but the one a too-short
``recv_bytes(maxlength)`` refuses, which Python leaves unread too). The pairing header itself
(workers/framing.py) is checked on real pipes at the end.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import threading
import time
from collections import defaultdict
from multiprocessing import Pipe
from multiprocessing.connection import Listener
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

import pytest

from control.session import RunSpec, Session
from tests import helpers
from workers import framing
from workers.reprs import short_repr

SCRIPT = Path(__file__).resolve().parent / "scripts" / "channel_pairings.py"
METHODS = ["fork", "spawn", "forkserver"]
N = 14  # the script's OBJECTS and one Point
# Each case: how many messages it sends on the program's own channels and are received (drawn
# as arrows); every other one it sends is never received.
ARROWS = {
    "send_recv": N,
    "send_bytes_recv_bytes": 6,
    "recv_bytes_maxlength": 1,  # the second is refused as too long: never received
    "recv_bytes_into": 6,  # one of them too long for its buffer: BufferTooShort carries it
    "send_bytes_slices": 9,
    "send_then_recv_bytes": N,
    "send_bytes_then_recv": N,
    "poll_timeout": 2,
    "connection_to_child": 13,
    "connection_through_queue": 3,
    "listener_client": 9,
    "queue_put_get": N,
    "queue_nowait": N,
    "queue_get_timeout": 1,
    "simple_queue": N,
    "joinable_queue": 2 * N - 1,
    "pool_initializer": 6,
}
UNRECEIVED = {"recv_bytes_maxlength": 1}
PARAMS = [(c, m) for c in ARROWS for m in METHODS]


def plain(case: str, method: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), case, method],
        cwd=cwd,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
    )


def traced(case: str, method: str, out: Path) -> subprocess.CompletedProcess:
    return helpers.cli(
        "--trace", str(SCRIPT), "--start-method", method, "--export", str(out), "--", case, method
    )


def by_process(stdout: str) -> dict[str, list[str]]:
    """Each process's lines in its own order (two processes' lines interleave as they may)."""
    lines: dict[str, list[str]] = defaultdict(list)
    for line in stdout.splitlines():
        lines[line.split(" ", 1)[0]].append(line)
    return dict(lines)


def arrows(trace: dict) -> tuple[list[dict], list[dict]]:
    """The messages drawn as arrows (their sending end, in time order), and those unreceived."""
    flows = [e for e in trace["traceEvents"] if e.get("cat") == "message"]
    ends = {e["id"] for e in flows if e["ph"] == "f"}
    sent = sorted((e for e in flows if e["ph"] == "s" and e["id"] in ends), key=lambda e: e["ts"])
    unreceived = [e for e in flows if e.get("name") == "unreceived"]
    return sent, unreceived


@pytest.mark.parametrize(("case", "method"), PARAMS, ids=[f"{c}-{m}" for c, m in PARAMS])
def test_each_pairing_receives_what_python_receives(case, method, tmp_path):
    expected = plain(case, method, tmp_path)
    assert expected.returncode == 0 and expected.stderr == "", expected.stderr
    out = tmp_path / "trace.json"
    got = traced(case, method, out)
    assert got.returncode == 0, got.stderr
    assert [line for line in got.stderr.splitlines() if not line.startswith("mpscope:")] == []
    assert by_process(got.stdout) == by_process(expected.stdout)
    assert sorted(got.stdout.splitlines()) == sorted(expected.stdout.splitlines())

    trace = json.loads(out.read_text(encoding="utf-8"))
    sent, unreceived = arrows(trace)
    assert (len(sent), len(unreceived)) == (ARROWS[case], UNRECEIVED.get(case, 0))
    pids = {e["pid"] for e in trace["traceEvents"] if e.get("ph") == "M"} - {os.getpid()}
    assert helpers.still_alive(pids) == set()


@pytest.mark.parametrize("case", ["send_recv", "queue_put_get", "simple_queue"])
def test_arrows_carry_the_objects_as_received(case, tmp_path):
    """The payload on each arrow is the repr of the object the receiver printed."""
    out = tmp_path / "trace.json"
    got = traced(case, "fork", out)
    assert got.returncode == 0
    printed = [line.split(" ", 1)[1] for line in got.stdout.splitlines()[:N]]
    sent, _ = arrows(json.loads(out.read_text(encoding="utf-8")))
    assert [e["args"]["payload"] for e in sent] == printed


def test_send_bytes_arrows_show_the_first_bytes(tmp_path):
    out = tmp_path / "trace.json"
    assert traced("send_bytes_recv_bytes", "fork", out).returncode == 0
    sent, _ = arrows(json.loads(out.read_text(encoding="utf-8")))
    payloads = [e["args"]["payload"] for e in sent]
    assert payloads[:3] == ["b''", "b'a'", repr(b"\x00" * 5)]
    assert payloads[3] == short_repr(bytes(range(32))) + "…"
    assert payloads[5] == short_repr(b"z" * 32) + "…"


# ---- the header on real pipes, without a traced process -------------------------------------
def _frames(*messages: tuple[bytes | None, bytes]) -> Any:
    """The reading end of a pipe that ``messages`` are written to, as (header or None, bytes),
    by a thread (a message may be larger than the pipe holds); the writer closes after them."""
    reader, writer = Pipe(duplex=False)

    def write() -> None:
        for header, data in messages:
            if header is None:
                writer.send_bytes(data)
            else:
                framing.write(writer, header, data)
        writer.close()

    threading.Thread(target=write, daemon=True).start()
    return reader


@pytest.mark.parametrize("size", [0, 1, 100, 16384, 16385, framing.SMALL + 1, 3_000_000])
def test_a_framed_message_reads_back_as_its_own_bytes(size):
    data = os.urandom(size)
    reader = _frames((framing.head("7-1", "7-2"), data), (None, data))
    body, ids = framing.read(reader, None)
    assert (body.getvalue(), body.tell(), ids) == (data, size, ("7-1", "7-2"))
    body, ids = framing.read(reader, None)
    assert (body.getvalue(), ids) == (data, None)  # an untraced sender's frame: as it came
    with pytest.raises(EOFError):
        framing.read(reader, None)
    reader.close()


def test_bytes_that_only_look_like_a_header_are_kept():
    fake = framing.MAGIC + bytes((200,)) + b"x" * 10  # the mark, with ids longer than the frame
    bad_ids = framing.MAGIC + bytes((3,)) + b"\xff\xfe\xfd" + b"y" * 70000
    reader = _frames((None, fake), (None, bad_ids), (None, framing.MAGIC))
    assert [framing.read(reader, None)[0].getvalue() for _ in range(3)] == [
        fake,
        bad_ids,
        framing.MAGIC,
    ]
    reader.close()


def test_maxsize_counts_the_programs_bytes_only():
    header = framing.head("1-1", "1-2")
    reader = _frames((header, b"12345"), (header, b"123456"))
    assert framing.read(reader, 5)[0].getvalue() == b"12345"
    assert framing.read(reader, 5) == (None, None)
    reader.close()


def test_end_of_file_inside_a_large_message_is_an_error():
    """A frame cut half-way, as by a writer killed in the middle of a message."""
    whole = io.BytesIO()
    sink = type("Sink", (), {"_send": staticmethod(whole.write)})()
    framing.write(sink, framing.head("1-1", "1-2"), b"q" * 100000)
    reader, writer = Pipe(duplex=False)

    def write_half() -> None:
        writer._send(whole.getvalue()[:50000])
        writer.close()

    threading.Thread(target=write_half, daemon=True).start()
    with pytest.raises(OSError, match="end of file during message"):
        framing.read(reader, None)
    reader.close()


def test_a_pickle_never_starts_with_the_mark():
    assert not pickle.dumps(None, protocol=0).startswith(framing.MAGIC[:1])
    assert all(pickle.dumps(0, protocol=p)[:1] != framing.MAGIC[:1] for p in range(2, 6))


# ---- a peer outside the run -----------------------------------------------------------------
def _serve_once(listener: Listener, got: list) -> None:
    """An untraced server: what it reads, byte for byte, and a reply both ways."""
    with listener.accept() as conn:
        got.extend([conn.recv_bytes(), conn.recv_bytes()])
        conn.send(("ok", 2))
        conn.send_bytes(b"\x01\x02")


@pytest.mark.parametrize("traced_run", [False, True], ids=["plain", "traced"])
def test_a_server_outside_the_run_gets_exactly_pythons_bytes(traced_run, tmp_path):
    address = str(tmp_path / "sock")
    got: list = []
    with Listener(address, "AF_UNIX", authkey=b"outside") as listener:
        server = threading.Thread(target=_serve_once, args=(listener, got), daemon=True)
        server.start()
        script = str(SCRIPT.parent / "client_to_outside.py")
        if traced_run:
            result = helpers.cli(
                "--trace", script, "--export", str(tmp_path / "t.json"), "--", address
            )
        else:
            env = dict(os.environ, PYTHONIOENCODING="utf-8")
            result = subprocess.run(
                [sys.executable, script, address], env=env, capture_output=True, encoding="utf-8"
            )
        server.join(30)
    assert result.returncode == 0, result.stderr
    assert got == [ForkingPickler.dumps({"n": 1, "text": "中文"}), b"\x00raw bytes\xff"]
    assert result.stdout == "reply ('ok', 2) 0102\n"


# ---- a byte receive that waits ----------------------------------------------------------------
WAITS = """
import sys
from multiprocessing import Pipe

if __name__ == "__main__":
    a, b = Pipe()  # nobody ever sends on b
    call = getattr(a, sys.argv[1])
    call(bytearray(8)) if sys.argv[1] == "recv_bytes_into" else call()
"""


@pytest.mark.parametrize("call", ["recv_bytes", "recv_bytes_into"])
def test_a_byte_receive_that_waits_is_blocked_on_that_call(call, tmp_path, qapp):
    from gui import texts

    script = tmp_path / "waits.py"
    script.write_text(WAITS, encoding="utf-8")
    session = Session(RunSpec(str(script), [call], "fork", 1.0))
    session.start()
    try:
        deadline, seg = time.monotonic() + 20, None
        while time.monotonic() < deadline:
            session.drain()
            lanes = helpers.lanes_by_name(session.recording)
            segments = session.recording.segments(lanes["MainProcess"]) if lanes else []
            if segments and segments[-1].state == "blocked":
                seg = segments[-1]
                break
            time.sleep(0.02)
    finally:
        session.stop()
    assert seg is not None and seg.info["on"] == f"Connection.{call}"
    assert texts.bar_label(seg) == f"{call}()"
    assert helpers.still_alive(helpers.run_pids(session.recording)) == set()
