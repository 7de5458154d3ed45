"""Hostile recordings (issue 16): whatever a file holds, opening it either works or says what is
wrong — a RecordingFileError in the model, one line and a non-zero exit on the command line,
the red strip in the window — and never anything else: no other exception, no traceback, no
file half-written. What opens shows and exports to every format. Memory follows what the file
holds. The loader is fuzzed with mutated files (hypothesis)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import recording_file
from model.recording import Recording
from model.trace_export import chrome_trace, write_chrome_trace
from tests import helpers, hostile_files

BAD = hostile_files.bad_files()
ODD = hostile_files.odd_files()
FORMATS = ["json", "mpscope.json", "png", "svg"]


def _strict_json(path: str) -> object:
    """The file as standard JSON: NaN or Infinity in it is an error, as in most readers."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=refuse)


def _write(folder, name: str, content: bytes | str) -> str:
    path = os.path.join(folder, f"{name}.mpscope.json")
    with open(path, "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _special_files(folder) -> dict[str, tuple[str, str]]:
    """Paths that are no file to read: a directory, a FIFO (reading one would wait forever),
    a file over the size limit (sparse: no disk used), one that is not there."""
    os.mkdir(os.path.join(folder, "a_directory.mpscope.json"))
    os.mkfifo(os.path.join(folder, "a_fifo.mpscope.json"))
    huge = os.path.join(folder, "huge.mpscope.json")
    with open(huge, "wb") as f:
        f.truncate(recording_file.MAX_BYTES + 1)
    return {
        "a_directory": (os.path.join(folder, "a_directory.mpscope.json"), "unreadable"),
        "a_fifo": (os.path.join(folder, "a_fifo.mpscope.json"), "unreadable"),
        "huge": (huge, "too_large"),
        "missing": (os.path.join(folder, "missing.mpscope.json"), "unreadable"),
    }


# ---- the model ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(BAD))
def test_a_file_that_is_no_recording_says_why(tmp_path, name):
    content, code = BAD[name]
    with pytest.raises(recording_file.RecordingFileError) as err:
        recording_file.load(_write(tmp_path, name, content))
    assert err.value.code == code


@pytest.mark.parametrize("name", ["a_directory", "a_fifo", "huge", "missing"])
def test_a_path_that_is_no_file_to_read_says_why(tmp_path, name):
    path, code = _special_files(tmp_path)[name]
    with pytest.raises(recording_file.RecordingFileError) as err:
        recording_file.load(path)
    assert err.value.code == code


def _exports_of(rec: Recording, meta: dict, folder) -> dict:
    """The trace and the recording written from ``rec``, read back strictly."""
    trace_path = os.path.join(folder, "out.json")
    write_chrome_trace(rec, trace_path, meta)
    saved = os.path.join(folder, "again.mpscope.json")
    recording_file.save(rec, saved, meta)
    _strict_json(saved)
    again, _ = recording_file.load(saved)
    assert len(again.events) == len(rec.events) and len(again.lanes) == len(rec.lanes)
    return _strict_json(trace_path)


@pytest.mark.parametrize("name", sorted(ODD))
def test_an_odd_recording_opens_and_exports(tmp_path, name):
    rec, meta = recording_file.load(_write(tmp_path, name, ODD[name]))
    assert rec.lanes and rec.end_ts is not None
    assert all(rec.t0 <= ts for ts in rec.events.timestamps()), "no event before time zero"
    trace = _exports_of(rec, meta, tmp_path)
    assert all(e.get("ts", 0) >= 0 for e in trace["traceEvents"])
    assert sorted(os.listdir(tmp_path)) == sorted(
        [f"{name}.mpscope.json", "out.json", "again.mpscope.json"]
    ), "no temporary file left"


def test_odd_values_are_kept_readable(tmp_path):
    rec, meta = recording_file.load(_write(tmp_path, "w", ODD["wrong_types_in_events"]))
    lane = rec.lanes[10]
    assert lane.name == "['x']" and lane.parent is None and lane.ppid is None
    assert lane.exitcode is None, "'x' and an int of 5,000 digits are no exit code"
    assert rec.dropped == 5  # not an event, too short, a ts that is no int, past 64 bits, a kind
    big, _ = recording_file.load(_write(tmp_path, "b", ODD["big_ints"]))
    assert big.t0 == 1000 and big.end_ts == 2700, "an int of 5,000 digits is no time"
    assert big.summarised == {"msg": 3} and big.lanes[102].unrecorded_from == 1500
    assert meta == {"title": "story", "start_method": "fork", "date": "2026-01-01"}


def test_metadata_of_the_wrong_types_is_left_out(tmp_path):
    _, meta = recording_file.load(_write(tmp_path, "m", ODD["wrong_metadata"]))
    assert list(meta) == ["other"] and json.dumps(meta, allow_nan=False)
    _, meta = recording_file.load(_write(tmp_path, "n", ODD["meta_not_a_dict"]))
    assert meta == {}


def test_names_from_undecodable_bytes_come_back_exactly(tmp_path):
    rec, meta = recording_file.load(_write(tmp_path, "s", ODD["surrogates_and_control_characters"]))
    names = [rec.lanes[pid].name for pid in range(11, 15)]
    assert names[:3] == hostile_files.SURROGATE_NAMES[:3]
    assert len(names[3]) < 300 and names[3].startswith("nnn"), "a 5,000-character name is cut"
    saved = str(tmp_path / "again.mpscope.json")
    recording_file.save(rec, saved, meta)
    with open(saved, "rb") as f:
        f.read().decode("utf-8")  # the file itself is UTF-8: the surrogate is escaped
    again, _ = recording_file.load(saved)
    assert [again.lanes[pid].name for pid in range(11, 15)] == names
    trace = _strict_json(_export_trace(again, tmp_path))
    shown = {e["args"]["name"] for e in trace["traceEvents"] if e.get("name") == "process_name"}
    assert "\ufffd" in shown, "a lone surrogate is shown as U+FFFD in the trace"


def _export_trace(rec: Recording, folder) -> str:
    path = os.path.join(folder, "t.json")
    write_chrome_trace(rec, path)
    return path


def test_a_deep_or_huge_value_is_cut_with_a_mark_when_written(tmp_path):
    rec, _ = recording_file.load(_write(tmp_path, "d", ODD["deep_data"]))
    lines = [e for e in chrome_trace(rec)["traceEvents"] if e.get("cat") == "print"]
    cut = [e["args"] for e in lines if e["args"]["text"].startswith("[[[")]
    assert cut and len(cut[0]["text"]) < 200
    long, _ = recording_file.load(_write(tmp_path, "l", ODD["long_strings"]))
    saved = str(tmp_path / "long_again.mpscope.json")
    recording_file.save(long, saved)
    assert os.path.getsize(saved) < 200_000, "5 MB of strings written bounded, with a mark"
    again, _ = recording_file.load(saved)
    assert any((ev[4] or {}).get("cut") for ev in again.events)


def test_a_failed_save_leaves_no_file_and_the_old_one_untouched(tmp_path):
    """A real failure half way: past the file size limit, write() fails (EFBIG)."""
    import resource

    rec, _ = recording_file.load(_write(tmp_path, "g", _many_events(2000)))
    target = tmp_path / "out.mpscope.json"
    target.write_bytes(b"the old file")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, hard))
    try:
        with pytest.raises(OSError):
            recording_file.save(rec, str(target), {"title": "x"})
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert target.read_bytes() == b"the old file"
    assert sorted(os.listdir(tmp_path)) == ["g.mpscope.json", "out.mpscope.json"]


