"""The window with qtbot: live lanes, Stop, parameter checks, log ↔ timeline ↔ code, scripts,
a run that cannot start. Drawing as a run comes in: test_live_drawing.py; floods:
test_window_floods.py."""

from __future__ import annotations

import os

import pytest

from tests.helpers import alive


def _start(window, sid: str, method: str = "spawn", **values: object) -> None:
    assert window.panel.select(sid)
    for name, value in values.items():
        window.panel.params.set_text(name, str(value))
    window.panel.method.setCurrentText(method)
    window.panel.run_button.click()


def test_lanes_appear_while_the_run_is_still_going(window, qtbot):
    _start(window, "several-processes", TH1_SLEEP=0.8, TH2_SLEEP=1.2, TH3_SLEEP=1.0)
    qtbot.waitUntil(lambda: len(window.timeline._rows) >= 4, timeout=10_000)
    assert window.controller.running(), "lanes should show before the run ends"
    rec = window.controller.recording
    assert all(lane.end is None for lane in rec.lanes.values() if lane.name != "MainProcess")
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    names = sorted(lane.name for lane in rec.lanes.values())
    assert names == ["MainProcess", "Process-1", "Process-2", "Process-3"]
    assert window.console.toPlainText().count("[Process-") >= 6


def test_a_run_starts_in_the_runner_kept_ready_and_another_is_made_ready_after_it(window, qtbot):
    window.controller.keep_runner_ready()
    first = window.controller.standby
    assert first is not None and first.ready(30)
    runner = first.proc.pid
    _start(window, "several-processes", method="fork", TH1_SLEEP=0.05, TH2_SLEEP=0.05)
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert window.controller.session.runner_pid == runner
    assert window.controller.recording.lanes[runner].name == "MainProcess"
    ready = window.controller.standby
    assert ready is not None and ready.proc.pid != runner, "the next Run's runner, made ready"
    pid = ready.proc.pid
    window.controller.shutdown()
    assert not alive(pid), "closing the window ends the runner kept ready"


def test_stop_ends_every_process_of_the_run_within_two_seconds(window, qtbot):
    _start(window, "custom-process-class", method="fork", VALUE=0.5, TICKS=20)
    qtbot.waitUntil(lambda: len(window.controller.recording.lanes) >= 2, timeout=10_000)
    pids = list(window.controller.recording.lanes)
    assert all(alive(pid) for pid in pids)
    window.panel.stop_button.click()
    qtbot.waitUntil(lambda: not any(alive(pid) for pid in pids), timeout=2_000)
    assert not window.controller.running()
    assert len(window.controller.recording.events) > 0, "what was recorded stays"
    assert "Stopped" in window.status.text()


def test_a_bad_parameter_is_named_and_blocks_run(window):
    assert window.panel.select("process-basics")
    window.panel.params.set_text("CHILD_SLEEP", "abc")
    assert not window.panel.run_button.isEnabled()
    assert "CHILD_SLEEP" in window.panel.params.message.text()
    window.panel.params.set_text("CHILD_SLEEP", "99")
    assert not window.panel.run_button.isEnabled()
    assert "30" in window.panel.params.message.text()
    window.panel.params.set_text("CHILD_SLEEP", "0.1")
    assert window.panel.run_button.isEnabled()


def test_selecting_a_log_row_highlights_timeline_and_code(window, qtbot):
    _start(window, "process-basics", method="fork", CHILD_SLEEP=0.2, PARENT_SLEEP=0.1)
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    rec = window.controller.recording
    row = next(i for i, ev in enumerate(rec.events) if ev[0] == "print" and ev[3] > 0)
    window.log.select_event(row)
    assert window.code.highlighted_line == rec.events[row][3]
    assert "print" in window.code.textCursor().block().text()
    assert window.timeline.cursor_line.isVisible()
    assert window.timeline.cursor_line.value() == pytest.approx((rec.events[row][2] - rec.t0) / 1e9)


def test_code_panel_shows_the_code_that_runs(window, qtbot):
    _start(window, "process-basics", method="fork", CHILD_SLEEP=0.25, PARENT_SLEEP=0.1)
    assert "CHILD_SLEEP = 0.25" in window.code.toPlainText()
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)


def test_no_process_is_left_after_closing_mid_run(qtbot):
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    _start(w, "custom-process-class", method="spawn", VALUE=0.5, TICKS=20)
    qtbot.waitUntil(lambda: len(w.controller.recording.lanes) >= 2, timeout=10_000)
    pids = list(w.controller.recording.lanes)
    w.close()
    qtbot.waitUntil(lambda: not any(alive(pid) for pid in pids), timeout=2_000)
    assert os.getpid() not in pids


