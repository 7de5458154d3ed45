"""Every scenario script runs by itself, under fork, spawn and forkserver, with short durations.

Each script is copied to a temp folder with its duration parameters shrunk (model.catalog rewrites
the constant's literal, as the app does when it substitutes parameters), then run alone with the
current interpreter in a subprocess with the start method forced.
"""

import ast
import os
import re
import subprocess
import sys

import pytest

from model import catalog
from tests import helpers

SCENARIOS = catalog.discover()
START_METHODS = ["fork", "spawn", "forkserver"]
RUN_TIMEOUT = 30

# A top-level constant with a literal value: each one must be a parameter the catalog accepts.
CONSTANT_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)\s*=\s*(?:[-+]?[0-9.]|True\b|False\b)")
# A parameter named like a duration must say it is in seconds (or it would not be shrunk).
DURATION_NAME = re.compile(r"SLEEP|TIMEOUT|SECONDS|DELAY|LINGER|INTERVAL|DURATION|BUSY")

RUNNER = (
    "import multiprocessing, os, runpy, sys\n"
    "method, path = sys.argv[1], sys.argv[2]\n"
    "multiprocessing.set_start_method(method)\n"
    "sys.argv = [path]\n"
    "sys.path[0] = os.path.dirname(path)\n"
    "runpy.run_path(path, run_name='__main__')\n"
)


def run_script(scenario, method, tmp_path):
    copy = tmp_path / os.path.basename(scenario.path)
    copy.write_text(catalog.substitute(scenario, helpers.short_values(scenario)), encoding="utf-8")
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


class Anywhere(str):
    """Text counted anywhere in the output: two children printing at once may interleave
    their lines into one ("I am LevisI am Tom")."""


def expected_lines(sid, value):
    """(text, how many times) pairs each scenario must print.

    An Exact text must be a whole printed line; an Anywhere text is counted anywhere in the
    output; any other text is looked for inside the lines.
    """
    if sid == "process-basics":
        return [
            (Exact("a= 1"), 1),
            (Exact("子进程事件"), 1),
            (Exact("父进程事件"), 1),
            (Exact("parent a= 1"), 1),
        ]
    if sid == "several-processes":
        return [("吃饭", 1), ("睡觉", 1), ("打豆豆", 1), (" -- ", 3)]
    if sid == "args-and-kwargs":
        loops = value["LOOPS"]
        return [
            (Anywhere("I am Levis"), loops),
            (Anywhere("I am Tom"), loops),
            (Anywhere("I am working..."), 2 * loops),
            (Exact("==================="), 1),
            ("p2 still alive after join(timeout):", 1),
            ("both joined, exit codes: 0 0", 1),
        ]
    if sid == "process-attributes":
        return [
            ("Process name:Tarena/Process PID:", 1),
            ("AssertionError: process has already started", 1),
            ("p2 finished", 1),
            ("p2 exitcode: 0 /p2 daemon: False", 1),
            ("parent ends, daemon child alive: True", 1),
        ]
    if sid == "custom-process-class":
        return [("The time is", value["TICKS"])]
    if sid == "zombie":
        code = value["EXIT_CODE"]
        return [("子进程结束", 1), (f"after join: exitcode = {code}", 1)]
    # Several processes share stdout, unbuffered: one process's text may land before another's
    # newline, so texts printed by children are unique per line and looked for inside lines.
    if sid == "pool-apply-async":
        hello = [(f"hello {i}", 1) for i in range(value["TASKS"])]
        return [*hello, ("all tasks submitted", 1)]
    if sid == "pool-apply-sync":
        hello = [(Exact(f"hello {i}"), 1) for i in range(value["TASKS"])]
        return [*hello, ("all tasks done, one by one", 1)]
    if sid == "pool-map":
        squares = str([n * n for n in range(1, value["ITEMS"] + 1)])
        return [(Exact(squares), 1), ("caught", 0), (Exact("pool closed and joined"), 1)]
    if sid == "pool-vs-processes":
        return [("one process per task", 1), ("pool of ", 1), ("ratio (processes / pool):", 1)]
    if sid == "start-methods":
        runs = value["RUNS"]
        methods = ["fork", "spawn", "forkserver", "os.fork"]
        return [*((f"({m}) child pid:", runs) for m in methods), (" ms", len(methods))]
    if sid == "process-pool-executor":
        tasks = range(value["TASKS"])
        done = [(f"done: hello {i} at ", 1) for i in tasks]
        return [*done, *((f"result: map {i} at ", 1) for i in tasks), ("executor shut down", 1)]
    if sid == "pipe-children-to-parent":
        got = [(Exact(str(i)), 1) for i in range(value["CHILDREN"])]
        return [*got, ("duplex: fd1.send() -> fd2.recv() got 'back'", 1)]
    if sid == "pipe-ping-pong":
        pings = [(Exact(f"child got ping {i}"), 1) for i in range(value["ROUNDS"])]
        return [*pings, *((Exact(f"parent got pong {i}"), 1) for i in range(value["ROUNDS"]))]
    if sid == "queue-methods":
        size = value["MAXSIZE"]
        return [
            (Exact("full(): True"), 1),
            ("queue.Full", 2),
            (Exact("get(): 1"), 1),
            (Exact(f"qsize(): {size - 1}"), 1),
            (Exact("child got: 2"), 1),
            ("queue.Empty", 2),
            ("empty():", 2),
        ]
    if sid == "queue-producer-consumer":
        return [("put ", value["ITEMS"]), ("sum=", value["ITEMS"])]  # print("sum=", 3): 4 writes
    if sid == "queue-workers":
        producers, consumers = range(1, value["PRODUCERS"] + 1), range(1, value["CONSUMERS"] + 1)
        items = range(value["ITEMS"])
        handled = [(f"handled producer {p} item {i}", 1) for p in producers for i in items]
        return [
            *handled,
            *((f"producer {p} done", 1) for p in producers),
            *((f"consumer {c} stops", 1) for c in consumers),
            ("q.join() returned: every item is done", 1),
            ("all processes joined", 1),
        ]
    if sid == "crashes":
        codes = {"return": 0, "exception": 1, "sys.exit": 3, "os._exit": 4}
        codes |= {"terminate": -15, "kill": -9, "segfault": -11}
        return [(Exact(f"{name} exit code {code}"), 1) for name, code in codes.items()]
    return []


