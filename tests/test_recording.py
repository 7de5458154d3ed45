"""The Recording model from hand-written event lists: no processes, no Qt."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from itertools import pairwise

import pytest

from model.recording import Recording, Segment
from model.trace_export import chrome_trace
from workers.events import now_ns

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHELL, MAIN, CHILD, CHILD2 = 50, 100, 101, 102


def ev(kind, pid, ts, line=0, **data):
    return (kind, pid, ts, line, data or None)


def story():
    """MainProcess starts Process-1 (sleeps, prints, exits 3, zombie until joined) and Process-2
    (killed by SIGTERM while it sleeps)."""
    return [
        ev("started", MAIN, 1000, name="MainProcess", ppid=SHELL, parent=None, daemon=False),
        ev("created", CHILD, 1100, 10, name="Process-1", parent=MAIN, daemon=False),
        ev("created", CHILD2, 1150, 11, name="Process-2", parent=MAIN, daemon=True),
        ev("started", CHILD, 1300, name="Process-1", ppid=MAIN, parent=MAIN, daemon=False),
        ev("started", CHILD2, 1350, name="Process-2", ppid=MAIN, parent=MAIN, daemon=True),
        ev("state", CHILD, 1400, 5, s="sleeping", on="sleep", secs=0.5),
        ev("state", CHILD2, 1420, 7, s="sleeping", on="sleep", secs=9.0),
        ev("state", MAIN, 1500, 12, s="blocked", on="join", target="Process-1", tpid=CHILD),
        ev("state", CHILD, 1890, 5, s="running"),
        ev("print", CHILD, 1900, 6, stream=1, text="hello"),
        ev("exit_status", CHILD, 2000, code=3, tb=None),
        ev("exited", CHILD, 2050, code=3, by=MAIN, zombie=True),
        ev("joined", CHILD, 2400, 12, code=3, by=MAIN),
        ev("state", MAIN, 2410, 12, s="running", after="join", result="ok"),
        ev("print", MAIN, 2500, 13, stream=1, text="done"),
        ev("terminated", CHILD2, 2550, sig=15, by=MAIN),
        ev("exited", CHILD2, 2560, code=-15, by=MAIN, zombie=True),
        ev("joined", CHILD2, 2580, code=-15, by=MAIN),
        ev("exit_status", MAIN, 2600, code=0, tb=None),
        ev("exited", MAIN, 2700, code=0, by=SHELL, zombie=False),
    ]


def without(events, *drop):
    """``events`` without those matching any (kind, pid) in ``drop``."""
    return [e for e in events if (e[0], e[1]) not in drop]


def recorded(events, batches=1):
    rec = Recording()
    size = max(1, -(-len(events) // batches))
    for i in range(0, len(events), size):
        rec.add(events[i : i + size])
    return rec


def spans(rec, pid):
    return [(s.start, s.end, s.state) for s in rec.segments(rec.lanes[pid])]


def test_model_and_workers_do_not_import_qt():
    code = (
        "import pkgutil, importlib, sys, model, workers\n"
        "names = []\n"
        "for pkg in (model, workers):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if not m.name.startswith('workers.scenarios'):\n"
        "            importlib.import_module(m.name)\n"
        "            names.append(m.name)\n"
        "qt = sorted(n for n in sys.modules if n.split('.')[0] in\n"
        "            ('PySide6', 'PyQt5', 'PyQt6', 'PySide2', 'shiboken6', 'pyqtgraph'))\n"
        "print(len(names), qt)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    count, qt = out.stdout.split(" ", 1)
    assert int(count) >= 10  # model.recording, model.catalog, workers.tracer, ...
    assert qt.strip() == "[]"


def test_states_back_to_back_from_start_to_exit():
    rec = recorded(story())
    assert spans(rec, MAIN) == [
        (1000, 1500, "running"),
        (1500, 2410, "blocked"),
        (2410, 2700, "running"),
    ]
    assert spans(rec, CHILD) == [
        (1300, 1400, "running"),
        (1400, 1890, "sleeping"),
        (1890, 2050, "running"),
        (2050, 2400, "zombie"),
    ]
    for lane in rec.lanes.values():
        segs = rec.segments(lane)
        assert segs[0].start == lane.started
        assert all(s.start < s.end for s in segs)
        assert all(a.end == b.start for a, b in pairwise(segs))


def test_sleeping_and_blocked_say_why():
    rec = recorded(story())
    sleeping = next(s for s in rec.segments(rec.lanes[CHILD]) if s.state == "sleeping")
    assert sleeping.info == {"on": "sleep", "secs": 0.5, "line": 5}
    blocked = next(s for s in rec.segments(rec.lanes[MAIN]) if s.state == "blocked")
    assert blocked.info == {"on": "join", "target": "Process-1", "tpid": CHILD, "line": 12}
    after = rec.segments(rec.lanes[MAIN])[-1]
    assert after.info["result"] == "ok" and after.info["after"] == "join"


def test_lanes_names_parents_and_order():
    rec = recorded(story())
    assert [lane.name for lane in rec.ordered_lanes()] == ["MainProcess", "Process-1", "Process-2"]
    main, child, child2 = (rec.lanes[p] for p in (MAIN, CHILD, CHILD2))
    assert (main.ppid, main.parent) == (SHELL, None)
    assert (child.ppid, child.parent, child.daemon) == (MAIN, MAIN, False)
    assert child2.daemon is True
    assert [m.kind for m in rec.markers(child)] == [
        "created",
        "started",
        "print",
        "exited",
        "joined",
    ]
    assert [(m.line, m.data["text"]) for m in child.markers if m.kind == "print"] == [(6, "hello")]


def test_zombie_from_exit_to_join():
    rec = recorded(story())
    zombie = rec.segments(rec.lanes[CHILD])[-1]
    assert zombie == Segment(2050, 2400, "zombie", {})


@pytest.mark.parametrize("exit_first", [True, False])
def test_an_exit_observed_after_the_reaping_is_stamped_at_the_reaping(exit_first):
    """The exit watcher's thread may report after join() has reaped the child: it had exited by
    the reaping, so the exited marker is never after the joined one, whatever arrives first."""
    late_exit = ev("exited", CHILD, 2450, code=3, by=MAIN, zombie=True)
    joined = ev("joined", CHILD, 2400, 12, code=3, by=MAIN)
    events = [e for e in story() if (e[0], e[1]) not in (("exited", CHILD), ("joined", CHILD))]
    rec = recorded([*events, late_exit, joined] if exit_first else [*events, joined, late_exit])
    lane = rec.lanes[CHILD]
    assert lane.exited == lane.joined == 2400
    stamps = {m.kind: m.ts for m in lane.markers if m.kind in ("exited", "joined")}
    assert stamps == {"exited": 2400, "joined": 2400}
    assert [m.ts for m in lane.markers] == sorted(m.ts for m in lane.markers)


def test_zombie_ends_at_the_parents_exit_when_never_joined():
    rec = recorded(without(story(), ("joined", CHILD)))
    assert rec.segments(rec.lanes[CHILD])[-1] == Segment(2050, 2700, "zombie", {})


def test_zombie_runs_to_now_while_nobody_reaps_it():
    events = without(story(), ("joined", CHILD), ("exit_status", MAIN), ("exited", MAIN))
    rec = recorded(events)
    assert rec.now() == 2580  # the last event so far
    assert rec.segments(rec.lanes[CHILD])[-1] == Segment(2050, 2580, "zombie", {})
    rec.finish(5000)
    assert rec.segments(rec.lanes[CHILD])[-1] == Segment(2050, 5000, "zombie", {})


def test_zombie_false_means_no_zombie_span():
    events = [
        e if (e[0], e[1]) != ("exited", CHILD) else ev("exited", CHILD, 2050, code=3, zombie=False)
        for e in story()
    ]
    rec = recorded(events)
    segs = rec.segments(rec.lanes[CHILD])
    assert [s.state for s in segs] == ["running", "sleeping", "running"]
    assert segs[-1].end == 2050
    # the main process is never anyone's zombie: the session reports it with zombie False
    assert "zombie" not in [s.state for s in rec.segments(rec.lanes[MAIN])]


START = ev("started", CHILD, 10, name="Process-1", ppid=MAIN, parent=MAIN)
EXITED_3 = ev("exited", CHILD, 50, code=3, by=MAIN)
EXITED_NONE = ev("exited", CHILD, 50, code=None, by=MAIN)
JOINED_5 = ev("joined", CHILD, 60, code=5, by=MAIN)
JOINED_M15 = ev("joined", CHILD, 60, code=-15, by=MAIN)
STATUS_7 = ev("exit_status", CHILD, 40, code=7, tb=None)


@pytest.mark.parametrize(
    ("events", "code"),
    [
        ([START], None),
        ([START, STATUS_7], 7),
        ([START, JOINED_5], 5),
        ([START, EXITED_3], 3),
        ([START, EXITED_3, JOINED_5], 3),
        ([START, JOINED_5, EXITED_3], 3),
        ([START, STATUS_7, EXITED_3], 3),
        ([START, EXITED_3, STATUS_7], 3),
        ([START, STATUS_7, JOINED_5, EXITED_3], 3),
        ([START, EXITED_NONE, JOINED_M15], -15),
        ([START, JOINED_M15, EXITED_NONE], -15),
        ([START, EXITED_NONE], None),
    ],
    ids=lambda x: "-".join(e[0] for e in x) if isinstance(x, list) else str(x),
)
def test_exit_code_priority(events, code):
    """The observer's exited code wins over joined and the child's own exit_status."""
    rec = recorded(events)
    assert rec.lanes[CHILD].exitcode == code
    if len(events) > 2:  # the same, arriving one event per batch
        rec = Recording()
        for e in events:
            rec.add([e])
        assert rec.lanes[CHILD].exitcode == code


def test_killed_by_a_signal_has_a_negative_exit_code():
    rec = recorded(story())
    lane = rec.lanes[CHILD2]
    assert lane.exitcode == -15 and lane.terminated_sig == 15
    assert [m.kind for m in lane.markers] == [
        "created",
        "started",
        "terminated",
        "exited",
        "joined",
    ]
    # killed while asleep: the sleep lasts until the exit, then a short zombie until reaped
    assert spans(rec, CHILD2)[-2:] == [(1420, 2560, "sleeping"), (2560, 2580, "zombie")]
    trace = chrome_trace(rec)["traceEvents"]
    exited = [e for e in trace if e["pid"] == CHILD2 and e.get("name") == "exited"]
    assert [e["args"]["exitcode"] for e in exited] == [-15]
    terminated = [e for e in trace if e["pid"] == CHILD2 and e.get("name") == "terminated"]
    assert [e["args"]["signal"] for e in terminated] == [15]


def snapshot(rec):
    """Everything a view reads, independent of arrival order (no t0, no event index)."""
    return {
        "order": [lane.pid for lane in rec.ordered_lanes()],
        "lanes": {
            pid: (
                lane.name,
                lane.ppid,
                lane.parent,
                lane.daemon,
                lane.exitcode,
                lane.terminated_sig,
                rec.segments(lane),
                [(m.ts, m.kind, m.line, m.data) for m in rec.markers(lane)],
            )
            for pid, lane in rec.lanes.items()
        },
    }


@pytest.mark.parametrize("seed", range(12))
def test_events_out_of_order_give_the_same_recording(seed):
    expected = snapshot(recorded(story()))
    events = story()
    random.Random(seed).shuffle(events)
    rec = recorded(events, batches=1 + seed % 5)
    assert snapshot(rec) == expected
    assert rec.dropped == 0 and len(rec.events) == len(events)


def test_an_exit_that_never_arrives_runs_to_finish():
    events = [
        ev("started", MAIN, 1000, name="MainProcess", ppid=SHELL),
        ev("created", CHILD, 1100, 10, name="Process-1", parent=MAIN),
        ev("started", CHILD, 1300, name="Process-1", ppid=MAIN, parent=MAIN),
        ev("state", CHILD, 1400, 5, s="sleeping", on="sleep", secs=10.0),
        ev("print", MAIN, 1600, 12, stream=1, text="waiting"),
    ]
    rec = recorded(events)
    assert rec.end_ts is None and rec.now() == 1600
    assert spans(rec, CHILD) == [(1300, 1400, "running"), (1400, 1600, "sleeping")]
    assert spans(rec, MAIN) == [(1000, 1600, "running")]
    rec.finish(9000)
    assert rec.now() == 9000
    assert spans(rec, CHILD) == [(1300, 1400, "running"), (1400, 9000, "sleeping")]
    assert spans(rec, MAIN) == [(1000, 9000, "running")]
    assert rec.lanes[CHILD].exitcode is None


def test_while_live_open_segments_run_to_the_clock():
    base = now_ns() - 50_000_000
    events = [
        ev("started", MAIN, base, name="MainProcess", ppid=SHELL),
        ev("state", MAIN, base + 1000, 3, s="sleeping", on="sleep", secs=1.0),
    ]
    rec = recorded(events)
    rec.live = True  # what Session.start() does
    before = now_ns()
    end = spans(rec, MAIN)[-1][1]
    assert before <= end <= now_ns()
    stop = now_ns()
    rec.finish(stop)
    assert rec.live is False and spans(rec, MAIN)[-1] == (base + 1000, stop, "sleeping")


def test_finish_never_ends_before_what_was_recorded():
    rec = recorded(story())
    rec.finish(10)
    assert rec.now() == 2700
    assert spans(rec, MAIN)[-1] == (2410, 2700, "running")


BAD_EVENTS = [
    None,
    "started",
    (),
    ("state", MAIN, 1, 0),
    ("state", MAIN, 1, 0, None, "extra"),
    ("nope", MAIN, 1, 0, None),
    ("state", str(MAIN), 1, 0, None),
    ("state", True, 1, 0, None),
    ("state", MAIN, 1.5, 0, None),
    ("state", MAIN, 1, None, None),
    ("state", MAIN, 1, 0, ["s", "sleeping"]),
    ["started", MAIN, 1, 0, None],
]


def test_malformed_events_are_counted_and_ignored():
    good = story()
    mixed = []
    for i, e in enumerate(good):
        mixed.append(e)
        if i < len(BAD_EVENTS):
            mixed.append(BAD_EVENTS[i])
    rec = Recording()
    rec.add(BAD_EVENTS[:3])  # a batch of nothing usable first: t0 is not taken from it
    rec.add(mixed)
    assert rec.dropped == len(BAD_EVENTS) + 3
    assert [rec.event(i) for i in range(len(rec.events))] == good
    assert rec.t0 == 1000
    assert snapshot(rec) == snapshot(recorded(good))


def test_run_errors_are_kept_apart_from_lanes():
    rec = recorded([ev("error", MAIN, 5, 3, code="syntax_error", msg="invalid syntax")])
    assert rec.lanes == {} and len(rec.errors) == 1


def test_chrome_trace_of_a_recording():
    rec = recorded(story())
    trace = chrome_trace(rec, {"title": "t"})
    assert trace["otherData"] == {"title": "t"}
    events = trace["traceEvents"]
    names = {e["pid"]: e["args"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
    assert names[MAIN]["name"] == "MainProcess" and names[MAIN]["ppid"] == SHELL
    assert names[CHILD]["name"] == "Process-1" and names[CHILD]["ppid"] == MAIN
    states = [e for e in events if e["ph"] == "X" and e["pid"] == CHILD]
    assert [(e["cat"], e["name"]) for e in states] == [
        ("state", "running"),
        ("state", "sleeping"),
        ("state", "running"),
        ("state", "zombie"),
    ]
    assert states[0]["ts"] == (1300 - 1000) / 1000 and states[-1]["dur"] == (2400 - 2050) / 1000
    exited = next(e for e in events if e["pid"] == CHILD and e.get("name") == "exited")
    assert exited["cat"] == "lifecycle" and exited["args"]["exitcode"] == 3
    printed = next(e for e in events if e["pid"] == CHILD and e.get("cat") == "print")
    assert printed["args"] == {"text": "hello", "stream": "stdout", "line": 6}


def test_the_segments_tail_continues_the_segments_exactly():
    rec = Recording(t0=0)
    rec.add([("started", 10, 0, 0, {"name": "MainProcess"})])
    states = ("sleeping", "running", "blocked")
    segs = rec.segments(rec.lanes[10], 1)
    known = 0
    for i in range(1, 60):
        rec.add([("state", 10, i * 10, 1, {"s": states[i % 3]})])
        lane = rec.lanes[10]
        tail = rec.segments_tail(lane, known, segs[-1].start, i * 10 + 5)
        full = rec.segments(lane, i * 10 + 5)
        if tail is not None:
            segs[-1:] = tail
            assert segs == full
        else:
            segs = full
        known = len(lane.transitions)
    assert rec.segments_tail(rec.lanes[10], 0, 0, 700) is None  # nothing known: a full redraw


def test_events_read_back_in_any_order_from_many_chunks():
    from model.event_store import CHUNK, LOADED, EventStore

    store = EventStore()
    events = [
        ("print", 1 + i % 3, i, i % 7, {"stream": 1, "text": f"line {i}"} if i % 5 else None)
        for i in range(CHUNK * (LOADED + 3) + 17)
    ]
    for at in range(0, len(events), 700):  # chunks do not follow the batches handed over
        store.extend(events[at : at + 700])
    order = list(range(len(events)))
    random.Random(3).shuffle(order)  # a replay's time order can visit chunks back and forth
    assert store.take(order) == [events[i] for i in order]
    assert [store[i] for i in order[:300]] == [events[i] for i in order[:300]]
    assert list(store) == events
    store.data(6)["text"] = "changed"  # what is handed out is a copy
    assert store.data(6) == {"stream": 1, "text": "line 6"}


@pytest.mark.parametrize("limit", [10_000, 40])  # 40: the detail limit cuts the lane's states
def test_a_lane_redrawn_from_its_last_state_when_its_end_moves_matches_a_full_redraw(limit):
    from model.recording import tail_start

    rec = Recording(t0=0, limit=limit)
    rec.add([("started", 9, 0, 0, {"name": "MainProcess"})])
    rec.add([("started", 10, 1, 0, {"name": "Process-1", "parent": 9, "ppid": 9})])
    rec.add([("state", 10, 10 * i, 1, {"s": ("sleeping", "running")[i % 2]}) for i in range(1, 60)])
    lane = rec.lanes[10]
    drawn, known = rec.segments(lane, 700), len(lane.transitions)
    steps = [
        ("exit_status", 10, 705, 0, {"code": 0}),  # its own last word: the zombie span from here
        ("exited", 10, 720, 0, {"code": 0, "by": 9}),  # seen by its parent later: the end moves
        ("joined", 10, 760, 0, {"code": 0, "by": 9}),
    ]
    for now, ev in zip((710, 740, 800), steps, strict=True):
        rec.add([ev])
        start = tail_start(drawn)
        tail = rec.segments_tail(lane, known, drawn[start].start, now)
        assert tail is not None, "a lane's whole redraw froze the window for a second"
        drawn[start:] = tail
        assert drawn == rec.segments(lane, now)
    assert drawn[-1].state == "zombie" and (drawn[-1].start, drawn[-1].end) == (720, 760)
    assert (lane.unrecorded_from is not None) == (limit == 40)
