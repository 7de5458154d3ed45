"""Output without newlines under the tracer (issue 16): progress dots, ``\\r`` bars, very long
lines, a line left unended at exit.

The output itself must be what plain Python writes, byte for byte (stdout and stderr, under fork,
spawn and forkserver). The print events: one per line, a line longer than the tracer keeps cut
with a mark (its head and its tail, and how much was left out), a ``\\r`` ending a line of a
bar, and the unended line of each process still reported when it ends. Times are not checked
here: bench/partial_lines.py measures them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import helpers
from workers import line_buffer
from workers.line_buffer import KEPT, MARK, Line, LineBuffer

METHODS = ["fork", "spawn", "forkserver"]

HEADER = """
import multiprocessing, sys

def child():
    print("child starts")
    print("child dots", end="", flush=True)
    for _ in range(50):
        print(".", end="", flush=True)
    sys.stderr.write("child error, unended")
"""
BODY = {
    "dots": """
        for _ in range(3000):
            print(".", end="", flush=True)
        print()
        for _ in range(10000):
            print(".", end="", flush=True)
        print("end")
    """,
    "bar": """
        for i in range(200):
            print(f"\\r{i:3d}/200 " + "#" * (i // 10), end="", flush=True)
        print("\\rdone")
    """,
    "line_ends": """
        sys.stdout.write("cr then lf apart\\r")
        sys.stdout.write("\\nnext\\r\\nlast\\n\\n")
        print("a\\rb\\r\\nc", end="\\n\\r\\n")
    """,
    "long": """
        chunk = "x" * 1023 + "y"
        for _ in range(2048):  # 2 MB without a newline
            sys.stdout.write(chunk)
        sys.stdout.write("\\n" + "z" * 1_000_000 + "\\nshort\\n")
    """,
}


def script_source(case: str) -> str:
    body = textwrap.indent(textwrap.dedent(BODY[case]), "    ")
    main = (
        '\nif __name__ == "__main__":\n'
        "    multiprocessing.set_start_method(sys.argv[1])\n"
        "    p = multiprocessing.Process(target=child)\n"
        "    p.start()\n"
        "    p.join()\n" + body + '    print("main leaves this unended", end="")\n'
    )
    return HEADER + main


def plain(script: Path, method: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(script), method], capture_output=True, timeout=60, check=False
    )


def traced(script: Path, method: str, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("MPSCOPE_TEST_START_METHOD", None)
    cmd = [sys.executable, "main.py", "--trace", str(script), "--export", str(out), "--", method]
    return subprocess.run(
        cmd, cwd=helpers.PROJECT_ROOT, env=env, capture_output=True, timeout=60, check=False
    )


PARAMS = [(c, m) for c in BODY for m in METHODS]


@pytest.mark.parametrize(("case", "method"), PARAMS, ids=[f"{c}-{m}" for c, m in PARAMS])
def test_the_output_is_what_python_writes(case, method, tmp_path):
    script = tmp_path / f"{case}.py"
    script.write_text(script_source(case), encoding="utf-8")
    expected = plain(script, method)
    got = traced(script, method, tmp_path / "trace.json")
    assert (got.returncode, expected.returncode) == (0, 0), got.stderr
    assert got.stdout == expected.stdout
    ours = got.stderr.rfind(b"mpscope: wrote")  # last, after the script's unended line
    assert ours >= 0 and got.stderr[:ours] == expected.stderr
    trace = json.loads((tmp_path / "trace.json").read_text(encoding="utf-8"))
    cuts = [e["args"] for e in trace["traceEvents"] if "omitted" in e.get("args", {})]
    if case in ("dots", "long"):  # the export says how much a cut line left out
        assert cuts and all(MARK in a["text"] and a["omitted"] > 0 for a in cuts)


# ---- the print events -----------------------------------------------------------------------
def prints(session, name: str) -> list[tuple[str, int, dict]]:
    lane = helpers.lanes_by_name(session.recording)[name]
    return [(m.data["text"], m.line, m.data) for m in lane.markers if m.kind == "print"]


def cut(text: str) -> str:
    return text[:KEPT] + MARK + text[-KEPT:]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each case traced once (fork), in this process: the finished Sessions."""
    folder = tmp_path_factory.mktemp("partial")
    done = {}
    for case in BODY:
        path = folder / f"{case}.py"
        session = helpers.run_source(path, script_source(case), "fork", args=["fork"])
        assert session.exit_code == 0 and not session.stopped
        assert helpers.still_alive(helpers.run_pids(session.recording)) == set()
        done[case] = session
    return done


def test_dots_are_one_line_and_a_long_one_is_cut_with_a_mark(runs):
    lines = prints(runs["dots"], "MainProcess")
    assert [text for text, _, _ in lines] == [
        "." * 3000,
        cut("." * 10000 + "end"),
        "main leaves this unended",
    ]
    assert "omitted" not in lines[0][2] and lines[1][2]["omitted"] == 10003 - 2 * KEPT
    source = script_source("dots").splitlines()
    assert source[lines[0][1] - 1].strip() == 'print(".", end="", flush=True)'


def test_a_bar_reports_its_states_and_counts_those_it_skipped(runs):
    """States of a line rewritten with \\r come at most every 50 ms: those shown are in order,
    the first and the last line among them, and each report counts the states it skipped."""
    lines = prints(runs["bar"], "MainProcess")
    states = [f"{i:3d}/200 " + "#" * (i // 10) for i in range(200)]
    shown = [text for text, _, _ in lines[:-2]]
    assert shown[0] == states[0] and [t for t in states if t in shown] == shown
    assert [text for text, _, _ in lines[-2:]] == ["done", "main leaves this unended"]
    skipped = sum(data.get("rewrites", 0) for _, _, data in lines)
    assert len(shown) + skipped == len(states)
    source = script_source("bar").splitlines()
    loop = next(i for i, text in enumerate(source, 1) if "/200" in text)
    done = next(i for i, text in enumerate(source, 1) if "rdone" in text)
    assert {line for _, line, _ in lines[:-2]} == {loop} and lines[-2][1] == done


def test_the_last_state_of_a_bar_left_unended_is_reported(tmp_path):
    source = textwrap.dedent(
        """
        for i in range(1000):
            print(f"{i}", end="\\r", flush=True)
        """
    )
    session = helpers.run_source(tmp_path / "bar_at_exit.py", source, "fork")
    lines = prints(session, "MainProcess")
    assert lines[0][0] == "0" and lines[-1][0] == "999"
    assert len(lines) + sum(data.get("rewrites", 0) for _, _, data in lines) == 1000


def test_line_ends_as_python_counts_them(runs):
    texts = [text for text, _, _ in prints(runs["line_ends"], "MainProcess")]
    expected = ["cr then lf apart", "next", "last", "", "a", "b", "c", "", "main leaves"]
    assert texts[:-1] == expected[:-1] and texts[-1].startswith(expected[-1])


def test_very_long_lines_are_kept_as_head_and_tail(runs):
    texts = [(text, data.get("omitted")) for text, _, data in prints(runs["long"], "MainProcess")]
    two_mb = ("x" * 1023 + "y") * 2048
    assert texts == [
        (cut(two_mb), len(two_mb) - 2 * KEPT),
        (cut("z" * 1_000_000), 1_000_000 - 2 * KEPT),
        ("short", None),
        ("main leaves this unended", None),
    ]


def test_each_process_unended_line_is_reported_at_its_end(runs):
    for session in runs.values():
        child = prints(session, "Process-1")
        out = [t for t, _, d in child if d["stream"] == 1]
        err = [t for t, _, d in child if d["stream"] == 2]
        assert out == ["child starts", "child dots" + "." * 50]
        assert err == ["child error, unended"]


# ---- the line buffer alone ------------------------------------------------------------------
def feed_all(buffer: LineBuffer, *writes: str) -> list[Line]:
    out = [line for text in writes for line in buffer.feed(text)]
    return out + list(buffer.flush())


def test_line_ends_split_across_writes():
    buffer = LineBuffer(lambda: 7)
    lines = feed_all(buffer, "a\r", "\nb\r", "\r\n", "\n", "c\r")
    assert [text for text, _, _, _ in lines] == ["a", "b", "", "", "c"]  # a\r\nb\r\r\n\nc\r
    assert {line for _, _, line, _ in lines} == {7}


def test_every_state_of_a_bar_when_time_allows_and_only_the_last_when_not(monkeypatch):
    writes = [f"\r{i}" for i in range(10)] + ["\n"]
    monkeypatch.setattr(line_buffer, "REWRITE_NS", 0)
    shown = feed_all(LineBuffer(lambda: 3), *writes)
    assert [(text, rewrites) for text, _, _, rewrites in shown] == [(str(i), 0) for i in range(10)]
    monkeypatch.setattr(line_buffer, "REWRITE_NS", 10**30)  # never time to show one
    last_only = feed_all(LineBuffer(lambda: 3), *writes)
    assert [(text, rewrites) for text, _, _, rewrites in last_only] == [("9", 9)]
    unended = feed_all(LineBuffer(lambda: 3), *[f"{i}\r" for i in range(10)])
    assert [(text, rewrites) for text, _, _, rewrites in unended] == [("9", 9)]


def test_a_long_line_written_at_once_or_in_pieces_is_cut_the_same():
    text = "".join(chr(0x4E00 + i % 500) for i in range(50_000))
    whole = feed_all(LineBuffer(lambda: 1), text + "\n")
    pieces = feed_all(LineBuffer(lambda: 1), *[text[i : i + 7] for i in range(0, 50_000, 7)], "\n")
    assert whole == pieces == [(cut(text), 50_000 - 2 * KEPT, 1, 0)]


def test_the_buffer_stays_small_while_a_line_grows():
    buffer = LineBuffer(lambda: 1)
    for _ in range(20_000):
        assert buffer.feed("x" * 100) == ()
        assert sum(map(len, buffer._parts)) <= line_buffer.LIMIT + 100
    ((text, omitted, _, _),) = buffer.flush()
    assert text == cut("x" * 2_000_000) and omitted == 2_000_000 - 2 * KEPT


def test_a_line_given_by_the_caller_is_used_without_looking_it_up():
    looked_up = []
    buffer = LineBuffer(lambda: looked_up.append(1) or 99)
    lines = [*buffer.feed("a", 4), *buffer.feed("b\nc", 5), *buffer.feed("\rd\n", 6)]
    assert [(text, line) for text, _, line, _ in lines] == [("ab", 4), ("c", 5), ("d", 6)]
    assert looked_up == []