# ---- fuzzing --------------------------------------------------------------------------------
def _opens_or_says_why(content: bytes) -> Recording | None:
    with tempfile.TemporaryDirectory(prefix="mpscope-fuzz-") as folder:
        path = _write(folder, "fuzz", content)
        try:
            rec, meta = recording_file.load(path)
        except recording_file.RecordingFileError as err:
            assert err.code in {"not_json", "not_a_recording", "no_events", "newer_version"}
            return None
        _exports_of(rec, meta, folder)
        return rec


_GOOD = hostile_files.good()
_TOKENS = [b"[", b"]", b"{", b"}", b",", b":", b'"', b"\\", b"-", b"1e999", b"NaN", b"null"]
_TOKENS += [b"9" * 5000, b"\xff", b"\x00", b"\\udcff", b"[" * 2000, b'"events":[]']


@st.composite
def mutated(draw) -> bytes:
    """The bytes of a good recording, cut, changed and spliced a few times."""
    data = bytearray(_GOOD)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["cut", "replace", "insert", "delete"]))
        token = draw(st.sampled_from(_TOKENS) | st.binary(min_size=1, max_size=4))
        if how == "cut":
            del data[at:]
        elif how == "replace":
            data[at : at + len(token)] = token
        elif how == "insert":
            data[at:at] = token
        else:
            del data[at : at + draw(st.integers(1, 50))]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fuzz_mutated_files_open_or_say_why(content):
    _opens_or_says_why(content)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.just("@BIG@"),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["meta", "t0", "end", "version", "summarised", "unrecorded", "event", "data", "item"]


