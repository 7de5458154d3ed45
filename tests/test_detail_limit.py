"""Floods: past the Recording's detail limit events are counted, not kept, lanes stay whole, and
the window says so. Model tests, one real traced flood, and the window's banner."""

from __future__ import annotations

import textwrap

import pytest

from control.session import RunSpec, Session
from model import recording_file
from model.recording import PRINT_TAIL, Recording
from model.replay import Replay
from tests.helpers import RUN_TIMEOUT, run_pids, still_alive
from tests.test_recording import MAIN, SHELL, ev

W = MAIN + 1  # a worker


def _flood(n: int) -> list:
    """MainProcess starts, prints and changes state ``n`` times each, then ends."""
    out = [ev("started", MAIN, 1000, name="MainProcess", ppid=SHELL, parent=None)]
    t = 1000
    for i in range(n):
        t += 10
        out.append(ev("print", MAIN, t, 3, stream=1, text=f"line {i}"))
        out.append(ev("state", MAIN, t + 5, 4, s="sleeping" if i % 2 else "running", on="sleep"))
    out.append(ev("exit_status", MAIN, t + 20, code=0, tb=None))
    out.append(ev("exited", MAIN, t + 30, code=0, by=SHELL, zombie=False))
    return out


def test_past_the_limit_prints_and_states_are_counted_not_kept():
    events = _flood(100)
    rec = Recording(limit=21)
    rec.add(events)
    rec.finish(events[-1][2])
    # the limit, the exit status and the exit, and the last PRINT_TAIL lines once the run ended
    assert len(rec.events) == 21 + 2 + PRINT_TAIL
    assert rec.summarised == {"print": 90 - PRINT_TAIL, "state": 90}
    assert rec.received == len(events)
    lane = rec.lanes[MAIN]
    assert lane.exitcode == 0 and lane.exited == events[-1][2]  # lifecycle still kept
    prints = [m for m in lane.markers if m.kind == "print"]
    assert len(prints) == 10 + PRINT_TAIL
    assert [m.data["text"] for m in prints[-2:]] == ["line 98", "line 99"]  # what it said last
    assert prints == sorted(prints, key=lambda m: m.ts)
    first_dropped_state = next(e[2] for e in events[21:] if e[0] == "state")
    assert lane.unrecorded_from == first_dropped_state
    segs = rec.segments(lane)
    assert segs[-1].state == "unrecorded"
    assert (segs[-1].start, segs[-1].end) == (first_dropped_state, lane.exited)
    assert all(a.end == b.start for a, b in zip(segs, segs[1:], strict=False))


def test_halves_already_kept_are_completed_new_ones_are_not():
    task = {"pool": MAIN, "job": 1, "chunk": 0, "k": -1}
    late = {"pool": MAIN, "job": 1, "chunk": 1, "k": -1}
    events = [
        ev("started", MAIN, 1000, name="MainProcess", ppid=SHELL, parent=None),
        ev("started", W, 1010, name="W", ppid=MAIN, parent=MAIN),
        ev("task", MAIN, 1020, 5, phase="submit", how="apply_async", fn="f", n=2, **task),
        ev("task", W, 1030, 0, phase="start", fn="f", call="f(1)", **task),
        ("msg", MAIN, 1040, 6, {"phase": "channel", "ch": "q1", "kind": "Queue", "name": "q"}),
        ev("msg", W, 1050, 7, phase="send", ch="q1", mid="m1", payload="1"),
        # the limit (6 events) is reached here
        ev("msg", W, 1060, 7, phase="send", ch="q1", mid="m2", payload="2"),
        ev("task", W, 1070, 0, phase="end", ok=True, result="2", **task),
        ev("task", W, 1080, 0, phase="start", fn="f", call="f(2)", **late),
        ev("task", W, 1090, 0, phase="end", ok=True, result="3", **late),
        ev("msg", MAIN, 1100, 8, phase="recv", ch="q1", mid="m1"),
        ev("msg", MAIN, 1110, 8, phase="recv", ch="q1", mid="m2"),
        ("msg", MAIN, 1120, 9, {"phase": "channel", "ch": "q2", "kind": "Pipe", "name": "a, b"}),
        ev("task", MAIN, 1130, 5, phase="collect", ok=True, **task),
    ]
    rec = Recording(limit=6)
    rec.add(events)
    (t,) = rec.tasks.by_worker[W]  # the task kept whole; the one begun past the limit not at all
    assert (t.start, t.end, t.result) == (1030, 1070, "2")
    assert rec.tasks.jobs[(MAIN, 1)].collected == 1130
    assert [m.mid for m in rec.messages.complete()] == ["m1"]
    assert "m2" not in rec.messages.messages
    assert set(rec.messages.channels) == {"q1", "q2"}
    assert rec.summarised == {"msg": 2, "task": 2}
    assert rec.received == len(events)


