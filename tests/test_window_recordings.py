"""The window's File menu and replay: save and open recordings, bad files said in the user's
language, trace JSON and pictures (PNG, SVG, visible range, clipboard), and the replay bar."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtGui import QGuiApplication, QImage

from gui.app_setup import ensure_app
from gui.export_dialog import ExportDialog, PictureOptions
from model import recording_file
from model.recording import Recording
from tests.test_recording import CHILD, MAIN, story

MS = 1_000_000


@pytest.fixture(scope="session")
def qapp():
    return ensure_app()


@pytest.fixture
def window(english_window):
    return english_window


def _story_ms() -> list:
    """The model tests' story, stretched to milliseconds so a replay takes visible time."""
    return [(k, pid, ts * MS, line, data) for k, pid, ts, line, data in story()]


def _saved(tmp_path, name: str = "story.mpscope.json") -> str:
    rec = Recording(t0=900 * MS)
    rec.add(_story_ms())
    rec.finish(2700 * MS)
    path = str(tmp_path / name)
    meta = {"title": "Process basics: memory is not shared", "start_method": "fork"}
    recording_file.save(rec, path, dict(meta, scenario="process-basics", code="print('hi')\n"))
    return path


# ---- recordings ---------------------------------------------------------------------------
def test_open_a_recording_shows_it_with_its_explanation_and_code(window, tmp_path):
    path = _saved(tmp_path)
    assert window.files.open_recording(path)
    rec = window.recording()
    assert window.timeline.rec is rec and len(window.timeline._rows) == 3
    assert window.log.log_model.rowCount() == len(rec.events)
    assert "[Process-1] hello" in window.console.toPlainText()
    assert "story.mpscope.json" in window.status.text()
    assert "print('hi')" in window.code.toPlainText()
    assert window.explanation.isVisible() and "Process basics" in window.explanation.text()
    assert window.replay.isVisible() and window.replay.replay.source is rec
    assert window.files.save_action.isEnabled() and window.files.copy_action.isEnabled()