def test_every_scenario_file_is_discovered():
    names = sorted(
        n for n in os.listdir(catalog.SCENARIO_DIR) if n.endswith(".py") and not n.startswith("_")
    )
    assert [os.path.basename(s.path) for s in SCENARIOS] == names
    assert len(SCENARIOS) >= 6


@pytest.mark.parametrize("method", START_METHODS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_scenario_runs_alone(scenario, method, tmp_path):
    result = run_script(scenario, method, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    tracebacks = result.stderr.count("Traceback")
    assert tracebacks == (1 if scenario.id == "crashes" else 0), output  # crashes: one raises
    lines = result.stdout.splitlines()
    value = {p.name: p.value for p in scenario.params}
    for text, count in expected_lines(scenario.id, value):
        if isinstance(text, Exact):
            found = lines.count(text)
        elif isinstance(text, Anywhere):
            found = result.stdout.count(text)
        else:
            found = sum(text in line for line in lines)
        assert found == count, f"{text!r} printed {found} times, expected {count}:\n{output}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_short_values_are_short_and_keep_order(scenario):
    shorts = helpers.short_values(scenario)
    durations = [p for p in scenario.params if helpers.is_duration(p)]
    assert set(shorts) == {p.name for p in durations}
    for p in durations:
        assert type(shorts[p.name]) is p.kind
        assert shorts[p.name] == 0 if p.value == 0 else 0.05 <= shorts[p.name] <= 0.25
        assert p.low <= shorts[p.name] <= p.high
    for a in durations:
        for b in durations:
            if a.value < b.value:
                assert shorts[a.name] <= shorts[b.name], (a.name, b.name, shorts)
    # the substituted source has exactly those values, and nothing else changed
    source = catalog.substitute(scenario, shorts)
    again = {p.name: p.value for p in catalog.parse_params(source)}
    assert again == {p.name: shorts.get(p.name, p.value) for p in scenario.params}
    changed = [
        (old, new)
        for old, new in zip(scenario.source().splitlines(), source.splitlines(), strict=True)
        if old != new
    ]
    assert len(changed) == sum(shorts[p.name] != p.value for p in durations)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_scenario_format(scenario):
    source = scenario.source()
    tree = ast.parse(source)
    doc = ast.get_docstring(tree, clean=False)
    assert doc, "module docstring missing"
    doc_lines = doc.strip("\n").split("\n")
    assert doc_lines[0].strip() and len(doc_lines) >= 3 and not doc_lines[1].strip(), doc
    assert scenario.title == doc_lines[0].strip() and scenario.summary
    assert 'if __name__ == "__main__":' in source
    assert "set_start_method" not in source
    params = {p.name: p for p in catalog.parse_params(source)}
    assert params, "no tunable parameters"
    # every top-level constant is a parameter: none is dropped for a malformed comment
    constants = [m.group(1) for m in map(CONSTANT_LINE.match, source.splitlines()) if m]
    assert sorted(constants) == sorted(params), (constants, sorted(params))
    for name, p in params.items():
        assert isinstance(p.value, (bool, int, float)), name
        assert p.doc, (name, "no description in its comment")
        if isinstance(p.value, bool):
            assert p.low is None and p.high is None, name
        else:
            assert p.low < p.high, (name, p.low, p.high)
            assert p.low <= p.value <= p.high, (name, p.value, p.low, p.high)
        if DURATION_NAME.search(name):
            assert helpers.is_duration(p), (name, "a duration whose doc does not say seconds")
    # every sleep()/join() duration is a parameter: no numeric literal inside those calls
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if fname in ("sleep", "join"):
                for arg in node.args:
                    assert not isinstance(arg, ast.Constant), (fname, node.lineno)
