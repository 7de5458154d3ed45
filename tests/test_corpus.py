"""Programs written by others (tests/corpus/, each names its source in its first line), run plain
and traced: the traced program does what the plain one does, and its picture says what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.corpus_runs import CORPUS, Picture, lines, plain, traced
from workers.events import WAITS

ALL = ("fork", "spawn", "forkserver")
SLOW = ("fork", "spawn")  # a second or more each: two methods are enough


@dataclass(frozen=True)
class Case:
    methods: tuple[str, ...] = ALL
    compare_output: bool = True  # False: its output depends on timing between processes
    racy_under: tuple[str, ...] = ()  # start methods under which its output depends on timing
    masks: tuple[tuple[str, str], ...] = ()


CASES = {
    "docs_pool_intro.py": Case(),
    "docs_process_info.py": Case(masks=((r"(process id|parent process): \d+", r"\1: <pid>"),)),
    "docs_set_start_method.py": Case(methods=("fork",)),  # chooses spawn itself
    "docs_get_context.py": Case(methods=("fork",)),  # chooses spawn itself
    "docs_queue.py": Case(),
    "docs_pipe.py": Case(),
    # Without joins, the main process's exit unlinks the lock while spawn/forkserver children
    # may still be unpickling it: how many fail with FileNotFoundError depends on timing.
    "docs_lock.py": Case(racy_under=("spawn", "forkserver")),
    "docs_shared_memory.py": Case(),
    "docs_manager.py": Case(),
    # prints the pids of workers: a line of one pid, a list of four (squares, 400 are results)
    "docs_pool_of_workers.py": Case(
        methods=SLOW,
        masks=((r"^(?!400$)\d{3,}$", "<pid>"), (r"^\[\d+, \d+, \d+, \d+\]$", "[<pids>]")),
    ),
    "docs_queue_workers.py": Case(methods=SLOW, masks=((r"Process-\d+", "Process-N"),)),
    "docs_executor_primes.py": Case(methods=SLOW),
    "pymotw_event.py": Case(methods=SLOW),
    "pymotw_lock.py": Case(methods=("fork",)),  # no main guard, passes sys.stdout: fork only
    "pymotw_condition.py": Case(methods=("fork",)),
    "pymotw_semaphore.py": Case(methods=("fork",), compare_output=False),
    "pymotw_producer_consumer.py": Case(masks=((r"Consumer-\d+", "Consumer-N"),)),
    "pymotw_exitcode.py": Case(methods=SLOW),
    "pymotw_namespaces.py": Case(masks=((r"^Before event.*", "Before event …"),)),
    "pymotw_pool.py": Case(masks=((r"PoolWorker-\d+", "PoolWorker-N"),)),
    "pymotw_daemon_join.py": Case(methods=SLOW),
}
RUNS = [(p, m) for p, case in CASES.items() for m in case.methods]
IDS = [f"{p[:-3]}-{m}" for p, m in RUNS]


def test_every_corpus_program_is_listed_and_names_its_source():
    programs = {p.name for p in CORPUS.glob("*.py")}
    assert programs == set(CASES)
    for name in programs:
        first = (CORPUS / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Source: ") and "http" in first, name


@pytest.mark.parametrize(("program", "method"), RUNS, ids=IDS)
def test_traced_program_prints_and_exits_as_plain_python(program, method):
    case = CASES[program]
    reference = plain(program, method)
    output, picture = traced(program, method)
    main = picture.pid("MainProcess")
    assert picture.exitcode(main) == reference.code
    if case.compare_output and method not in case.racy_under:
        assert lines(output.stdout, *case.masks) == lines(reference.stdout, *case.masks)
        _assert_prints_are_the_output(picture, reference.stdout, case.masks)


def _assert_prints_are_the_output(picture: Picture, stdout: str, masks: tuple) -> None:
    """Every line the program wrote is a print marker; a marker more is only allowed on a lane
    killed by a signal (its buffered output was lost, in plain Python too, but print ran)."""
    printed = lines("\n".join(picture.printed("stdout")), *masks)
    reference = lines(stdout, *masks)
    assert reference - printed == {}
    for extra in printed - reference:
        pids = [
            pid
            for pid in picture.names
            for e in picture.events(pid, "print")
            if lines(e["args"]["text"], *masks) == {extra: 1}
        ]
        assert pids and all((picture.exitcode(p) or 0) < 0 for p in pids), extra


@pytest.mark.parametrize(("program", "method"), RUNS, ids=IDS)
def test_picture_ends_every_process_and_keeps_time_order(program, method):
    _, picture = traced(program, method)
    for pid, name in picture.names.items():
        exits = picture.events(pid, "lifecycle", "exited")
        assert len(exits) == 1, name
        if pid not in picture.helpers:  # a fork server's exit code is its parent's to read
            assert isinstance(exits[0]["args"]["exitcode"], int), name
        for joined in picture.events(pid, "lifecycle", "joined"):
            assert exits[0]["ts"] <= joined["ts"], f"{name}: exited after it was joined"
        running = [s for s in picture.states(pid) if s["name"] == "running"]
        assert all(s["ts"] < exits[0]["ts"] for s in running), f"{name}: runs after its exit"
    stamped = [e for evs in picture.by_pid.values() for e in evs if "ts" in e]
    assert min(e["ts"] for e in stamped) >= 0
    for pid in picture.names:  # one vocabulary: every wait is one the GUI has words for
        for state in picture.states(pid):
            on = state["args"].get("on")
            assert on is None or on in WAITS or state["args"].get("proxy"), on


def _exit_codes(picture: Picture) -> dict[str, int | None]:
    return {name: picture.exitcode(pid) for pid, name in picture.names.items()}


@pytest.mark.parametrize("method", SLOW)
def test_exit_codes_are_the_ones_the_program_printed(method):
    output, picture = traced("pymotw_exitcode.py", method)
    printed = dict(
        (name.strip(), int(code))
        for name, code in (
            line.split(".exitcode = ") for line in output.stdout.splitlines() if ".exitcode" in line
        )
    )
    assert printed == {
        "exit_error": 1,
        "exit_ok": 0,
        "return_value": 0,
        "raises": 1,
        "terminated": -15,
    }
    codes = _exit_codes(picture)
    assert {name: codes[name] for name in printed} == printed


@pytest.mark.parametrize("method", ALL)
def test_pool_tasks_are_the_calls_the_program_made(method):
    _, picture = traced("docs_pool_intro.py", method)
    assert sorted(t["args"]["call"] for t in picture.tasks("f")) == ["f(1)", "f(2)", "f(3)"]


@pytest.mark.parametrize("method", SLOW)
def test_pool_of_workers_tasks_counted_exactly(method):
    _, picture = traced("docs_pool_of_workers.py", method)
    assert len(picture.tasks("f")) == 10 + 10 + 1  # map, imap_unordered, apply_async
    assert len(picture.tasks("getpid")) == 5


@pytest.mark.parametrize(
    ("program", "method"), [(p, m) for p in ("docs_queue.py", "docs_pipe.py") for m in ALL]
)
def test_one_message_from_the_child_to_the_parent(program, method):
    _, picture = traced(program, method)
    flows = picture.flows()
    assert len(flows) == 1
    assert flows[0]["pid"] == picture.pid("Process-1")
    assert flows[0]["args"]["payload"] == "[42, None, 'hello']"


@pytest.mark.parametrize("method", SLOW)
def test_every_queue_message_of_the_workers_example_is_an_arrow(method):
    _, picture = traced("docs_queue_workers.py", method)
    # 30 tasks and 4 STOPs into the task queue, 30 results back
    assert len(picture.flows()) == 30 + 4 + 30


def _waits(picture: Picture, name: str) -> list[str]:
    states = picture.states(picture.pid(name))
    return [s["args"].get("on") for s in states if s["name"] == "blocked"]


@pytest.mark.parametrize("method", SLOW)
def test_event_waits_are_drawn_as_waits(method):
    _, picture = traced("pymotw_event.py", method)
    assert "Event.wait" in _waits(picture, "block")
    assert "Event.wait" in _waits(picture, "nonblock")
    nonblock = picture.states(picture.pid("nonblock"))
    assert any(
        s["args"].get("after") == "Event.wait" and s["args"]["result"] == "timeout"
        for s in nonblock
    )


def test_condition_waits_are_drawn_as_waits():
    _, picture = traced("pymotw_condition.py", "fork")
    for name in ("stage_2[1]", "stage_2[2]"):
        assert "Condition.wait" in _waits(picture, name)


def test_event_example_prints_the_same_in_fast_forward():
    """At --time-scale 0.1 the 2 s timeout and the 3 s sleep shrink together: the timeout still
    comes first, as in plain Python (under fork: a spawn child's start-up cannot be scaled)."""
    output, _ = traced("pymotw_event.py", "fork", 0.1)
    assert lines(output.stdout) == lines(plain("pymotw_event.py", "fork").stdout)


@pytest.mark.parametrize("program", ["docs_set_start_method.py", "docs_get_context.py"])
def test_the_start_method_is_the_one_the_program_chose(program):
    """Run with fork as the default, the program starts its child with spawn itself: the export
    says spawn, per process and for the run."""
    _, picture = traced(program, "fork")
    child = next(pid for pid, name in picture.names.items() if name != "MainProcess")
    meta = {
        e["pid"]: e["args"] for e in picture.trace["traceEvents"] if e.get("name") == "process_name"
    }
    assert meta[child]["start_method"] == "spawn"
    assert meta[picture.pid("MainProcess")]["start_method"] is None
    assert picture.trace["otherData"]["start_method"] == "spawn"
    assert picture.trace["otherData"]["time_scale"] == 1.0


@pytest.mark.parametrize("method", ALL)
def test_each_process_says_how_it_was_started(method):
    _, picture = traced("docs_queue.py", method)
    args = next(
        e["args"]
        for e in picture.trace["traceEvents"]
        if e.get("name") == "process_name" and e["args"]["name"] == "Process-1"
    )
    assert args["start_method"] == method
    assert picture.trace["otherData"]["start_method"] == method


@pytest.mark.parametrize("method", ALL)
def test_manager_proxy_calls_are_waits_on_the_manager(method):
    """The child's d[1] = '1' and l.reverse() wait for the manager's process to answer (the
    child is Process-2: the manager's process was the first one started)."""
    _, picture = traced("docs_manager.py", method)
    waits = _waits(picture, "Process-2")
    assert waits.count("dict.__setitem__") == 3 and "list.reverse" in waits
    assert "SyncManager-1" in picture.names.values()


@pytest.mark.parametrize("method", SLOW)
def test_a_task_cut_by_its_workers_death_ends_there_and_keeps_its_name(method):
    """apply_async(time.sleep, (10,)) is still running when the pool is terminated: the box is
    "sleep" (not the tracer's wrapper) and ends when its worker was killed, saying so."""
    _, picture = traced("docs_pool_of_workers.py", method)
    (task,) = picture.tasks("sleep")
    assert task["args"]["call"] == "sleep(10)"
    assert task["args"]["died"] == {"exitcode": -15}
    worker_exit = picture.events(task["pid"], "lifecycle", "exited")[0]["ts"]
    assert task["ts"] + task["dur"] == pytest.approx(worker_exit, abs=0.01)
