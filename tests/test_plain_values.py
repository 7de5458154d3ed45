"""No event is lost to the program's values (issue 16): numpy numbers and arrays, Fraction,
Decimal, enums, subclasses of the built-in types, namedtuples, objects whose repr fails or is
huge, nan/inf and ints too big to print go through Queue, Pipe, Pool, the executor, sleep,
timeouts, exit codes, print and process names, and every event still reaches the app.

Frames are pickles the app refuses whole if they name any class (workers/channel.py), so the
tracer reduces every value to exact str/int/float/bool/None, and the frame encoder replaces an
event that is still not plain data by an ``unreadable`` record, counted by the app.
"""

from __future__ import annotations

import enum
import importlib.util
import math
import os
import pickle
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from model.recording import Recording
from tests import helpers
from workers import channel, reprs
from workers.channel import decode_frame, encode_frames

SCRIPT = Path(__file__).resolve().parent / "scripts" / "plain_values.py"
METHODS = ["fork", "spawn", "forkserver"]
PLAIN = (str, int, float, bool, type(None))


def _script_module():
    """The script's values and classes, imported here as a module (its main block does not run)."""
    spec = importlib.util.spec_from_file_location("plain_values_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VALUES = _script_module()


def assert_plain(value: object) -> None:
    """``value`` is made of exact plain types only, as the app's unpickler reads them."""
    kind = type(value)
    if kind in (list, tuple):
        for item in value:
            assert_plain(item)
    elif kind is dict:
        for key, item in value.items():
            assert type(key) is str, key
            assert_plain(item)
    else:
        assert kind in PLAIN, (kind, value)
        assert kind is not float or math.isfinite(value), value  # JSON has no nan/inf


# ---- the reductions, value by value -----------------------------------------------------------
@pytest.mark.parametrize("value", VALUES.values(), ids=lambda v: type(v).__name__)
def test_every_value_reduces_to_plain_bounded_data(value):
    for reduced in (reprs.short_repr(value), reprs.plain_str(value), reprs.plain_number(value)):
        assert_plain(reduced)
        assert not isinstance(reduced, str) or len(reduced) <= reprs.NAME_LIMIT
    call = reprs.call_repr(VALUES.echo, (value, value), {VALUES.MyStr("key"): value})
    assert type(call) is str and call.startswith("echo(") and len(call) <= reprs.LIMIT


def test_numbers_keep_their_value():
    number = reprs.plain_number
    assert number(np.float64(0.25)) == 0.25 and type(number(np.float64(0.25))) is float
    assert number(np.int64(3)) == 3 and type(number(np.int64(3))) is int
    assert number(Fraction(1, 4)) == 0.25 and number(VALUES.decimal.Decimal("0.5")) == 0.5
    assert type(number(VALUES.Code.SEVEN)) is int and number(VALUES.Code.SEVEN) == 7
    assert [number(float(x)) for x in ("nan", "inf", "-inf")] == ["nan", "inf", "-inf"]
    assert number(2**100_000) == "<int of 100001 bits>"  # str() of it raises ValueError
    assert number("0.1") == "'0.1'" and number(None) is None and number(False) is False


def test_exit_codes_are_the_ints_the_os_is_given():
    code = reprs.exit_code
    assert [code(VALUES.Code.SEVEN), code(VALUES.Perm.R | VALUES.Perm.W), code(True)] == [7, 6, 1]
    assert [type(code(v)) for v in (VALUES.Code.SEVEN, VALUES.MyInt(3), np.int64(4))] == [int] * 3
    assert code(2**40) is None and code(2**100_000) is None and code("3") is None


def test_str_subclasses_lose_their_own_methods():
    class Loud(str):
        def __str__(self):
            return "LOUD"

    assert reprs.plain_str(Loud("quiet")) == "quiet" and type(reprs.plain_str(Loud("q"))) is str
    assert type(reprs.short_repr(VALUES.SubStrRepr())) is str


# ---- the encoder's last line of defence -------------------------------------------------------
class Flag(enum.IntEnum):
    ON = 1


def test_an_event_that_is_not_plain_data_does_not_cost_its_frame():
    events = [("print", 10, ts, 3, {"stream": 1, "text": f"line {ts}"}) for ts in range(300)]
    events[5] = ("exit_status", 10, 5, 0, {"code": Flag.ON, "tb": None})
    events[100] = ("state", 10, 100, 7, {"s": "sleeping", "secs": np.float64(0.1)})
    events[200] = ("print", 10, 200, 9, {"stream": 1, "text": lambda: None})  # no pickle at all
    decoded, dropped = [], 0
    for frame in encode_frames(events):
        good, bad = decode_frame(frame)
        decoded += good
        dropped += bad
    assert dropped == 0 and [ev[2] for ev in decoded] == list(range(300))  # all, in order
    stand_ins = {ev[2]: ev for ev in decoded if ev[0] == "unreadable"}
    assert stand_ins == {
        5: ("unreadable", 10, 5, 0, {"kind": "exit_status"}),
        100: ("unreadable", 10, 100, 7, {"kind": "state"}),
        200: ("unreadable", 10, 200, 9, {"kind": "print"}),
    }
    rec = Recording()
    rec.add(decoded)
    assert rec.unread == 3 and rec.unreadable == {"exit_status": 1, "state": 1, "print": 1}
    assert rec.unread_summary() == {
        "dropped_events": 3,
        "unreadable_kinds": {"exit_status": 1, "state": 1, "print": 1},
    }


def test_the_encoder_runs_no_code_of_the_program():
    calls = []

    class Spy:
        def __reduce__(self):
            calls.append("reduce")
            return (str, ("x",))

    (frame,) = encode_frames([("print", 1, 2, 3, {"text": Spy()})])
    assert calls == [] and decode_frame(frame) == ([("unreadable", 1, 2, 3, {"kind": "print"})], 0)
    assert pickle.loads(frame)  # a frame the plain unpickler reads too


# ---- the values in a real program, traced -------------------------------------------------------
_runs: dict[str, tuple] = {}


def traced(method: str, capfd) -> tuple:
    """The script run alone and traced (its output captured), once per start method."""
    if method not in _runs:
        env = dict(os.environ, MPSCOPE_TEST_START_METHOD=method)
        alone = subprocess.run(
            [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120
        )
        capfd.readouterr()
        session = helpers.run_script(str(SCRIPT), method, timeout=120)
        out, err = capfd.readouterr()
        assert helpers.still_alive(helpers.run_pids(session.recording)) == set()
        _runs[method] = (alone, session, out, err)
    return _runs[method]


@pytest.mark.parametrize("method", METHODS)
def test_traced_program_behaves_as_alone(method, capfd):
    alone, session, out, err = traced(method, capfd)
    assert alone.returncode == 7 and alone.stderr == ""
    assert out == alone.stdout and err == ""
    assert not session.stopped and session.exit_code == 7


@pytest.mark.parametrize("method", METHODS)
def test_no_event_is_lost(method, capfd):
    _alone, session, _out, _err = traced(method, capfd)
    rec = session.recording
    assert rec.unread == 0 and rec.unreadable == {} and rec.dropped_frames == 0
    assert not session.channel_broken and not rec.channel_broken and rec.errors == []
    for index in range(len(rec.events)):
        assert_plain(rec.event(index)[4])


@pytest.mark.parametrize("method", METHODS)
def test_every_message_task_print_and_exit_code_is_there(method, capfd):
    alone, session, _out, _err = traced(method, capfd)
    rec, n = session.recording, len(VALUES.values())
    lanes = helpers.lanes_by_name(rec)
    messages = rec.messages.complete()
    assert len(messages) == 2 * n and rec.messages.unreceived() == []  # Queue there, Pipe back
    tasks = list(rec.tasks.tasks.values())
    assert len(tasks) == 5 * n  # map, imap, apply_async, submit, executor.map
    assert all(t.start is not None and t.end is not None and t.ok for t in tasks)
    prints = [m.data["text"] for m in lanes["MainProcess"].markers if m.kind == "print"]
    assert prints == alone.stdout.splitlines()
    exits = dict(line.split()[1:] for line in alone.stdout.splitlines() if line.startswith("exit "))
    assert {name: str(lanes[name].exitcode) for name in exits} == exits  # exits-intenum: 7 …
    assert lanes["MainProcess"].exitcode == 7 and "echo-child" in lanes


@pytest.mark.parametrize("method", METHODS)
def test_sleeps_and_timeouts_carry_plain_numbers(method, capfd):
    _alone, session, _out, _err = traced(method, capfd)
    rec = session.recording
    main = helpers.lanes_by_name(rec)["MainProcess"].pid
    states = [e[4] for e in rec.events if e[0] == "state" and e[1] == main and e[4]]
    secs = [d["secs"] for d in states if d.get("s") == "sleeping"]
    assert secs == [0.01, 0, 0.01, 0, False, 0.01, 0.01, "nan", "inf"] + [
        "<int of 100001 bits>",
        "'0.1'",
    ]
    timeouts = [d["timeout"] for d in states if d.get("on") == "Queue.get"]
    assert timeouts == [0.01, 0.01, 0.01, 0.01]  # numpy, Fraction, float subclass, Decimal
    waits = [d["timeout"] for d in states if d.get("on") == "Event.wait"]
    assert waits == [0.01, 0.01, 0.01, 0]  # numpy, Fraction, Decimal, int subclass


def test_the_encoder_can_be_reentered_mid_frame():
    """A signal handler that prints while this thread pickles a frame gets a pickler of its own."""
    events = [("print", 1, ts, 3, {"stream": 1, "text": "x" * ts}) for ts in range(50)]
    channel._dumps([])  # this thread's pickler exists
    channel._picklers.busy = True
    try:
        decoded = [ev for frame in encode_frames(events) for ev in decode_frame(frame)[0]]
    finally:
        channel._picklers.busy = False
    assert decoded == events
