"""A traced process ends as Python ends it (issue 16): ``atexit`` handlers, unclosed files
flushed, non-daemon threads waited for, exit codes and ``sys.exit`` messages, in the main process
and in fork, spawn and forkserver children. Each script runs plain and traced; everything the
program leaves behind (output, exit code, files) must be the same, and the recording must hold
every printed line, with each process's exit status said after its last one.
"""

from __future__ import annotations

import pytest

from tests.plain_vs_traced import METHODS, run_both

each_method = pytest.mark.parametrize("method", METHODS)


@each_method
def test_handlers_files_and_threads_as_python(method, tmp_path):
    pair = run_both("exit_handlers", method, tmp_path)
    pair.assert_same_as_plain()
    # the run really exercised what it checks: main's unclosed file was flushed at the end,
    # the thread outlived main, and a child's file holds data only where Python flushes it
    assert pair.plain_files["main.txt"] and pair.plain_files["thread.txt"]
    assert pair.plain.stdout.splitlines()[-2:] == [
        "thread ends after main",
        "first handler of main, runs last (MainProcess)",
    ]
    assert bool(pair.plain_files["Process-1.txt"]) == (method == "spawn")
    assert ("handler registered in run() (Process-1)" in pair.plain.stderr) == (method == "spawn")


@each_method
def test_handlers_prints_are_recorded_before_the_exit_status(method, tmp_path):
    run_both("exit_handlers", method, tmp_path).assert_recorded_in_full()


ENDINGS = [("message", "fork"), ("message", "spawn"), ("message", "forkserver")]
ENDINGS += [("none", "spawn"), ("int", "forkserver"), ("error", "fork")]


@pytest.mark.parametrize(("how", "method"), ENDINGS, ids=[f"{h}-{m}" for h, m in ENDINGS])
def test_exit_codes_and_messages_as_python(how, method, tmp_path):
    pair = run_both("exit_messages", method, tmp_path, how)
    pair.assert_same_as_plain()
    pair.assert_recorded_in_full()
    expected = {"message": (1, 1), "none": (0, 0), "int": (5, 6), "error": (1, 1)}[how]
    child = next(lane for lane in pair.rec.lanes.values() if lane.name == "Process-1")
    assert (pair.main.exitcode, child.exitcode) == expected
    assert pair.plain.stdout.splitlines()[-1] == "atexit handler of main runs after the end"
    if how == "message":
        assert pair.plain.stderr == "child says goodbye\nmain says goodbye\n"
