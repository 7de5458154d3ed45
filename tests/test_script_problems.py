"""A user script's own problems under the tracer (issue 5): a syntax error, exceptions, exit
codes, a run that never ends, stdin, a missing main guard, a start method of its own are shown,
not crashed on; and what a script prints, and its exit code, are as without mpscope. Split from
test_trace_scripts.py, whose helpers and run cache (``traced``) these share.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from model.trace_export import chrome_trace
from tests import helpers
from tests.test_trace_scripts import (
    ROOT,
    SCRIPTS,
    assert_clean_end,
    cli,
    each_method,
    mpscope_lines,
    plain_python,
    trace_pids,
    traced,
)

# ---- the script's own problems ---------------------------------------------------------------
SYNTAX_ERROR = 'print("fine so far")\nvalues = (1,\nprint("never runs")\n'


def test_syntax_error_is_one_line_naming_file_and_line(tmp_path):
    script = tmp_path / "broken_script.py"
    script.write_text(SYNTAX_ERROR)
    run = traced(script, "fork")
    assert run.session.exit_code == 1 and set(run.lanes) == {"MainProcess"}
    ((_, _, _, line, data),) = run.rec.errors
    assert data["code"] == "syntax_error" and line == 2 and data["file"] == str(script)
    assert run.prints("MainProcess")[-1].startswith("SyntaxError")  # what python itself says

    out = tmp_path / "never.json"
    result = cli("--trace", str(script), "--export", str(out))
    assert result.returncode != 0 and not out.exists()
    (line,) = mpscope_lines(result.stderr)
    assert "broken_script.py" in line and "line 2" in line and "syntax error" in line
    assert "Traceback" not in result.stderr + result.stdout


@each_method
def test_exception_in_the_main_process(method):
    run = traced("raises_in_main", method)
    assert_clean_end(run, code=1)
    tb = run.main.traceback
    assert tb.startswith("Traceback (most recent call last):")
    assert 'raises_in_main.py", line 19, in <module>' in tb and "in explode" in tb
    assert tb.rstrip().endswith("ValueError: boom in main")
    assert "workers/runner.py" not in tb  # starts at the script, as plain Python's does
    assert run.prints("Process-1") == ["child ok"] and run.lanes["Process-1"].exitcode == 0
    exited = [
        e
        for e in chrome_trace(run.rec)["traceEvents"]
        if e.get("cat") == "lifecycle" and e["name"] == "exited" and e["pid"] == run.main.pid
    ]
    assert [(e["args"]["exitcode"], e["args"]["traceback"]) for e in exited] == [(1, tb)]


@each_method
def test_exception_in_a_child(method):
    run = traced("raises_in_child", method)
    assert_clean_end(run)
    child = run.lanes["Process-1"]
    assert child.exitcode == 1
    assert child.traceback.rstrip().endswith("KeyError: 'boom in child'")
    assert 'raises_in_child.py", line 7, in fails' in child.traceback
    assert run.main.traceback is None
    assert run.prints("MainProcess") == ["child exit code 1"]
    # multiprocessing's own report of the failure, on the child's lane (stderr)
    assert run.prints("Process-1")[0] == "Process Process-1:"


def test_child_traceback_is_the_one_python_prints(tmp_path):
    run = traced("raises_in_child", "fork")
    assert "workers/" not in run.lanes["Process-1"].traceback
    alone = plain_python("raises_in_child", "fork")
    out = tmp_path / "child.json"
    result = cli("--trace", str(SCRIPTS / "raises_in_child.py"), "--export", str(out))
    assert result.returncode == 0 and result.stdout == alone.stdout
    stderr = [line for line in result.stderr.splitlines() if not line.startswith("mpscope:")]
    assert stderr == alone.stderr.splitlines()  # no frame of mpscope's in it
    assert run.prints("Process-1") == alone.stderr.splitlines()


@each_method
def test_sys_exit_codes_in_main_and_child(method):
    run = traced("exit_codes", method, "3", "4")
    assert_clean_end(run, code=4)
    assert run.codes() == {"MainProcess": 4, "Process-1": 3}
    assert run.prints("MainProcess") == ["child exit code 3"]
    assert run.prints("Process-1") == ["child leaves with 3"]


@each_method
def test_a_script_that_never_ends_is_stopped(method, tmp_path):
    out = tmp_path / "stopped.json"
    t0 = time.monotonic()
    args = ("--trace", str(SCRIPTS / "never_ends.py"), "--start-method", method)
    result = cli(*args, "--stop-after", "1", "--export", str(out), timeout=30)
    took = time.monotonic() - t0
    assert result.returncode == 0, result.stderr
    assert took < 5, took
    trace = json.loads(out.read_text(encoding="utf-8"))
    names = {
        e["args"]["name"]
        for e in trace["traceEvents"]
        if e["ph"] == "M" and e["name"] == "process_name" and not e["args"].get("helper")
    }
    assert names == {"MainProcess", "Process-1", "Process-2"}  # (and a fork server's lane)
    texts = [e["args"]["text"] for e in trace["traceEvents"] if e.get("cat") == "print"]
    assert texts == ["started"]
    pids = trace_pids(trace)
    assert len(pids) >= 3 and helpers.still_alive(pids) == set()


@each_method
def test_a_script_reading_stdin_gets_end_of_file(method):
    run = traced("reads_stdin", method)
    assert_clean_end(run)
    assert run.prints("MainProcess") == ["name? main got EOFError", "sys.stdin.read() gave ''"]
    assert run.prints("Process-1") == ["child> child got EOFError"]


def test_reading_file_descriptor_0_does_not_wait_for_the_apps_stdin(tmp_path):
    out = tmp_path / "stdin.json"
    cmd = [sys.executable, "main.py", "--trace", str(SCRIPTS / "reads_stdin_fd.py")]
    with subprocess.Popen(
        [*cmd, "--export", str(out)],
        cwd=ROOT,
        stdin=subprocess.PIPE,  # open, never written: a terminal nobody types in
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            proc.wait(4)
            waited = False
        except subprocess.TimeoutExpired:
            waited = True
        proc.stdin.close()  # let it end either way
        proc.wait(20)
        stdout = proc.stdout.read()
    assert "fd 0 gave b''" in stdout
    assert not waited, "the script waited on the app's stdin"


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_missing_main_guard_is_explained(method, tmp_path):
    run = traced("missing_main_guard", method)
    assert_clean_end(run)  # as in plain Python: the child fails, the parent goes on
    ((_, pid, _, line, data),) = run.rec.errors
    assert data["code"] == "missing_main_guard" and line == 13
    assert pid == run.lanes["Process-1"].pid and run.lanes["Process-1"].exitcode == 1
    assert run.prints("MainProcess") == ["main exit code of child 1"]

    out = tmp_path / "guard.json"
    script = str(SCRIPTS / "missing_main_guard.py")
    result = cli("--trace", script, "--start-method", method, "--export", str(out))
    assert result.returncode == 0 and out.exists()
    notes = [line for line in mpscope_lines(result.stderr) if "note:" in line]
    assert len(notes) == 1
    assert "line 13" in notes[0] and 'if __name__ == "__main__":' in notes[0]


def test_missing_main_guard_is_fine_under_fork():
    run = traced("missing_main_guard", "fork")
    assert_clean_end(run)
    assert run.rec.errors == []
    assert run.prints("Process-1") == ["hello from the child"]
    assert run.prints("MainProcess") == ["main exit code of child 0"]


def test_script_choosing_its_own_start_method():
    run = traced("sets_start_method", "fork", "spawn")
    assert_clean_end(run)
    assert run.prints("Process-1") == ["hello from Process-1"]
    assert run.prints("MainProcess") == ["start method spawn"]


# ---- what the script prints, and its exit code, as without mpscope ----------------------------
@each_method
def test_output_and_order_are_as_without_mpscope(method, tmp_path):
    alone = plain_python("deterministic_prints", method)
    assert alone.returncode == 3 and alone.stderr == ""
    out = tmp_path / "prints.json"
    script = str(SCRIPTS / "deterministic_prints.py")
    traced_cli = cli("--trace", script, "--start-method", method, "--export", str(out))
    assert traced_cli.returncode == 0, traced_cli.stderr
    assert traced_cli.stdout == alone.stdout
    assert len(mpscope_lines(traced_cli.stderr)) == 1  # mpscope's own line goes to stderr
    assert traced_cli.stderr.splitlines() == mpscope_lines(traced_cli.stderr)

    trace = json.loads(out.read_text(encoding="utf-8"))
    prints = sorted((e for e in trace["traceEvents"] if e.get("cat") == "print"), key=_ts)
    assert [e["args"]["text"] for e in prints] == alone.stdout.splitlines()
    helpers = {
        e["pid"]
        for e in trace["traceEvents"]
        if e.get("name") == "process_name" and e["args"].get("helper")
    }  # a fork server's exit code is not the run's to read
    codes = [
        e["args"]["exitcode"]
        for e in trace["traceEvents"]
        if e.get("name") == "exited" and e.get("cat") == "lifecycle" and e["pid"] not in helpers
    ]
    assert sorted(codes) == [0, 0, 0, 3]  # the children's and the script's own exit code

    run = traced("deterministic_prints", method)
    assert_clean_end(run, code=3)
    assert [run.lanes[f"Process-{n}"].exitcode for n in (1, 2, 3)] == [0, 0, 0]


def _ts(event: dict) -> float:
    return event["ts"]


# ---- the script's own modules named like mpscope's --------------------------------------------
OWN_MODULES = {
    "workers.py": "def square(x):\n    return x * x\n",
    "model.py": 'NAME = "model"\n',
    "control.py": 'NAME = "control"\n',
    "gui.py": 'NAME = "gui"\n',
}
USES_THEM = """
import multiprocessing as mp