def test_save_then_open_gives_the_same_recording(window, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    out = str(tmp_path / "again")  # the suffix is added
    assert window.files.save_recording(out)
    rec, meta = recording_file.load(out + ".mpscope.json")
    assert [ev for ev in rec.events] == [ev for ev in window.recording().events]
    assert meta["scenario"] == "process-basics" and meta["start_method"] == "fork"


def test_a_finished_run_is_saved_with_what_ran(window, qtbot, tmp_path):
    assert window.panel.select("process-basics")
    window.panel.params.set_text("CHILD_SLEEP", "0.1")
    window.panel.params.set_text("PARENT_SLEEP", "0.05")
    window.panel.method.setCurrentText("fork")
    window.panel.run_button.click()
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert window.replay.isVisible(), "a finished run can be replayed"
    path = str(tmp_path / "run.mpscope.json")
    assert window.files.save_recording(path)
    rec, meta = recording_file.load(path)
    assert len(rec.events) == len(window.controller.recording.events)
    assert meta["values"]["CHILD_SLEEP"] == 0.1 and "CHILD_SLEEP = 0.1" in meta["code"]
    assert meta["start_method"] == "fork" and meta["date"]


@pytest.mark.parametrize(
    ("content", "english", "chinese"),
    [
        (b"\x00\xff garbage", "not a text file", "不是文本文件"),
        (b'{"format": "mpscope-recording", "version": 1, "events": [', "cut short", "不完整"),
        (b'{"format": "mpscope-recording", "version": 1, "events": 5}', "no events", "没有事件"),
        (b'{"format": "mpscope-recording", "version": 7, "events": []}', "newer mpscope", "更新"),
        (b'{"something": "else"}', "not an mpscope recording", "不是 mpscope"),
    ],
)
def test_a_bad_file_is_named_with_what_is_wrong_in_the_users_language(
    window, tmp_path, content, english, chinese
):
    window.files.open_recording(_saved(tmp_path, "good.mpscope.json"))
    shown = window.recording()
    bad = tmp_path / "bad.mpscope.json"
    bad.write_bytes(content)
    assert not window.files.open_recording(str(bad))
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert "bad.mpscope.json" in window.banner.label.text()
    assert english in window.banner.label.text()
    assert window.recording() is shown, "a bad file changes nothing"
    window.set_language("zh_CN")
    window.files.open_recording(str(bad))
    assert chinese in window.banner.label.text()
    if "version" in english:
        assert "7" in window.banner.label.text()


def test_the_command_line_open_goes_through_the_window(window, tmp_path):
    from control.cli import parse
    from gui.app import start_request

    start_request(window, parse(["--open", _saved(tmp_path)]))
    assert window.opened is not None and len(window.opened.lanes) == 3


def test_export_trace_json_from_the_window(window, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    path = str(tmp_path / "trace.json")
    assert window.files.export_trace(path)
    with open(path, encoding="utf-8") as f:
        trace = json.load(f)
    names = {e["args"]["name"] for e in trace["traceEvents"] if e.get("name") == "process_name"}
    assert names == {"MainProcess", "Process-1", "Process-2"}
    assert trace["otherData"]["start_method"] == "fork"


def test_writing_where_it_cannot_is_said_in_the_banner(window, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    assert not window.files.export_trace(str(tmp_path / "no" / "such" / "dir" / "t.json"))
    assert window.banner.kind == "error" and "t.json" in window.banner.label.text()


# ---- pictures -----------------------------------------------------------------------------
def test_export_picture_png_at_a_chosen_width_and_svg(window, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    png = str(tmp_path / "pic.png")
    assert window.files.export_picture(png, PictureOptions("png", 2560))
    assert QImage(png).width() == 2560
    svg = str(tmp_path / "pic")
    assert window.files.export_picture(svg, PictureOptions("svg", 1920))
    with open(svg + ".svg", encoding="utf-8") as f:
        text = f.read()
    assert "<svg" in text and "MainProcess" in text


def _mean_brightness(image: QImage) -> float:
    small = image.scaled(64, 16)
    values = [small.pixelColor(x, y).lightness() for x in range(64) for y in range(16)]
    return sum(values) / len(values)


def test_pictures_are_light_by_default_and_dark_on_request(window, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    window.set_theme("dark")
    try:
        light, dark = str(tmp_path / "light.png"), str(tmp_path / "dark.png")
        window.files.export_picture(light, PictureOptions())
        window.files.export_picture(dark, PictureOptions(theme="dark"))
    finally:
        window.set_theme("light")
    assert _mean_brightness(QImage(light)) > 200 > 80 > _mean_brightness(QImage(dark))


def test_visible_range_picture_shows_only_that_range(window, tmp_path, monkeypatch):
    from gui import picture_export

    window.files.open_recording(_saved(tmp_path))
    window.timeline.set_follow(False)
    window.timeline.vb.setXRange(0.5, 1.0, padding=0)
    seen = []
    real = picture_export.export_picture
    monkeypatch.setattr(
        picture_export, "export_picture", lambda *a, **k: seen.append(a) or real(*a, **k)
    )
    path = str(tmp_path / "range.png")
    assert window.files.export_picture(path, PictureOptions(visible_only=True, width=1280))
    x_range = seen[0][5]
    assert x_range == pytest.approx((0.5, 1.0), abs=0.02)
    assert QImage(path).width() == 1280


def test_copy_picture_puts_the_picture_on_the_clipboard(window, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    QGuiApplication.clipboard().clear()
    window.files.copy_action.trigger()
    image = QGuiApplication.clipboard().image()
    assert image.width() == 1920 and image.height() > 300
    assert window.files.copy_action.shortcut().toString() == "Ctrl+Shift+C"


def test_the_export_dialog_gives_back_its_choices_and_keeps_limits(qtbot):
    dialog = ExportDialog(PictureOptions())
    qtbot.addWidget(dialog)
    assert dialog.options() == PictureOptions("png", 1920, False, "light")
    dialog.svg.setChecked(True)
    dialog.visible.setChecked(True)
    dialog.width.setValue(9999)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert dialog.options() == PictureOptions("svg", 3840, True, "dark")
    assert PictureOptions("gif", 10, True, "pink").checked() == PictureOptions("png", 640, True)


def test_picture_choices_are_remembered(window, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    window.files.export_picture(str(tmp_path / "a.svg"), PictureOptions("svg", 2400, True))
    from gui.file_actions import FileActions

    assert FileActions(window).picture_options == PictureOptions("svg", 2400, True, "light")


# ---- replay -------------------------------------------------------------------------------
def test_scrubbing_reveals_the_timeline_as_it_grew(window, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    bar = window.replay
    assert bar.slider.maximum() == 1800 and bar.slider.value() == 1800
    bar.slider.setValue(700)  # 1600 ms of the story: Process-1 asleep, MainProcess in join
    rec = window.timeline.rec
    assert rec is bar.replay.rec and rec is not window.recording()
    assert rec.end_ts is None and rec.now() == 1600 * MS
    assert window.log.log_model.rowCount() == len(rec.events) < len(window.recording().events)
    child = rec.segments(rec.lanes[CHILD])[-1]
    assert (child.state, child.end) == ("sleeping", 1600 * MS)
    assert "hello" not in window.console.toPlainText()
    assert window.recording().lanes[MAIN].end is not None, "the source stays whole"
    bar.slider.setValue(1800)
    assert window.timeline.rec.end_ts == 2700 * MS
    assert "hello" in window.console.toPlainText()
    assert "1.80 / 1.80" in bar.time_label.text()


def test_playing_moves_at_the_chosen_speed_and_stops_at_the_end(window, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    bar = window.replay
    bar.slider.setValue(0)
    bar.set_speed(4.0)
    bar.step(100 * MS)  # 100 ms of wall time at 4× is 400 ms of the recording
    assert bar.replay.position == 400 * MS and bar.slider.value() == 400
    bar.set_speed(0.25)
    bar.step(400 * MS)
    assert bar.replay.position == 500 * MS
    bar.step(10_000 * MS)
    assert bar.replay.at_end and not bar.playing()
    assert bar.play_button.text() == "Play"


def test_play_from_the_end_starts_over_and_pause_holds(window, tmp_path, qtbot):
    window.files.open_recording(_saved(tmp_path))
    bar = window.replay
    bar.set_speed(0.25)
    bar.play_button.click()
    assert bar.playing() and bar.replay.position < 200 * MS, "from the end, play starts over"
    assert bar.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: bar.replay.position > 0, timeout=3_000)
    bar.play_button.click()
    held = bar.replay.position
    qtbot.wait(100)
    assert not bar.playing() and bar.replay.position == held


def test_a_new_run_ends_the_replay(window, qtbot, tmp_path):
    window.files.open_recording(_saved(tmp_path))
    window.replay.slider.setValue(300)
    assert window.panel.select("process-basics")
    window.panel.params.set_text("CHILD_SLEEP", "0.1")
    window.panel.params.set_text("PARENT_SLEEP", "0.05")
    window.panel.method.setCurrentText("fork")
    window.panel.run_button.click()
    assert not window.replay.isVisible() and window.opened is None
    assert window.timeline.rec is window.controller.recording
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=15_000)
    assert window.replay.replay.source is window.controller.recording
    assert os.path.basename(window.meta["title"]) == "Process basics: memory is not shared"


def test_a_recording_from_the_command_line_shows_its_scenario_values_and_code(window, tmp_path):
    rec = Recording(t0=900 * MS)
    rec.add(_story_ms())
    rec.finish(2700 * MS)
    path = str(tmp_path / "cli.mpscope.json")
    meta = {"title": "x", "start_method": "spawn", "scenario": "queue-producer-consumer"}
    recording_file.save(rec, path, dict(meta, values={"ITEMS": 3}))  # as --export writes it
    window.files.open_recording(path)
    assert window.panel.current().id == "queue-producer-consumer"
    assert window.panel.params.texts()["ITEMS"] == "3"
    assert "ITEMS = 3" in window.code.toPlainText()
    assert "producer" in window.explanation.text()
