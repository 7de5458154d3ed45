"""mpscope's descriptors never become the program's (issue 16): a process that lets go of what
it inherited (``os.closerange``, ``os.close``, ``os.dup2`` over each, or the C library's own
``dup2``/``close``) and then works with files of its own gets the same files, byte for byte, as
without mpscope, and no error of mpscope's. The tracer says its channel was lost, before the
close, when the close goes through Python (through the C library it cannot: nothing is written).

tests/scripts/closes_descriptors.py: a child lets go (then main works with files), main lets go
first (then starts a child, traced no more), or main lets go while its child runs (the exit
watcher's pipe and sentinel copy go too; multiprocessing's own finalizer then fails on a closed
descriptor, and says so as Python says it, without a frame of mpscope's).
"""

from __future__ import annotations

import os

import pytest

from gui import texts
from model.recording import Recording
from model.trace_export import chrome_trace
from tests.plain_vs_traced import Pair, run_both
from workers import own_fds
from workers.events import CHANNEL_LOST

CASES = [
    ("closerange", "child", "fork"),
    ("closerange", "child", "spawn"),
    ("closerange", "child", "forkserver"),
    ("close", "main", "fork"),
    ("close", "main", "spawn"),
    ("close", "main", "forkserver"),
    ("dup2", "child", "spawn"),
    ("dup2", "main", "fork"),
    ("libc", "child", "forkserver"),
    ("libc", "main", "spawn"),
    ("closerange", "running", "fork"),
    ("dup2", "running", "spawn"),
]
each_case = pytest.mark.parametrize(
    ("how", "who", "method"), CASES, ids=["-".join(case) for case in CASES]
)


def run(tmp_path, how: str, who: str, method: str) -> Pair:
    return run_both("closes_descriptors", method, tmp_path, how, who)


def teller(who: str) -> str:
    """Which process lets go: the child, or main (before its child, or while it runs)."""
    return "child" if who == "child" else "main"


def lane_of(pair: Pair, who: str):
    name = "Process-1" if who == "child" else "MainProcess"
    return next(lane for lane in pair.rec.lanes.values() if lane.name == name)


@each_case
def test_files_and_output_as_python(how, who, method, tmp_path):
    pair = run(tmp_path, how, who, method)
    pair.assert_same_as_plain()
    # what the script did is really there: many files, written while the numbers were reused
    assert len(pair.plain_files) >= 80
    last = "main while the child runs" if who == "running" else "main"
    assert pair.plain_files[f"{last}-39.txt"].endswith(b"last line, never flushed\n")
    if how in ("dup2", "libc"):
        target = pair.plain_files[f"{teller(who)}-dup2-target.txt"]
        assert target == f"{teller(who)}: every descriptor is this file now\n".encode()


@each_case
def test_the_tracer_says_its_channel_was_lost(how, who, method, tmp_path):
    pair = run(tmp_path, how, who, method)
    lane = lane_of(pair, who)
    lost = [ev for ev in pair.rec.errors if ev[4]["code"] == CHANNEL_LOST]
    if how == "libc":  # behind Python's back: noticed (nothing written), but cannot be said,
        assert lost == [] and pair.rec.channel_lost == []  # and the last batch is lost with it
        return
    prints = [m for m in lane.markers if m.kind == "print"]
    assert prints[-1].data["text"] == f"{teller(who)} lets go ({how})"  # recorded until then
    ((_kind, pid, ts, line, data),) = lost
    assert pid == lane.pid and line > 0
    assert data["how"] == f"os.{how}" and ts >= prints[-1].ts
    assert pair.rec.channel_lost == [pid]
    assert chrome_trace(pair.rec)["otherData"]["channel_lost"] == 1
    notes = [s for s in pair.traced.stderr.splitlines() if s.startswith("mpscope: note:")]
    assert notes == [
        f"mpscope: note: line {line}: process {pid} closed mpscope's event channel "
        f"(os.{how}); what it did afterwards is not recorded"
    ]


