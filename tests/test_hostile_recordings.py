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


# ---- the model ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(BAD))
def test_a_file_that_is_no_recording_says_why(tmp_path, name):
    content, code = BAD[name]
    with pytest.raises(recording_file.RecordingFileError) as err:
        recording_file.load(hostile_files.write(tmp_path, name, content))
    assert err.value.code == code


@pytest.mark.parametrize("name", ["a_directory", "a_fifo", "huge", "missing"])
def test_a_path_that_is_no_file_to_read_says_why(tmp_path, name):
    path, code = hostile_files.special_files(tmp_path)[name]
    with pytest.raises(recording_file.RecordingFileError) as err:
        recording_file.load(path)
    assert err.value.code == code


def _exports_of(rec: Recording, meta: dict, folder) -> dict:
    """The trace and the recording written from ``rec``, read back strictly."""
    trace_path = os.path.join(folder, "out.json")
    write_chrome_trace(rec, trace_path, meta)
    saved = os.path.join(folder, "again.mpscope.json")
    recording_file.save(rec, saved, meta)
    hostile_files.strict_json(saved)
    again, _ = recording_file.load(saved)
    assert len(again.events) == len(rec.events) and len(again.lanes) == len(rec.lanes)
    return hostile_files.strict_json(trace_path)


@pytest.mark.parametrize("name", sorted(ODD))
def test_an_odd_recording_opens_and_exports(tmp_path, name):
    rec, meta = recording_file.load(hostile_files.write(tmp_path, name, ODD[name]))
    assert rec.lanes and rec.end_ts is not None
    assert all(rec.t0 <= ts for ts in rec.events.timestamps()), "no event before time zero"
    trace = _exports_of(rec, meta, tmp_path)
    assert all(e.get("ts", 0) >= 0 for e in trace["traceEvents"])
    assert sorted(os.listdir(tmp_path)) == sorted(
        [f"{name}.mpscope.json", "out.json", "again.mpscope.json"]
    ), "no temporary file left"


def test_odd_values_are_kept_readable(tmp_path):
    rec, meta = recording_file.load(
        hostile_files.write(tmp_path, "w", ODD["wrong_types_in_events"])
    )
    lane = rec.lanes[10]
    assert lane.name == "['x']" and lane.parent is None and lane.ppid is None
    assert lane.exitcode is None, "'x' and an int of 5,000 digits are no exit code"
    assert rec.dropped == 5  # not an event, too short, a ts that is no int, past 64 bits, a kind
    big, _ = recording_file.load(hostile_files.write(tmp_path, "b", ODD["big_ints"]))
    assert big.t0 == 1000 and big.end_ts == 2700, "an int of 5,000 digits is no time"
    assert big.summarised == {"msg": 3} and big.lanes[102].unrecorded_from == 1500
    assert meta == {"title": "story", "start_method": "fork", "date": "2026-01-01"}


def test_metadata_of_the_wrong_types_is_left_out(tmp_path):
    _, meta = recording_file.load(hostile_files.write(tmp_path, "m", ODD["wrong_metadata"]))
    assert list(meta) == ["other"] and json.dumps(meta, allow_nan=False)
    _, meta = recording_file.load(hostile_files.write(tmp_path, "n", ODD["meta_not_a_dict"]))
    assert meta == {}


def test_names_from_undecodable_bytes_come_back_exactly(tmp_path):
    rec, meta = recording_file.load(
        hostile_files.write(tmp_path, "s", ODD["surrogates_and_control_characters"])
    )
    names = [rec.lanes[pid].name for pid in range(11, 15)]
    assert names[:3] == hostile_files.SURROGATE_NAMES[:3]
    assert len(names[3]) < 300 and names[3].startswith("nnn"), "a 5,000-character name is cut"
    saved = str(tmp_path / "again.mpscope.json")
    recording_file.save(rec, saved, meta)
    with open(saved, "rb") as f:
        f.read().decode("utf-8")  # the file itself is UTF-8: the surrogate is escaped
    again, _ = recording_file.load(saved)
    assert [again.lanes[pid].name for pid in range(11, 15)] == names
    trace = hostile_files.strict_json(_export_trace(again, tmp_path))
    shown = {e["args"]["name"] for e in trace["traceEvents"] if e.get("name") == "process_name"}
    assert "\ufffd" in shown, "a lone surrogate is shown as U+FFFD in the trace"


