"""Bad data from a live run never breaks an exporter or the window (issue 16): a traced script
(tests/scripts/hostile_values.py) names processes with lone surrogates and control characters,
prints them, passes ints of 5,000 digits and NaN, takes an argument made of undecodable bytes,
and forges events into mpscope's channel (ints past str()'s limit, a few hundred bytes that
unfold into 300 million characters, values of the wrong type). The run behaves as in plain
Python; PNG, SVG, trace JSON and recording are written whole and readable, headless and from
the window; what the window shows stays bounded. Files are written whole or not at all."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from model import recording_file
from model.safe_file import replace_atomically
from tests import helpers, hostile_files
from tests.test_hostile_recordings_window import every_text_of

SCRIPT = Path(__file__).resolve().parent / "scripts" / "hostile_values.py"
ARG = os.fsdecode(b"\xff\x01")  # an argument from undecodable bytes: '\udcff\x01'
FORMATS = ["png", "svg", "json", "mpscope.json"]
NAMES = ["\udcff", "ctl\x00\x01\x1f\x7f\ufffe\uffff", "<&>\"' ]]>"]


def _run(args: list[str]) -> subprocess.CompletedProcess:
    """Bytes in, bytes out: the script's output is compared byte for byte."""
    env = dict(os.environ)
    env.pop("MPSCOPE_TEST_START_METHOD", None)
    return subprocess.run(
        [sys.executable, *args], cwd=helpers.PROJECT_ROOT, env=env, capture_output=True, timeout=120
    )


def _traced(target: Path, method: str = "fork") -> subprocess.CompletedProcess:
    args = ["main.py", "--trace", str(SCRIPT), "--export", str(target), "--width", "1000"]
    return _run([*args, "--start-method", method, "--", ARG])


def _program_lines(stderr: bytes) -> list[bytes]:
    """What the program itself wrote on stderr (not mpscope's lines, not Qt's notes)."""
    return [
        line
        for line in stderr.splitlines()
        if not line.startswith(b"mpscope:") and b"propagateSizeHints" not in line
    ]


def _strict_json(path: Path) -> dict:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(path.read_bytes().decode("utf-8"), parse_constant=refuse)


def check_export(path: Path) -> None:
    """Whole and readable as what its name says; what the forged events unfold into is cut."""
    name = path.name
    assert path.stat().st_size < 3_000_000, "300 million characters were written bounded"
    if name.endswith(".svg"):
        ET.parse(path)  # well-formed XML, whatever the process names held
    elif name.endswith(".png"):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    elif name.endswith(".mpscope.json"):
        _strict_json(path)
        rec, _ = recording_file.load(str(path))
        assert {lane.name for lane in rec.lanes.values()} >= set(NAMES), "names kept exactly"
        assert any((ev[4] or {}).get("cut") for ev in rec.events), "forged values cut, marked"
    else:
        trace = _strict_json(path)
        args = [e.get("args", {}) for e in trace["traceEvents"]]
        assert any(a.get("cut") for a in args), "forged values cut, with a mark"
        names = {a.get("name") for e, a in zip(trace["traceEvents"], args, strict=True)}
        assert "\ufffd" in names and "ctl\x00\x01\x1f\x7f\ufffe\uffff" in names


def test_the_hostile_script_behaves_as_in_plain_python(tmp_path):
    plain = _run([str(SCRIPT), ARG])
    traced = _traced(tmp_path / "out.json")
    assert plain.returncode == traced.returncode == 0, traced.stderr[-2000:]
    assert traced.stdout == plain.stdout
    assert b"argv ['\\udcff\\x01']" in plain.stdout and b"\xff" in plain.stdout
    assert _program_lines(traced.stderr) == _program_lines(plain.stderr)
    assert b"Traceback" not in traced.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_hostile_run_exports_to_every_format(tmp_path, fmt):
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"run.{fmt}"
    run = _traced(target)
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.stderr.splitlines()[-1].startswith(b"mpscope: wrote ")
    check_export(target)
    assert os.listdir(out) == [target.name], "no temporary file left"