import control
import gui
import model
from workers import square


def child(q):
    import workers

    q.put((workers.square(3), model.NAME))


if __name__ == "__main__":
    with mp.Pool(2) as pool:
        print(pool.map(square, range(5)))
    print(model.NAME, control.NAME, gui.NAME)
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print(q.get())
    p.join()
"""


@each_method
def test_a_scripts_own_workers_module_is_the_one_it_imports(method, tmp_path):
    """``workers.py`` is a natural home for what a Pool runs; it got mpscope's own package (an
    ImportError under every start method) until the tracer moved its modules out of the way."""
    for name, text in OWN_MODULES.items():
        (tmp_path / name).write_text(text)
    script = tmp_path / "uses_them.py"
    script.write_text(USES_THEM)
    run = traced(script, method)
    assert_clean_end(run)
    assert run.prints("MainProcess") == ["[0, 1, 4, 9, 16]", "model control gui", "(9, 'model')"]
    tasks = [t for t in run.rec.tasks.tasks.values() if t.end is not None]
    assert sorted(t.result for t in tasks) == ["0", "1", "16", "4", "9"]
    assert {t.fn for t in tasks} == {"square"}
    (message,) = run.rec.messages.complete()  # traced in the child too
    assert message.payload == "(9, 'model')"
    children = [lane for name, lane in run.lanes.items() if name.startswith("Process-")]
    assert [lane.exitcode for lane in children] == [0]  # the pool's workers were terminated