def test_a_saved_flood_opens_and_replays_with_what_was_left_out(tmp_path):
    events = _flood(60)
    rec = Recording(limit=31)
    rec.add(events)
    rec.finish(events[-1][2])
    path = str(tmp_path / "flood.mpscope.json")
    recording_file.save(rec, path)
    opened, _meta = recording_file.load(path)
    assert opened.summarised == rec.summarised
    assert opened.lanes[MAIN].unrecorded_from == rec.lanes[MAIN].unrecorded_from
    assert opened.segments(opened.lanes[MAIN]) == rec.segments(rec.lanes[MAIN])
    replay = Replay(opened)
    replay.seek(opened.t0)
    replay.seek(opened.lanes[MAIN].unrecorded_from + 1)
    assert replay.rec.segments(replay.rec.lanes[MAIN])[-1].state == "unrecorded"
    replay.seek(replay.end)
    assert replay.rec.segments(replay.rec.lanes[MAIN]) == rec.segments(rec.lanes[MAIN])


FLOOD_SCRIPT = """
    import multiprocessing as mp
    import sys

    LINES, MESSAGES = int(sys.argv[1]), int(sys.argv[2])


    def worker(q):
        for i in range(LINES):
            print("line", i)
        for i in range(MESSAGES):
            q.put(i)


    if __name__ == "__main__":
        q = mp.Queue()
        p = mp.Process(target=worker, args=(q,))
        p.start()
        got = sum(1 for _ in range(MESSAGES) if q.get() is not None)
        p.join()
        print("got", got)
"""


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_real_flood_is_bounded_and_counted(tmp_path, method):
    lines, messages, limit = 3000, 2000, 800
    script = tmp_path / "flood.py"
    script.write_text(textwrap.dedent(FLOOD_SCRIPT), encoding="utf-8")
    session = Session(
        RunSpec(str(script), [str(lines), str(messages)], method, 1.0), Recording(limit=limit)
    )
    session.start()
    assert session.wait_finished(RUN_TIMEOUT)
    rec = session.recording
    assert session.exit_code == 0
    # past the limit: lifecycles, halves, channels, and the last lines of each of the 2 processes
    assert limit <= len(rec.events) <= limit + 20 + 2 * PRINT_TAIL
    texts = [
        rec.events.data(i)["text"] for i in range(len(rec.events)) if rec.events.kind(i) == "print"
    ]
    assert texts[-1] == "got 2000" and f"line {lines - 1}" in texts  # what each said last
    kept_prints = sum(1 for i in range(len(rec.events)) if rec.events.kind(i) == "print")
    assert kept_prints + rec.summarised["print"] == lines + 1  # every line counted, kept or not
    sends = sum(1 for m in rec.messages.messages.values() if m.sent is not None)
    recvs = sum(1 for m in rec.messages.messages.values() if m.received is not None)
    assert sends + recvs + rec.summarised.get("msg", 0) == 2 * messages
    assert recvs == sends  # every message kept is kept whole: sent and received
    lanes = {lane.name: lane for lane in rec.lanes.values()}
    assert lanes["Process-1"].exitcode == 0 and lanes["MainProcess"].exitcode == 0
    assert all(lane.end is not None for lane in rec.lanes.values())
    assert not still_alive(run_pids(rec))


def test_the_window_says_what_a_flood_left_out(qtbot):
    from gui import app_setup
    from gui.main_window import MainWindow

    app_setup.set_language("en")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    events = _flood(100)
    rec = Recording(limit=51)
    rec.add(events)
    rec.finish(events[-1][2])
    window.show_recording(rec, {"title": "flood"}, "flood.mpscope.json")
    assert window.banner.isVisible() and window.banner.kind == "limit"
    text = window.banner.label.text()
    assert "100" in text and "state: 75" in text and "print: 25" in text  # 50 lines kept at the end
    assert "100 more counted, not kept" in window.status.text()
    row = window.timeline._rows.index(MAIN)
    assert window.timeline.boxes.boxes_by_key(row).get("unrecorded")  # the hatched bar is drawn
    app_setup.set_language("zh_CN")
    window.show_recording(rec, {"title": "flood"}, "flood.mpscope.json")
    assert "100" in window.banner.label.text() and "print" not in window.banner.label.text()
    app_setup.set_language("en")
    window.controller.shutdown()


def test_an_export_past_the_limit_says_what_it_kept_and_counted(capsys):
    """Headless, as in the window: the trace's otherData and one note on stderr."""
    from control.headless import _note_detail_limit
    from model.trace_export import chrome_trace

    events = _flood(100)
    rec = Recording(limit=51)
    rec.add(events)
    rec.finish(events[-1][2])
    limit = chrome_trace(rec, {"title": "flood"})["otherData"]["detail_limit"]
    assert limit == {"limit": 51, "kept": len(rec.events), "counted": rec.summarised}
    assert limit["kept"] + sum(limit["counted"].values()) == len(events)
    _note_detail_limit(rec)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "detail limit (51 events)" in err[0] and "state: 75" in err[0]


def test_an_export_within_the_limit_says_nothing_of_it(capsys):
    from control.headless import _note_detail_limit
    from model.trace_export import chrome_trace

    rec = Recording()
    rec.add(_flood(10))
    assert "detail_limit" not in chrome_trace(rec, {})["otherData"]
    _note_detail_limit(rec)
    assert capsys.readouterr().err == ""
