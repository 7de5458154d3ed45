"""Hostile recordings in the window: the red strip says why a file does not open, and an odd one
is shown, hovered, replayed and exported without a traceback (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import helpers, hostile_files

BAD = hostile_files.bad_files()
ODD = hostile_files.odd_files()
FORMATS = ["json", "mpscope.json", "png", "svg"]


# ---- the window -----------------------------------------------------------------------------
def _bad_path(folder, name: str) -> str:
    special = hostile_files.special_files(folder)
    return special[name][0] if name in special else hostile_files.write(folder, name, BAD[name][0])


@pytest.mark.parametrize("name", [*sorted(BAD), "a_directory", "a_fifo", "huge", "missing"])
def test_the_window_says_in_its_strip_why_a_file_does_not_open(window, tmp_path, name):
    assert window.files.open_recording(hostile_files.write(tmp_path, "good", hostile_files.good()))
    shown = window.recording()
    bad = tmp_path / "bad"
    bad.mkdir()
    path = _bad_path(bad, name)
    assert not window.files.open_recording(path)
    assert window.banner.isVisible() and window.banner.kind == "error"
    assert os.path.basename(path) in window.banner.label.text()
    assert window.recording() is shown, "a bad file changes nothing on screen"


@pytest.mark.parametrize(
    ("name", "english", "chinese"),
    [
        ("nested_100k_deep", "nested too deeply", "嵌套层数太深"),
        ("a_fifo", "not a regular file", "不是普通文件"),
        ("huge", "too large (1074 MB)", "文件太大（1074 MB）"),
        ("a_directory", "Is a directory", "无法读取"),
    ],
)
def test_the_strip_names_the_problem_in_the_users_language(
    window, tmp_path, name, english, chinese
):
    from gui import app_setup

    path = _bad_path(tmp_path, name)
    app_setup.set_language("en")
    try:
        window.files.open_recording(path)
        assert english in window.banner.label.text()
        window.set_language("zh_CN")
        window.files.open_recording(path)
        assert chinese in window.banner.label.text()
    finally:
        window.set_language("en")


def every_text_of(window) -> int:
    """Every text the window would show for the recording on screen: lane labels, hovers of
    markers, bars and tasks, rows of the event log. Each is bounded; their count."""
    from gui import texts

    rec, names, shown = window.recording(), window.timeline._names(), []
    for lane in rec.lanes.values():
        shown.append(texts.lane_label(lane))
        for m in lane.markers:
            if m.kind in ("send", "recv", "fail"):
                shown.append(texts.message_text(rec, lane, m.kind, m.data))
            shown.append(texts.marker_text(lane, m.kind, m.data, names))
        for seg in rec.segments(lane):
            shown += [texts.segment_text(lane, seg, names), texts.bar_label(seg)]
    shown += [texts.task_text(rec, t) for t in rec.tasks.tasks.values()]
    log = window.log.log_model
    shown += [log.data(log.index(r, c)) for r in range(log.rowCount()) for c in range(5)]
    assert all(isinstance(s, str) and len(s) < 50_000 for s in shown)
    for row in range(min(log.rowCount(), 300)):
        window.log.select_event(row)  # the timeline and the code panel follow
    _hover_everywhere(window.timeline)
    return len(shown)


class _Tips:
    """Stands for QToolTip (showing one offscreen warns that the platform cannot raise it)."""

    shown: list[str] = []

    @classmethod
    def showText(cls, _pos: object, text: str, _widget: object = None) -> None:  # noqa: N802
        cls.shown.append(text)

    @staticmethod
    def hideText() -> None:  # noqa: N802
        pass


def _hover_everywhere(view) -> None:
    """The pointer over a grid of points of every lane: the hover finds what is there and
    makes its tooltip text (what QToolTip would show), bounded."""
    from PySide6.QtCore import QPointF

    from gui import timeline_view

    view.zoom_to_fit()
    (x0, x1), rows = view.vb.viewRange()[0], len(view._rows)
    real, timeline_view.QToolTip, _Tips.shown = timeline_view.QToolTip, _Tips, []
    try:
        for i in range(21):
            for row in range(rows):
                for dy in (-0.3, 0.0, 0.25):
                    at = QPointF(x0 + (x1 - x0) * i / 20, row + dy)
                    view._on_hover(view.vb.mapViewToScene(at))
    finally:
        timeline_view.QToolTip = real
    assert _Tips.shown and all(len(text) < 50_000 for text in _Tips.shown)


def _replays(window) -> None:
    bar = window.replay
    assert 0 <= bar.slider.maximum() < 2**31
    bar._seek(0)
    bar.play()
    for _ in range(3):
        bar.step(10**9)
    bar.slider.setValue(bar.slider.maximum() // 2)
    bar.step(10**30)
    assert bar.replay.at_end


@pytest.mark.parametrize("name", [*sorted(ODD), "everything"])
def test_the_window_shows_an_odd_recording_and_exports_it(window, qtbot, tmp_path, name):
    from gui.export_dialog import PictureOptions

    content = hostile_files.everything() if name == "everything" else ODD[name]
    assert window.files.open_recording(hostile_files.write(tmp_path, name, content))
    assert window.banner.isHidden() or window.banner.kind != "error"
    assert every_text_of(window) > 0
    window.timeline.grab()
    _replays(window)
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("png", "svg"):
        assert window.files.export_picture(str(out / f"p.{fmt}"), PictureOptions(fmt, 800))
        hostile_files.check_export(str(out / f"p.{fmt}"), fmt)
    assert window.files.export_trace(str(out / "t.json"))
    assert window.files.save_recording(str(out / "r.mpscope.json"))
    hostile_files.check_export(str(out / "t.json"), "json")
    hostile_files.check_export(str(out / "r.mpscope.json"), "mpscope.json")
    assert window.files.copy_picture()
    assert sorted(os.listdir(out)) == ["p.png", "p.svg", "r.mpscope.json", "t.json"]


@pytest.mark.parametrize("name", ["years_apart", "years_apart_messages", "extreme_times"])
def test_a_span_of_years_costs_the_timeline_nothing_in_proportion(window, tmp_path, name):
    """2**62 ns (146 years) between two events: the timeline draws and zooms it without
    allocating anything per unit of time (Python's allocations traced while it does)."""
    import tracemalloc

    path = hostile_files.write(tmp_path, name, ODD[name])
    tracemalloc.start()
    try:
        assert window.files.open_recording(path)
        view = window.timeline
        view.grab()
        for x0, x1 in ((0, 1e-6), (0, 5e9), (4e9, 4.7e9), (-1e12, 1e12)):
            view.set_follow(False)
            view.vb.setXRange(x0, x1, padding=0)
            view.grab()
        _replays(window)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50e6, f"{peak / 1e6:.0f} MB"


def test_ctrl_c_while_a_file_is_written_leaves_nothing_and_says_so(tmp_path):
    """SIGINT once the temporary file is there: exit 130, one line, no file, the old one kept."""
    import signal
    import time

    source = hostile_files.write(tmp_path, "many", hostile_files.many_events(150_000))
    out = tmp_path / "out"
    out.mkdir()
    (out / "t.json").write_bytes(b"old")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--open", source, "--export", str(out / "t.json")],
        cwd=helpers.PROJECT_ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(os.listdir(out)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert len(os.listdir(out)) == 2, "the temporary file beside the target"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    run = subprocess.CompletedProcess(proc.args, proc.returncode, "", stderr)
    assert hostile_files.one_line_error(run) == "mpscope: error: interrupted; nothing written"
    assert run.returncode == 130
    assert os.listdir(out) == ["t.json"] and (out / "t.json").read_bytes() == b"old"
