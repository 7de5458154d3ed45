"""Every scenario script runs by itself, under fork, spawn and forkserver, with short durations.

Each script is copied to a temp folder with its duration parameters shrunk (the constant's line
is rewritten, as the app does when it substitutes parameters), then run alone with the current
interpreter in a subprocess with the start method forced.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "workers" / "scenarios"
SCRIPTS = sorted(p for p in SCENARIOS_DIR.glob("*.py") if p.name != "__init__.py")
START_METHODS = ["fork", "spawn", "forkserver"]
RUN_TIMEOUT = 30

# Durations are scaled by this factor and clamped, so relative order is kept (a join timeout
# stays shorter than the work it waits for) while every run stays well under two seconds.
DURATION_FACTOR = 0.05
MIN_DURATION = 0.05
MAX_DURATION = 0.25

PARAM_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
RANGE_COMMENT = re.compile(r"^#\s*\[\s*(-?\d+(?:\.\d*)?)\s*,\s*(-?\d+(?:\.\d*)?)\s*\]\s*\S")
DURATION_COMMENT = re.compile(r"\bseconds?\b|\bduration\b", re.IGNORECASE)
DURATION_NAME = re.compile(r"SLEEP|TIMEOUT|SECONDS|DELAY|LINGER|INTERVAL|DURATION|BUSY")

RUNNER = (
    "import multiprocessing, os, runpy, sys\n"
    "method, path = sys.argv[1], sys.argv[2]\n"
    "multiprocessing.set_start_method(method)\n"
    "sys.argv = [path]\n"
    "sys.path[0] = os.path.dirname(path)\n"
    "runpy.run_path(path, run_name='__main__')\n"
)


def parameters(source):
    """Top-level UPPER_CASE constants: name -> (node, value, comment)."""
    lines = source.splitlines()
    params = {}
    for node in ast.parse(source).body:
        if not (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and PARAM_NAME.match(node.targets[0].id)
            and isinstance(node.value, ast.Constant)
        ):
            continue
        line = lines[node.lineno - 1].encode()
        comment = line[node.value.end_col_offset :].decode().strip()
        params[node.targets[0].id] = (node, node.value.value, comment)
    return params


def is_duration(name, value, comment):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return bool(DURATION_COMMENT.search(comment) or DURATION_NAME.search(name))


def shrink_durations(source):
    """Return the source with every duration parameter's literal replaced by a short one."""
    lines = source.splitlines(keepends=True)
    for name, (node, value, comment) in parameters(source).items():
        if not is_duration(name, value, comment):
            continue
        short = min(MAX_DURATION, max(MIN_DURATION, value * DURATION_FACTOR))
        line = lines[node.lineno - 1].encode()  # ast column offsets count UTF-8 bytes
        start, end = node.value.col_offset, node.value.end_col_offset
        lines[node.lineno - 1] = (
            line[:start] + repr(round(short, 3)).encode() + line[end:]
        ).decode()
    return "".join(lines)


def run_script(script, method, tmp_path):
    copy = tmp_path / script.name
    copy.write_text(shrink_durations(script.read_text(encoding="utf-8")), encoding="utf-8")
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1")
    return subprocess.run(
        [sys.executable, "-c", RUNNER, method, str(copy)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=RUN_TIMEOUT,
        encoding="utf-8",
        errors="replace",
    )


class Exact(str):
    """An expected text that must be a whole printed line."""


def expected_lines(stem, params):
    """(text, how many times) pairs each scenario must print.

    An Exact text must be a whole printed line; any other text is looked for inside the lines.
    """
    value = {name: v for name, (_, v, _) in params.items()}
    if stem == "process_basics":
        return [
            (Exact("a= 1"), 1),
            (Exact("子进程事件"), 1),
            (Exact("父进程事件"), 1),
            (Exact("parent a= 1"), 1),
        ]
    if stem == "several_processes":
        return [("吃饭", 1), ("睡觉", 1), ("打豆豆", 1), (" -- ", 3)]
    if stem == "args_and_kwargs":
        loops = value["LOOPS"]
        return [
            ("I am Levis", loops),
            ("I am Tom", loops),
            ("I am working...", 2 * loops),
            (Exact("==================="), 1),
            ("p2 still alive after join(timeout):", 1),
            ("both joined, exit codes: 0 0", 1),
        ]
    if stem == "process_attributes":
        return [
            ("Process name:Tarena/Process PID:", 1),
            ("AssertionError: process has already started", 1),
            ("p2 finished", 1),
            ("p2 exitcode: 0 /p2 daemon: False", 1),
            ("parent ends, daemon child alive: True", 1),
        ]
    if stem == "custom_process_class":
        return [("The time is", value["TICKS"])]
    if stem == "zombie":
        code = value["EXIT_CODE"]
        return [("子进程结束", 1), (f"after join: exitcode = {code}", 1)]
    return []


@pytest.mark.parametrize("method", START_METHODS)
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_scenario_runs_alone(script, method, tmp_path):
    result = run_script(script, method, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in result.stderr, output
    lines = result.stdout.splitlines()
    params = parameters(script.read_text(encoding="utf-8"))
    for text, count in expected_lines(script.stem, params):
        if isinstance(text, Exact):
            found = lines.count(text)
        else:
            found = sum(text in line for line in lines)
        assert found == count, f"{text!r} printed {found} times, expected {count}:\n{output}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_scenario_format(script):
    source = script.read_text(encoding="utf-8")
    tree = ast.parse(source)
    doc = ast.get_docstring(tree, clean=False)
    assert doc, "module docstring missing"
    doc_lines = doc.strip("\n").split("\n")
    assert doc_lines[0].strip() and len(doc_lines) >= 3 and not doc_lines[1].strip(), doc
    assert 'if __name__ == "__main__":' in source
    assert "set_start_method" not in source
    params = parameters(source)
    assert params, "no tunable parameters"
    for name, (_, value, comment) in params.items():
        assert isinstance(value, (bool, int, float)), name
        if isinstance(value, bool):
            assert re.match(r"^#\s*\S", comment), (name, comment)
        else:
            m = RANGE_COMMENT.match(comment)
            assert m, (name, comment)
            assert float(m.group(1)) <= value <= float(m.group(2)), (name, value, comment)
    # every sleep()/join() duration is a parameter: no numeric literal inside those calls
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if fname in ("sleep", "join"):
                for arg in node.args:
                    assert not isinstance(arg, ast.Constant), (fname, node.lineno)
