"""What the app could not read is counted and said (issue 16: no event is lost in silence): in
the window's status bar in the user's language, in one line on stderr for ``--export``, and in
the export's metadata (Chrome trace ``otherData``, the saved recording).

The scripts here are real runs that put into the event channel what cannot be read: an event
whose data is not plain data (through the tracer's own writer: its encoder sends a stand-in), a
frame that names a class (refused whole), malformed events, garbage, a frame cut short.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from gui import texts
from model import recording_file
from model.recording import Recording
from tests import helpers

LOSSY = textwrap.dedent(
    """
    import enum, os, pickle, sys

    class Flag(enum.IntEnum):
        ON = 1

    tracer = sys.modules["_mpscope_workers.tracer"]  # mpscope's, out of the script's way
    tracer.emit("print", os.getpid(), 0, {"stream": 1, "text": Flag.ON})  # not plain data
    tracer.flush()
    conn = tracer.connection()
    conn.send_bytes(pickle.dumps([("print", os.getpid(), 1, 0, {"text": "x"}), Flag.ON]))
    conn.send_bytes(pickle.dumps([("nonsense", 1, 2, 3, None), 42]))  # two malformed events
    print("done")
    """
)
LOST = 4  # the stand-in, the refused frame (its events are not known: "at least"), two malformed
GARBAGE = textwrap.dedent(
    """
    import os, struct, sys

    conn = sys.modules["_mpscope_workers.tracer"].connection()
    print("before")
    sys.stdout.flush()
    os.write(conn.fileno(), struct.pack("!i", 1 << 30) + b"garbage")
    print("after")
    """
)
CUT = textwrap.dedent(
    """
    import os, struct, sys

    tracer = sys.modules["_mpscope_workers.tracer"]
    print("the last line")
    tracer.flush()
    os.write(tracer.connection().fileno(), struct.pack("!i", 3000) + b"only the start")
    """
)


@pytest.fixture
def window(english_window):
    return english_window


def _script(tmp_path, source: str, name: str = "lossy.py") -> str:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return str(path)


def _run_in_window(window, qtbot, path: str) -> None:
    window.panel.method.setCurrentText("fork")
    window.open_script(path)
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)


# ---- the model's counts --------------------------------------------------------------------
def test_a_run_that_loses_events_counts_each_way(tmp_path):
    session = helpers.run_script(_script(tmp_path, LOSSY), "fork")
    rec = session.recording
    assert session.exit_code == 0 and not session.stopped
    assert rec.unreadable == {"print": 1}  # the tracer's stand-in, with its kind
    assert rec.dropped == 3 and rec.dropped_frames == 1 and rec.unread == LOST
    main = helpers.lanes_by_name(rec)["MainProcess"]
    assert [m.data["text"] for m in main.markers if m.kind == "print"] == ["done"]
    assert rec.unread_summary() == {
        "dropped_events": LOST,
        "unreadable_kinds": {"print": 1},
        "unreadable_frames": 1,
    }


def test_a_frame_cut_short_at_the_end_is_counted(tmp_path):
    session = helpers.run_script(_script(tmp_path, CUT, "cut.py"), "fork")
    rec = session.recording
    assert session.exit_code == 0 and not session.channel_broken
    assert rec.dropped_frames == 1 and rec.unread == 1
    main = helpers.lanes_by_name(rec)["MainProcess"]
    assert main.exitcode == 0  # observed from outside, as any end is


def test_a_clean_run_reports_nothing():
    rec = Recording()
    rec.add([("started", 1, 10, 0, {"name": "MainProcess"})])
    assert rec.unread == 0 and rec.unread_summary() == {} and texts.unread_text(rec) == ""


# ---- the window --------------------------------------------------------------------------
def test_the_window_says_what_could_not_be_read_in_its_language(window, qtbot, tmp_path):
    _run_in_window(window, qtbot, _script(tmp_path, LOSSY))
    assert window.unread_note.isVisible()
    assert window.unread_note.text() == f"At least {LOST} events could not be read."
    window.set_language("zh_CN")
    assert window.unread_note.text() == f"至少有 {LOST} 个事件无法读取。"
    window.set_language("en")
    log = window.log.log_model
    rows = [log.index(row, 2).data() for row in range(log.rowCount())]
    assert "unreadable event" in rows


def test_the_window_says_nothing_of_a_clean_run(window, qtbot, tmp_path):
    _run_in_window(window, qtbot, _script(tmp_path, "print('hi')\n", "clean.py"))
    assert window.controller.session.exit_code == 0
    assert not window.unread_note.isVisible() and window.unread_note.text() == ""


def test_a_saved_recording_keeps_what_could_not_be_read(window, qtbot, tmp_path):
    _run_in_window(window, qtbot, _script(tmp_path, LOSSY))
    path = str(tmp_path / "lossy.mpscope.json")
    recording_file.save(window.controller.recording, path, {"title": "lossy"})
    rec, _meta = recording_file.load(path)
    assert (rec.unread, rec.dropped_frames, rec.unreadable) == (LOST, 1, {"print": 1})
    window.show_recording(rec, {"title": "lossy"}, path)
    assert window.unread_note.isVisible()
    assert window.unread_note.text() == f"At least {LOST} events could not be read."


def test_texts_for_one_many_and_a_broken_channel():
    rec = Recording()
    rec.count_unread(1)
    assert texts.unread_text(rec) == "1 event could not be read."
    rec.count_unread(11)
    assert texts.unread_text(rec) == "12 events could not be read."
    rec.channel_broken = True
    assert texts.unread_text(rec) == (
        "12 events could not be read. "
        "The event channel was corrupted: later events were not recorded."
    )


# ---- the command line -----------------------------------------------------------------------
def test_export_says_it_in_one_line_and_in_the_metadata(tmp_path):
    out = tmp_path / "lossy.json"
    done = helpers.cli(
        "--trace", _script(tmp_path, LOSSY), "--start-method", "fork", "--export", str(out)
    )
    assert done.returncode == 0, done.stderr  # the export is still written
    assert done.stdout == "done\n"
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warnings == [f"mpscope: warning: at least {LOST} events of the run could not be read"]
    other = json.loads(out.read_text(encoding="utf-8"))["otherData"]
    assert other["dropped_events"] == LOST and other["unreadable_frames"] == 1
    assert other["unreadable_kinds"] == {"print": 1} and "channel_broken" not in other


def test_a_saved_recording_exported_again_says_it_too(tmp_path):
    saved, trace = tmp_path / "lossy.mpscope.json", tmp_path / "again.json"
    first = helpers.cli(
        "--trace", _script(tmp_path, LOSSY), "--start-method", "fork", "--export", str(saved)
    )
    assert first.returncode == 0, first.stderr
    again = helpers.cli("--open", str(saved), "--export", str(trace))
    assert again.returncode == 0, again.stderr
    assert f"mpscope: warning: at least {LOST} events" in again.stderr
    assert json.loads(trace.read_text(encoding="utf-8"))["otherData"]["dropped_events"] == LOST


def test_a_corrupted_channel_is_said(tmp_path):
    out, script = tmp_path / "garbage.json", _script(tmp_path, GARBAGE, "g.py")
    done = helpers.cli("--trace", script, "--start-method", "fork", "--export", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "before\nafter\n"  # the program itself runs on
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "mpscope: warning: the event channel was corrupted, later events were not recorded"
    ]
    assert json.loads(out.read_text(encoding="utf-8"))["otherData"]["channel_broken"] is True