@st.composite
def odd_documents(draw) -> bytes:
    """A good recording with a field, an event, an event's part or its data replaced by any
    JSON value (ints of 5,000 digits, NaN and Infinity among them)."""
    d = hostile_files.doc()
    for _ in range(draw(st.integers(1, 3))):
        field, value = draw(st.sampled_from(FIELDS)), draw(JSON_VALUES)
        events = d["events"]
        n = draw(st.integers(0, len(events) - 1)) if events else 0
        if field == "event" and events:
            events[n] = value
        elif field == "item" and events and isinstance(events[n], list) and events[n]:
            events[n][draw(st.integers(0, len(events[n]) - 1))] = value
        elif field == "data" and events and isinstance(events[n], list) and len(events[n]) == 5:
            data = events[n][4] if isinstance(events[n][4], dict) else {}
            events[n][4] = {**data, draw(st.text(max_size=5)): value}
        elif field not in ("event", "item", "data"):
            d[field] = value
    return hostile_files.text(d).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_documents())
def test_fuzz_odd_values_open_or_say_why(content):
    _opens_or_says_why(content)


# ---- the command line -----------------------------------------------------------------------
def _one_line_error(run: subprocess.CompletedProcess) -> str:
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if "propagateSizeHints" not in line]
    assert len(lines) == 1 and lines[0].startswith("mpscope: error: "), run.stderr
    return lines[0]


@pytest.mark.parametrize("name", [*sorted(BAD), "a_directory", "a_fifo", "huge", "missing"])
def test_the_command_line_says_in_one_line_why_a_file_does_not_open(tmp_path, name):
    files, out = tmp_path / "in", tmp_path / "out"
    files.mkdir()
    out.mkdir()
    special = _special_files(files)
    path = special[name][0] if name in special else _write(files, name, BAD[name][0])
    old = out / "result.json"
    old.write_bytes(b"an older export")
    line = _one_line_error(helpers.cli("--open", path, "--export", str(old)))
    assert "cannot open" in line or "directory" in line or "no such" in line
    assert "internal" not in line and "Error:" not in line, "said, not an exception's name"
    assert old.read_bytes() == b"an older export" and os.listdir(out) == ["result.json"]