@pytest.mark.parametrize(("how", "method"), [("closerange", "spawn"), ("close", "fork")])
def test_the_rest_of_the_run_is_still_recorded(how, method, tmp_path):
    """A child lost its channel: main's is its own, and main is recorded to its end."""
    pair = run(tmp_path, how, "child", method)
    main = lane_of(pair, "main")
    texts = [m.data["text"] for m in main.markers if m.kind == "print"]
    assert texts[-4:] == ["main round 0", "main round 1", "main round 2", "main done"]
    assert main.exit_status_ts is not None and lane_of(pair, "child").exitcode == 0


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_child_started_after_main_lost_its_channel_is_not_traced(method, tmp_path):
    pair = run(tmp_path, "close", "main", method)
    assert [lane.name for lane in pair.rec.lanes.values()] == ["MainProcess"]
    assert "child done\n" in pair.plain.stdout and pair.traced.stdout == pair.plain.stdout


# ---- what is shown: the model, the export, the window ------------------------------------------
def test_a_lost_channel_is_kept_counted_and_exported():
    rec = Recording()
    data = {"code": CHANNEL_LOST, "how": "os.closerange", "pid": 42}
    rec.add([("started", 42, 10, 0, {"name": "MainProcess"}), ("error", 42, 20, 7, data)])
    assert rec.channel_lost == [42] and len(rec.errors) == 1
    (marker,) = [m for m in rec.lanes[42].markers if m.kind == CHANNEL_LOST]
    assert (marker.ts, marker.line) == (20, 7)
    trace = chrome_trace(rec, {"title": "t"})
    assert trace["otherData"] == {"title": "t", "channel_lost": 1}
    (event,) = [e for e in trace["traceEvents"] if e.get("name") == CHANNEL_LOST]
    assert event["cat"] == "tracer" and event["args"] == {"how": "os.closerange", "line": 7}
    assert "channel_lost" not in chrome_trace(Recording(), {})["otherData"]


CLOSES = """import os
print("before")
os.closerange(3, os.sysconf("SC_OPEN_MAX"))
print("after")
"""


def test_the_window_says_which_line_closed_the_channel(window, qtbot, tmp_path):
    path = tmp_path / "daemonish.py"
    path.write_text(CLOSES)
    window.panel.method.setCurrentText("fork")
    window.open_script(str(path))
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    text = window.banner.label.text()
    assert window.banner.kind == "error" and "Line 3" in text
    assert "os.closerange()" in text and "nothing it does from then on is recorded" in text
    assert window.code.highlighted_line == 3
    rec = window.controller.recording
    row = next(i for i, ev in enumerate(rec.events) if ev[0] == "error")
    log = window.log.log_model
    assert "closed mpscope's event channel with os.closerange()" in log.data(log.index(row, 3))
    lane = rec.lanes[rec.events[row][1]]
    (marker,) = [m for m in lane.markers if m.kind == CHANNEL_LOST]  # where its lane stops
    hover = texts.marker_text(lane, marker.kind, marker.data, {})
    assert hover.startswith("MainProcess") and "event channel lost: Process" in hover
    assert window.controller.session.exit_code == 0  # the script itself ran to its end


# ---- own_fds, in this process (its wrappers called directly: os.close stays pytest's own) ----
def test_a_claimed_descriptor_moves_up_and_its_owner_hears_before_it_goes(tmp_path):
    r, w = os.pipe()
    heard: list[tuple[int, str, bool]] = []
    fd = own_fds.claim(w, lambda fd, how: heard.append((fd, how, own_fds.is_ours(fd))))
    try:
        assert fd >= 64 and own_fds.is_ours(fd) and not os.get_inheritable(fd)
        with pytest.raises(OSError):
            os.fstat(w)  # the low number was given back
        target = os.open(tmp_path / "f", os.O_WRONLY | os.O_CREAT)
        own_fds._traced_dup2(target, fd)
        assert heard == [(fd, "os.dup2", True)]  # told while it was still the pipe
        assert not own_fds.is_ours(fd) and not own_fds.write(fd, b"mpscope")
        own_fds.close(fd)  # not ours any more: left open, the program's
        os.write(fd, b"the program's")
        assert (tmp_path / "f").read_bytes() == b"the program's"
    finally:
        for n in (r, fd, target):
            os.close(n)


def test_a_descriptor_reused_behind_the_wrappers_back_is_not_ours(tmp_path):
    r, w = os.pipe()
    fd = own_fds.claim(w)
    target = os.open(tmp_path / "f", os.O_WRONLY | os.O_CREAT)
    try:
        os.dup2(target, fd)  # pytest's own dup2: nobody told
        assert not own_fds.is_ours(fd) and not own_fds.write(fd, b"mpscope")
        assert (tmp_path / "f").read_bytes() == b""
    finally:
        own_fds.forget(fd)
        for n in (r, fd, target):
            os.close(n)
