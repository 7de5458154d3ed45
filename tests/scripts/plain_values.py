"""Awkward values through every traced call: Queue, Pipe, Pool, executor, sleep, timeouts, exit
codes, print and process names (tests/test_plain_values.py). Traced, not one event may be lost.

Only the main process prints, and only lines that are the same on every run, so the output can
be compared with plain Python. Run by itself, it takes its start method from
MPSCOPE_TEST_START_METHOD (when set). It ends with exit code 7 (an IntEnum).
"""

import collections
import decimal
import enum
import fractions
import multiprocessing
import os
import queue
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pipe, Pool, Process, Queue

import numpy as np


class Color(enum.Enum):
    RED = 1


class Code(enum.IntEnum):
    SEVEN = 7


class Perm(enum.IntFlag):
    R = 4
    W = 2


class MyStr(str):
    pass


class AddStr(str):
    """A str whose ``+`` from the left gives something else: ``"" + AddStr("x")``."""

    def __radd__(self, other):
        return "radd"


class MyBytes(bytes):
    pass


class MyInt(int):
    pass


class MyFloat(float):
    pass


class MyDict(dict):
    pass


class MyList(list):
    pass


class MyTuple(tuple):
    pass


Point = collections.namedtuple("Point", "x y")


class BadRepr:
    def __repr__(self):
        raise RuntimeError("no repr for you")


class NonStrRepr:
    def __repr__(self):
        return 42


class SubStrRepr:
    def __repr__(self):
        return MyStr("a str subclass from __repr__")


class HugeRepr:
    def __repr__(self):
        return "h" * 1_000_000


class RecursiveRepr:
    def __repr__(self):
        return repr(self)


def values():
    """The values, made the same way in every process."""
    loop = [1]
    loop.append(loop)
    nested = {"a": {}}
    nested["a"]["self"] = nested
    return [
        np.int64(5),
        np.float32(0.5),
        np.float64(2.5),
        np.bool_(True),
        np.arange(6).reshape(2, 3),
        np.zeros(100_000),
        fractions.Fraction(1, 3),
        decimal.Decimal("0.1"),
        Color.RED,
        Code.SEVEN,
        Perm.R | Perm.W,
        MyStr("sub str"),
        AddStr("add str"),
        MyBytes(b"sub bytes"),
        MyInt(11),
        MyFloat(1.25),
        MyDict(k=MyStr("v")),
        MyList([MyInt(1), MyFloat(2.0)]),
        MyTuple((Code.SEVEN, MyStr("t"))),
        Point(MyInt(1), np.int64(2)),
        BadRepr(),
        NonStrRepr(),
        SubStrRepr(),
        HugeRepr(),
        RecursiveRepr(),
        loop,
        nested,
        float("nan"),
        float("inf"),
        -float("inf"),
        2**100_000,
        -(2**70),
        b"\x00\xff" * 5000,
        "x" * 100_000,
    ]


def describe(value):
    """A line about ``value`` that is the same with and without mpscope, in any process."""
    name = type(value).__name__
    if isinstance(value, int) and abs(value) > 10**100:
        return f"{name} of {value.bit_length()} bits"
    try:
        text = repr(value)
    except Exception as err:
        return f"{name}: repr fails with {type(err).__name__}"
    return f"{name}: {text[:50]} ({len(text)} chars)"


def process_name(text):
    """A str subclass as a Process name under fork; spawn and forkserver children unpickle their
    name before they import the script, so there plain Python cannot start such a process."""
    return MyStr(text) if multiprocessing.get_start_method() == "fork" else text


def echo(value):
    return value


def exits_with(how):
    """A child that ends with an exit code that is no plain int."""
    if how == "os._exit":
        sys.stdout.flush()
        os._exit(np.int64(4))
    sys.exit(
        {"intenum": Code.SEVEN, "intflag": Perm.R | Perm.W, "bool": True, "myint": MyInt(3)}[how]
    )


def echo_child(inbox, outbox):
    """Everything it gets from the Queue goes back through the Pipe."""
    for _ in range(len(values())):
        outbox.send(inbox.get())
    outbox.close()


def sleeps_and_timeouts():
    """sleep() and timeouts given numbers of every kind: some fail as plain Python fails."""
    for seconds in (
        np.float64(0.01),
        np.int64(0),
        MyFloat(0.01),
        MyInt(0),
        False,
        fractions.Fraction(1, 100),
        decimal.Decimal("0.01"),
        float("nan"),
        float("inf"),
        2**100_000,
        "0.1",
    ):
        try:
            time.sleep(seconds)
            print("slept", describe(seconds))
        except Exception as err:
            print("sleep", describe(seconds), "->", type(err).__name__, err)
    empty = Queue()
    for timeout in (
        np.float64(0.01),
        fractions.Fraction(1, 100),
        MyFloat(0.01),
        decimal.Decimal("0.01"),
    ):
        try:
            empty.get(timeout=timeout)
        except queue.Empty:
            print("get", describe(timeout), "-> Empty")
        except Exception as err:
            print("get", describe(timeout), "->", type(err).__name__, err)
    never = multiprocessing.Event()
    for timeout in (
        np.float64(0.01),
        fractions.Fraction(1, 100),
        decimal.Decimal("0.01"),
        MyInt(0),
    ):
        print("Event.wait", describe(timeout), "->", never.wait(timeout))


def messages():
    inbox, (back, outbox) = Queue(), Pipe(duplex=False)
    child = Process(target=echo_child, args=(inbox, outbox), name=process_name("echo-child"))
    child.start()
    for value in values():
        inbox.put(value)
    for _ in values():
        print("echoed", describe(back.recv()))
    child.join(timeout=np.float64(10))
    print("echo child", child.name, child.exitcode)


def exit_codes():
    for how in ("intenum", "intflag", "bool", "myint", "os._exit"):
        p = Process(target=exits_with, args=(how,), name=process_name(f"exits-{how}"))
        p.start()
        p.join(timeout=fractions.Fraction(10, 1))
        print("exit", p.name, p.exitcode)


def pools():
    with Pool(2) as pool:
        for result in pool.map(echo, values(), chunksize=MyInt(4)):
            print("pool.map", describe(result))
        for result in pool.imap(echo, values(), chunksize=np.int64(3)):
            print("pool.imap", describe(result))
        pending = [pool.apply_async(echo, (value,)) for value in values()]
        for result in pending:
            print("apply_async", describe(result.get(timeout=np.float64(30))))
    with ProcessPoolExecutor(max_workers=2) as ex:
        futures = [ex.submit(echo, value) for value in values()]
        for future in futures:
            print("submit", describe(future.result(timeout=MyFloat(30))))
        for result in ex.map(echo, values(), chunksize=np.int64(5)):
            print("executor.map", describe(result))


if __name__ == "__main__":
    if os.environ.get("MPSCOPE_TEST_START_METHOD"):
        multiprocessing.set_start_method(os.environ["MPSCOPE_TEST_START_METHOD"])
    print("values", len(values()))
    print(MyStr("printed str subclass"))
    sys.stdout.write(MyStr("written str subclass\n"))
    sys.stdout.write(AddStr("written str with its own +\n"))
    sleeps_and_timeouts()
    messages()
    exit_codes()
    pools()
    sys.exit(Code.SEVEN)