def test_a_hostile_run_under_spawn_exports_too(tmp_path):
    run = _traced(tmp_path / "run.mpscope.json", "spawn")
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr[-2000:]
    check_export(tmp_path / "run.mpscope.json")


def test_the_window_shows_a_hostile_run_and_exports_it(window, qtbot, tmp_path):
    from gui.export_dialog import PictureOptions

    window.panel.method.setCurrentText("fork")
    window.open_script(str(SCRIPT), [ARG])
    qtbot.waitUntil(lambda: not window.controller.running(), timeout=60_000)
    rec = window.recording()
    assert {lane.name for lane in rec.lanes.values()} >= set(NAMES)
    assert window.controller.session.exit_code == 0
    assert every_text_of(window) > 0
    window.timeline.grab()
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("png", "svg"):
        assert window.files.export_picture(str(out / f"run.{fmt}"), PictureOptions(fmt, 1000))
    assert window.files.export_trace(str(out / "run.json"))
    assert window.files.save_recording(str(out / "run.mpscope.json"))
    for fmt in FORMATS:
        check_export(out / f"run.{fmt}")
    assert sorted(os.listdir(out)) == sorted(f"run.{fmt}" for fmt in FORMATS)
    assert window.files.open_recording(str(out / "run.mpscope.json"))
    assert every_text_of(window) > 0


def test_a_write_that_fails_in_the_window_is_said_and_leaves_nothing(window, tmp_path):
    """A real failure half way (the file size limit: write() fails with EFBIG), then a target
    that is a directory: the strip says so, the old file is untouched, nothing else is left."""
    import resource

    from gui.export_dialog import PictureOptions

    assert window.files.open_recording(
        hostile_files.write(tmp_path, "many", hostile_files.many_events(3000))
    )
    out = tmp_path / "out"
    out.mkdir()
    writes = {
        "t.json": lambda p: window.files.export_trace(p),
        "r.mpscope.json": lambda p: window.files.save_recording(p),
        "p.png": lambda p: window.files.export_picture(p, PictureOptions("png", 1920)),
        "p.svg": lambda p: window.files.export_picture(p, PictureOptions("svg", 1920)),
    }
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    for name, write in writes.items():
        (out / name).write_bytes(b"old")
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, hard))
        try:
            assert not write(str(out / name))
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        assert window.banner.kind == "error" and name in window.banner.label.text()
        assert (out / name).read_bytes() == b"old"
        (out / name).unlink()
        (out / name).mkdir()  # a folder where the file would go
        assert not write(str(out / name))
        assert window.banner.kind == "error" and (out / name).is_dir()
    assert sorted(os.listdir(out)) == sorted(writes), "no temporary file left"


# ---- writing whole or not at all ------------------------------------------------------------
def test_a_file_is_replaced_whole_with_the_permissions_open_would_give(tmp_path):
    target = tmp_path / "out.txt"
    replace_atomically(str(target), lambda tmp: Path(tmp).write_text("new"))
    mask = os.umask(0)
    os.umask(mask)
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    os.chmod(target, 0o640)
    replace_atomically(str(target), lambda tmp: Path(tmp).write_text("newer"))
    assert target.read_text() == "newer" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["out.txt"]


@pytest.mark.parametrize("error", [OSError, ValueError, KeyboardInterrupt])
def test_a_failed_write_leaves_the_old_file_and_no_other(tmp_path, error):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def half_then_fail(tmp: str) -> None:
        Path(tmp).write_text("half of the new")
        raise error("failed half way")

    with pytest.raises(error):
        replace_atomically(str(target), half_then_fail)
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.txt"]


def test_writing_over_a_folder_or_into_none_fails_cleanly(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(IsADirectoryError):
        replace_atomically(str(tmp_path / "folder"), lambda tmp: Path(tmp).write_text("x"))
    with pytest.raises(FileNotFoundError):
        replace_atomically(str(tmp_path / "no" / "out"), lambda tmp: Path(tmp).write_text("x"))
    assert os.listdir(tmp_path) == ["folder"] and os.listdir(tmp_path / "folder") == []