def _export_trace(rec: Recording, folder) -> str:
    path = os.path.join(folder, "t.json")
    write_chrome_trace(rec, path)
    return path


def test_a_deep_or_huge_value_is_cut_with_a_mark_when_written(tmp_path):
    rec, _ = recording_file.load(hostile_files.write(tmp_path, "d", ODD["deep_data"]))
    lines = [e for e in chrome_trace(rec)["traceEvents"] if e.get("cat") == "print"]
    cut = [e["args"] for e in lines if e["args"]["text"].startswith("[[[")]
    assert cut and len(cut[0]["text"]) < 200
    long, _ = recording_file.load(hostile_files.write(tmp_path, "l", ODD["long_strings"]))
    saved = str(tmp_path / "long_again.mpscope.json")
    recording_file.save(long, saved)
    assert os.path.getsize(saved) < 200_000, "5 MB of strings written bounded, with a mark"
    again, _ = recording_file.load(saved)
    assert any((ev[4] or {}).get("cut") for ev in again.events)


def test_a_failed_save_leaves_no_file_and_the_old_one_untouched(tmp_path):
    """A real failure half way: past the file size limit, hostile_files.write() fails (EFBIG)."""
    import resource

    rec, _ = recording_file.load(
        hostile_files.write(tmp_path, "g", hostile_files.many_events(2000))
    )
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
        path = hostile_files.write(folder, "fuzz", content)
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


@pytest.mark.parametrize("name", [*sorted(BAD), "a_directory", "a_fifo", "huge", "missing"])
def test_the_command_line_says_in_one_line_why_a_file_does_not_open(tmp_path, name):
    files, out = tmp_path / "in", tmp_path / "out"
    files.mkdir()
    out.mkdir()
    special = hostile_files.special_files(files)
    path = special[name][0] if name in special else hostile_files.write(files, name, BAD[name][0])
    old = out / "result.json"
    old.write_bytes(b"an older export")
    line = hostile_files.one_line_error(helpers.cli("--open", path, "--export", str(old)))
    assert "cannot open" in line or "directory" in line or "no such" in line
    assert "internal" not in line and "Error:" not in line, "said, not an exception's name"
    assert old.read_bytes() == b"an older export" and os.listdir(out) == ["result.json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_line_exports_an_odd_recording_to_every_format(tmp_path, fmt):
    path = hostile_files.write(tmp_path, "everything", hostile_files.everything())
    out = tmp_path / "out"
    out.mkdir()
    target = str(out / f"result.{fmt}")
    run = helpers.cli("--open", path, "--export", target, "--width", "800")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    hostile_files.check_export(target, fmt)
    assert os.listdir(out) == [f"result.{fmt}"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_write_that_fails_half_way_leaves_nothing_and_the_old_file(tmp_path, fmt):
    """A real failure in the middle of writing: the file size limit (RLIMIT_FSIZE) is hit,
    hostile_files.write() fails with EFBIG (Python ignores SIGXFSZ)."""
    source = hostile_files.write(tmp_path, "story", hostile_files.many_events(3000))
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"result.{fmt}"
    target.write_bytes(b"old")
    run = helpers.cli(
        "--open", source, "--export", str(target), preexec_fn=_limit_file_size(20_000)
    )
    line = hostile_files.one_line_error(run)
    assert "cannot write" in line and "too large" in line.lower()
    assert target.read_bytes() == b"old" and os.listdir(out) == [f"result.{fmt}"]


def _limit_file_size(limit: int):
    def limit_it() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return limit_it


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
    path = hostile_files.write(tmp_path, "many", hostile_files.many_events(60_000))
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