def _check_export(path: str, fmt: str) -> None:
    """The file is whole and readable as what it claims to be."""
    if fmt == "svg":
        ET.parse(path)  # well-formed XML, whatever the names held
    elif fmt == "png":
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    else:
        _strict_json(path)
    if fmt == "mpscope.json":
        recording_file.load(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_line_exports_an_odd_recording_to_every_format(tmp_path, fmt):
    path = _write(tmp_path, "everything", hostile_files.everything())
    out = tmp_path / "out"
    out.mkdir()
    target = str(out / f"result.{fmt}")
    run = helpers.cli("--open", path, "--export", target, "--width", "800")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    _check_export(target, fmt)
    assert os.listdir(out) == [f"result.{fmt}"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_write_that_fails_half_way_leaves_nothing_and_the_old_file(tmp_path, fmt):
    """A real failure in the middle of writing: the file size limit (RLIMIT_FSIZE) is hit,
    write() fails with EFBIG (Python ignores SIGXFSZ)."""
    source = _write(tmp_path, "story", _many_events(3000))
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"result.{fmt}"
    target.write_bytes(b"old")
    run = helpers.cli(
        "--open", source, "--export", str(target), preexec_fn=_limit_file_size(20_000)
    )
    line = _one_line_error(run)
    assert "cannot write" in line and "too large" in line.lower()
    assert target.read_bytes() == b"old" and os.listdir(out) == [f"result.{fmt}"]


def _limit_file_size(limit: int):
    def limit_it() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return limit_it


def _many_events(n: int) -> str:
    events = [["started", 10, 0, 0, {"name": "MainProcess"}]]
    events += [["print", 10, i, 1, {"stream": 1, "text": f"line {i} " * 8}] for i in range(n)]
    return hostile_files.text(hostile_files.doc([*events, ["exited", 10, n, 0, {"code": 0}]]))


# ---- memory ---------------------------------------------------------------------------------
MEMORY_CHILD = """
import sys
sys.path.insert(0, sys.argv[2])
from model import recording_file

def hwm():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))

before = hwm()
rec, _ = recording_file.load(sys.argv[1])
print(len(rec.events), (hwm() - before) * 1024)
"""


def test_opening_costs_memory_in_proportion_to_the_file(tmp_path):
    """Peak memory (VmHWM, in a fresh process) well under 10x the file: json.load made every
    event a list and a dict before any was kept (~9x here, more with wide characters)."""
    path = _write(tmp_path, "many", _many_events(60_000))
    size = os.path.getsize(path)
    run = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, path, helpers.PROJECT_ROOT],
        capture_output=True,
        text=True,
        timeout=120,
    )
    events, peak = map(int, run.stdout.split())
    assert events == 60_002
    assert peak < 6 * size, f"peak {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB file"


# ---- the window -----------------------------------------------------------------------------
def _bad_path(folder, name: str) -> str:
    special = _special_files(folder)
    return special[name][0] if name in special else _write(folder, name, BAD[name][0])


@pytest.mark.parametrize("name", [*sorted(BAD), "a_directory", "a_fifo", "huge", "missing"])
def test_the_window_says_in_its_strip_why_a_file_does_not_open(window, tmp_path, name):
    assert window.files.open_recording(_write(tmp_path, "good", hostile_files.good()))
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
    assert window.files.open_recording(_write(tmp_path, name, content))
    assert window.banner.isHidden() or window.banner.kind != "error"
    assert every_text_of(window) > 0
    window.timeline.grab()
    _replays(window)
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("png", "svg"):
        assert window.files.export_picture(str(out / f"p.{fmt}"), PictureOptions(fmt, 800))
        _check_export(str(out / f"p.{fmt}"), fmt)
    assert window.files.export_trace(str(out / "t.json"))
    assert window.files.save_recording(str(out / "r.mpscope.json"))
    _check_export(str(out / "t.json"), "json")
    _check_export(str(out / "r.mpscope.json"), "mpscope.json")
    assert window.files.copy_picture()
    assert sorted(os.listdir(out)) == ["p.png", "p.svg", "r.mpscope.json", "t.json"]


@pytest.mark.parametrize("name", ["years_apart", "years_apart_messages", "extreme_times"])
def test_a_span_of_years_costs_the_timeline_nothing_in_proportion(window, tmp_path, name):
    """2**62 ns (146 years) between two events: the timeline draws and zooms it without
    allocating anything per unit of time (Python's allocations traced while it does)."""
    import tracemalloc

    path = _write(tmp_path, name, ODD[name])
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

    source = _write(tmp_path, "many", _many_events(150_000))
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
    assert _one_line_error(run) == "mpscope: error: interrupted; nothing written"
    assert run.returncode == 130
    assert os.listdir(out) == ["t.json"] and (out / "t.json").read_bytes() == b"old"