def test_the_command_line_opens_the_window_with_the_run_started(window, qtbot):
    from control.cli import parse
    from gui.app import start_request

    request = parse(
        [
            "--scenario",
            "zombie",
            "--set",
            "CHILD_SLEEP=0.1",
            "--set",
            "PARENT_BUSY=0.4",
            "--start-method",
            "fork",
            "--time-scale",
            "0.5",
        ]
    )
    start_request(window, request)
    assert window.controller.running()
    assert "PARENT_BUSY = 0.4" in window.code.toPlainText()
    assert window.panel.scale.value() == 0.5
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    lanes = {lane.name: lane for lane in window.controller.recording.lanes.values()}
    child = lanes["Process-1"]
    zombie = [s for s in window.controller.recording.segments(child) if s.state == "zombie"]
    assert len(zombie) == 1
    assert (zombie[0].end - zombie[0].start) / 1e9 == pytest.approx(0.4 * 0.5 - 0.1 * 0.5, abs=0.1)


def test_a_new_run_while_one_runs_ends_the_first(window, qtbot):
    _start(window, "custom-process-class", method="fork", VALUE=0.5, TICKS=20)
    qtbot.waitUntil(lambda: len(window.controller.recording.lanes) >= 2, timeout=10_000)
    first = list(window.controller.recording.lanes)
    _start(window, "process-basics", method="fork", CHILD_SLEEP=0.1, PARENT_SLEEP=0.1)
    qtbot.waitUntil(lambda: not any(alive(pid) for pid in first), timeout=2_000)
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    names = sorted(lane.name for lane in window.controller.recording.lanes.values())
    assert names == ["MainProcess", "Process-1"]


SCRIPT = """
import sys
from multiprocessing import Process
def child():
    print("child here")
if __name__ == "__main__":
    p = Process(target=child)
    p.start()
    p.join()
    sys.exit(3)
"""


def test_open_a_script_runs_it_and_shows_its_exit_code(window, qtbot, tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(SCRIPT)
    window.panel.method.setCurrentText("fork")
    window.open_script(str(path))
    assert "child here" in window.code.toPlainText()
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert window.controller.session.exit_code == 3
    assert "3" in window.status.text()
    assert "[Process-1] child here" in window.console.toPlainText()


def test_a_missing_file_is_said_and_nothing_runs(window, tmp_path):
    window.open_script(str(tmp_path / "nope.py"))
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert "nope.py" in window.banner.label.text()
    assert window.controller.session is None


def test_a_syntax_error_is_shown_on_its_line(window, qtbot, tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("x = 1\ndef f(:\n    pass\n")
    window.open_script(str(path))
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert "2" in window.banner.label.text()
    assert window.code.highlighted_line == 2


def test_an_edited_script_offers_a_rerun(window, qtbot, tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(SCRIPT)
    window.panel.method.setCurrentText("fork")
    window.open_script(str(path))
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    first = window.controller.session
    path.write_text(SCRIPT.replace("child here", "edited child"))
    qtbot.waitUntil(
        lambda: window.banner.isVisible() and window.banner.action.isVisible(), timeout=5_000
    )
    window.banner.action.click()
    assert window.controller.session is not first
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert "[Process-1] edited child" in window.console.toPlainText()


def test_only_python_files_are_taken_from_a_drop():
    from PySide6.QtCore import QUrl

    from gui.script_runs import dropped_script

    urls = [QUrl.fromLocalFile("/tmp/notes.txt"), QUrl.fromLocalFile("/tmp/lesson.py")]
    assert dropped_script(urls) == "/tmp/lesson.py"
    assert dropped_script([QUrl.fromLocalFile("/tmp/a.png")]) is None


def _no_process_can_start(monkeypatch) -> None:
    import control.session

    def refuse() -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork at the process limit

    monkeypatch.setattr(control.session, "Standby", refuse)


def test_a_run_that_cannot_start_is_said_and_nothing_breaks(window, monkeypatch):
    _no_process_can_start(monkeypatch)
    _start(window, "several-processes")
    assert not window.controller.running()
    assert window.banner.kind == "error" and window.banner.isVisible()
    text = window.banner.label.text()
    assert "could not start" in text and "Resource temporarily unavailable" in text
    assert window.panel.run_button.isEnabled()


def test_the_command_line_says_a_run_could_not_start(monkeypatch, tmp_path, capsys):
    from control import cli

    _no_process_can_start(monkeypatch)
    out = tmp_path / "never.json"
    assert cli.main(["--scenario", "several-processes", "--export", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "mpscope: error: the run could not start: [Errno 11] Resource temporarily unavailable"
    ]
    assert not out.exists()
