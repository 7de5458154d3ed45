"""Queue and Pipe messages traced on scripts of their own, written to tmp_path: messages left
behind, payloads that must arrive untouched, arrows that never point back in time. Split from
test_messages.py, whose helpers these share.
"""

from __future__ import annotations

import textwrap
from collections import Counter

import pytest

from control.session import Session
from model.trace_export import chrome_trace
from tests import helpers
from tests.test_messages import assert_each_message_recorded_once, each_method, msg_events
from workers.reprs import short_repr

# ---- messages left behind -------------------------------------------------------------------
LEFT_BEHIND = textwrap.dedent(
    """
    from multiprocessing import Pipe, Process, Queue


    def child(q, fd):
        for i in range(5):
            q.put(i)
        fd.send("one")
        fd.send("two")


    if __name__ == "__main__":
        q = Queue()
        fd1, fd2 = Pipe()
        p = Process(target=child, args=(q, fd2))
        p.start()
        print(q.get(), q.get())
        print(fd1.recv())
        p.join()
    """
)


@each_method
def test_messages_left_in_a_queue_or_pipe_are_unreceived(tmp_path, method):
    session = helpers.run_source(tmp_path / "left_behind.py", LEFT_BEHIND, method)
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    assert session.exit_code == 0 and not session.stopped and rec.errors == []
    lanes = helpers.lanes_by_name(rec)
    assert [m.data["text"] for m in lanes["MainProcess"].markers if m.kind == "print"] == [
        "0 1",
        "one",
    ]
    assert_each_message_recorded_once(rec)
    channels = {c.label: c for c in rec.messages.channels.values()}
    assert sorted(channels) == ["Pipe fd1, fd2", "Queue q"]
    q, pipe = channels["Queue q"], channels["Pipe fd1, fd2"]
    left = sorted(rec.messages.unreceived(), key=lambda m: m.sent)
    assert [(m.ch, m.payload) for m in left] == [
        (q.ch, "2"),
        (q.ch, "3"),
        (q.ch, "4"),
        (pipe.ch, "'two'"),
    ]
    assert {m.sender for m in left} == {lanes["Process-1"].pid}
    assert all(m.receiver is None and m.received is None for m in left)
    got = sorted(rec.messages.complete(), key=lambda m: m.sent)
    assert [(m.payload, m.receiver) for m in got] == [
        ("0", lanes["MainProcess"].pid),
        ("1", lanes["MainProcess"].pid),
        ("'one'", lanes["MainProcess"].pid),
    ]
    depths = [d for _ts, d in rec.messages.depth_series(q.ch)]
    assert min(depths) >= 0 and max(depths) <= 5 and depths[-1] == 3 and len(depths) == 7
    events = chrome_trace(rec)["traceEvents"]
    unreceived = [e for e in events if e["ph"] == "i" and e.get("name") == "unreceived"]
    assert sorted(e["args"]["payload"] for e in unreceived) == ["'two'", "2", "3", "4"]
    assert all(e["pid"] == lanes["Process-1"].pid and e["cat"] == "message" for e in unreceived)
    counters = [e for e in events if e["ph"] == "C" and e["name"] == "depth Queue q"]
    assert counters[-1]["args"]["depth"] == 3


# ---- payload integrity ----------------------------------------------------------------------
PAYLOADS = textwrap.dedent(
    """
    import sys
    from multiprocessing import JoinableQueue, Pipe, Process, Queue, SimpleQueue

    MODE = sys.argv[1] if len(sys.argv) > 1 else "args"  # args | globals
    PLAIN_UP = sys.argv[2:] == ["plain-up"]  # the child sends back no Point


    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y

        def __eq__(self, other):
            return type(other) is Point and (self.x, self.y) == (other.x, other.y)

        def __repr__(self):
            return "Point(%r, %r)" % (self.x, self.y)


    def payloads(plain=False):
        point = (lambda x, y: (x, y)) if plain else Point
        return [
            None,
            {"a": [1, 2, {"b": (3, 4.5)}], "c": {"d": None, "e": "\\u00fc"}},
            [[1, [2, [3]]], {"k": [None]}, []],
            bytes(range(256)) * 4096,
            ("tag", point(1, 2), [point(3, 4)]),
        ]


    def check(got, where, plain=False):
        want = payloads(plain)
        assert len(got) == len(want), where
        for g, w in zip(got, want):
            assert type(g) is type(w), (where, type(g), type(w))
            assert g == w, (where, repr(g)[:80])
        assert got[0] is None, where
        assert len(got[3]) == 1 << 20, where
        if not plain:
            assert type(got[4][1]) is Point and type(got[4][2][0]) is Point, where


    def take_all(q, sq, jq, conn):  # every payload from each channel in turn
        got = {"q": [], "sq": [], "jq": [], "pipe": []}
        for _ in payloads():
            got["q"].append(q.get())
        for _ in payloads():
            got["sq"].append(sq.get())
        for _ in payloads():
            got["jq"].append(jq.get())
            jq.task_done()
        for _ in payloads():
            got["pipe"].append(conn.recv())
        return got


    def give_all(q, sq, jq, conn, values):  # values[channel] into each, as take_all takes them
        for x in values["q"]:
            q.put(x)
        for x in values["sq"]:
            sq.put(x)
        for x in values["jq"]:
            jq.put(x)
        for x in values["pipe"]:
            conn.send(x)


    def child(q_down, q_up, sq_down, sq_up, jq_down, jq_up, fd2):
        got = take_all(q_down, sq_down, jq_down, fd2)
        for where, values in got.items():
            check(values, "child " + where)
            if PLAIN_UP:
                values[4] = payloads(plain=True)[4]
        give_all(q_up, sq_up, jq_up, fd2, got)
        jq_up.join()
        print("child: all equal")


    def parent(q_down, q_up, sq_down, sq_up, jq_down, jq_up, fd1, p):
        p.daemon = True  # should the parent fail, the child is not left waiting
        p.start()
        give_all(q_down, sq_down, jq_down, fd1, {k: payloads() for k in ("q", "sq", "jq", "pipe")})
        jq_down.join()
        got = take_all(q_up, sq_up, jq_up, fd1)
        for where, values in got.items():
            check(values, "parent " + where, PLAIN_UP)
        p.join()
        if p.exitcode != 0:
            sys.exit("the child failed: %s" % p.exitcode)
        print("parent: all equal")


    if MODE == "globals":  # created at module level, inherited by a fork child
        q_down = Queue()
        q_up = Queue()
        sq_down = SimpleQueue()
        sq_up = SimpleQueue()
        jq_down = JoinableQueue()
        jq_up = JoinableQueue()
        fd1, fd2 = Pipe()


    def child_of_globals():
        child(q_down, q_up, sq_down, sq_up, jq_down, jq_up, fd2)


    if __name__ == "__main__":
        if MODE == "globals":
            p = Process(target=child_of_globals)
            parent(q_down, q_up, sq_down, sq_up, jq_down, jq_up, fd1, p)
        else:
            q_down = Queue()
            q_up = Queue()
            sq_down = SimpleQueue()
            sq_up = SimpleQueue()
            jq_down = JoinableQueue()
            jq_up = JoinableQueue()
            fd1, fd2 = Pipe()
            channels = (q_down, q_up, sq_down, sq_up, jq_down, jq_up, fd2)
            p = Process(target=child, args=channels)
            parent(q_down, q_up, sq_down, sq_up, jq_down, jq_up, fd1, p)
    """
)


class Point:
    """The script's Point, for the reprs the recording should hold."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"


def payload_reprs(plain: bool = False) -> list[str]:
    point = (lambda x, y: (x, y)) if plain else Point
    values = [
        None,
        {"a": [1, 2, {"b": (3, 4.5)}], "c": {"d": None, "e": "\u00fc"}},
        [[1, [2, [3]]], {"k": [None]}, []],
        bytes(range(256)) * 4096,
        ("tag", point(1, 2), [point(3, 4)]),
    ]
    return [short_repr(v) for v in values]


CHANNELS = {  # bound name -> (kind, sender, receiver)
    "q_down": ("Queue", "MainProcess", "Process-1"),
    "q_up": ("Queue", "Process-1", "MainProcess"),
    "sq_down": ("SimpleQueue", "MainProcess", "Process-1"),
    "sq_up": ("SimpleQueue", "Process-1", "MainProcess"),
    "jq_down": ("JoinableQueue", "MainProcess", "Process-1"),
    "jq_up": ("JoinableQueue", "Process-1", "MainProcess"),
}
MP_MAIN = (
    "workers/runner.py _exec_as_main: the script runs as a fresh '__main__' module "
    "(runpy._run_module_code) but sys.modules['__mp_main__'] still aliases the runner's own "
    "__main__, so the parent cannot unpickle an instance of a class defined in the script sent "
    "by a spawn/forkserver child (pickled as __mp_main__.Point): AttributeError in get()/recv()"
)


def run_payloads(tmp_path, method: str, *args: str) -> Session:
    return helpers.run_source(tmp_path / "payloads.py", PAYLOADS, method, list(args), timeout=15)


def check_payload_run(session: Session, plain_up: bool) -> None:
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    lanes = helpers.lanes_by_name(rec)
    prints = {
        n: [m.data["text"] for m in lane.markers if m.kind == "print"] for n, lane in lanes.items()
    }
    assert session.exit_code == 0, prints  # the script checked every value it received
    assert prints == {"MainProcess": ["parent: all equal"], "Process-1": ["child: all equal"]}
    assert rec.errors == [] and rec.dropped == 0
    assert_each_message_recorded_once(rec)
    assert rec.messages.unreceived() == [] and rec.messages.failures == []
    channels = {c.name: c for c in rec.messages.channels.values()}
    assert sorted(channels) == sorted([*CHANNELS, "fd1, fd2"])
    pid = {n: lane.pid for n, lane in lanes.items()}
    down, up = payload_reprs(), payload_reprs(plain_up)
    for name, (kind, sender, receiver) in CHANNELS.items():
        channel = channels[name]
        assert channel.kind == kind and channel.owner == pid["MainProcess"]
        msgs = sorted(
            (m for m in rec.messages.messages.values() if m.ch == channel.ch), key=lambda m: m.sent
        )
        assert [m.payload for m in msgs] == (down if sender == "MainProcess" else up), name
        assert {(m.sender, m.receiver) for m in msgs} == {(pid[sender], pid[receiver])}, name
    pipe = channels["fd1, fd2"]
    msgs = sorted(
        (m for m in rec.messages.messages.values() if m.ch == pipe.ch), key=lambda m: m.sent
    )
    assert [m.payload for m in msgs] == down + up
    ends = [(m.sender, m.sender_end, m.receiver, m.receiver_end) for m in msgs]
    to_child = (pid["MainProcess"], "fd1", pid["Process-1"], "fd2")
    to_parent = (pid["Process-1"], "fd2", pid["MainProcess"], "fd1")
    assert ends == [to_child] * 5 + [to_parent] * 5
    done = Counter(ev[1] for ev in msg_events(rec, "done"))
    assert done == {pid["Process-1"]: 5, pid["MainProcess"]: 5}  # task_done() for jq_down, jq_up


@each_method
def test_payloads_arrive_untouched_passed_as_arguments(tmp_path, method):
    """None, nested, 1 MB and a script class instance to the child; back again (no class)."""
    check_payload_run(run_payloads(tmp_path, method, "args", "plain-up"), plain_up=True)


@pytest.mark.parametrize(
    "method",
    [
        "fork",
        "spawn",
        "forkserver",
    ],
)
def test_script_class_instance_comes_back_from_a_child(tmp_path, method):
    check_payload_run(run_payloads(tmp_path, method, "args"), plain_up=False)


def test_payloads_arrive_untouched_through_module_level_channels(tmp_path):
    check_payload_run(run_payloads(tmp_path, "fork", "globals"), plain_up=False)


# ---- arrows go forward in time --------------------------------------------------------------
SLOW_REPR = textwrap.dedent(
    """
    import multiprocessing
    import time
    from multiprocessing import Pipe, Process, Queue


    class Slow:
        def __repr__(self):
            if multiprocessing.current_process().name != "MainProcess":
                end = time.perf_counter() + 0.3
                while time.perf_counter() < end:  # a slow repr, only in the sender
                    pass
            return "Slow()"


    def child(q, fd):
        fd.send(Slow())
        q.put(Slow())


    if __name__ == "__main__":
        q = Queue()
        fd1, fd2 = Pipe()
        p = Process(target=child, args=(q, fd2))
        p.start()
        print(fd1.recv(), q.get())
        p.join()
    """
)


def test_arrows_never_point_back_in_time(tmp_path):
    session = helpers.run_source(tmp_path / "slow_repr.py", SLOW_REPR, "fork")
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    assert session.exit_code == 0
    assert len(rec.messages.complete()) == 2
    (q,) = rec.messages.queues()
    assert min(d for _ts, d in rec.messages.depth_series(q.ch)) >= 0
    for m in rec.messages.complete():
        assert m.sent <= m.received, m


def test_only_a_sealed_message_is_opened_on_arrival():
    """A message travels as a plain tuple beside its id; what the user sends (a 3-tuple with a
    str first, or with a first element whose == raises or returns an array) is never taken for
    one."""
    from workers.patch_channels import MARK, _opened, _sealed

    class Weird:
        def __eq__(self, other):
            raise AssertionError("compared")

    sealed = _sealed(("tag", [1]))
    mid, payload = _opened(sealed)
    assert payload == ("tag", [1]) and isinstance(mid, str) and mid
    assert _opened(_sealed(None)) is not None
    for value in (("tag", 1, 2), (Weird(), 1, 2), (MARK, 1), [MARK, "1", 2], (MARK + " ", 1, 2)):
        assert _opened(value) is None, value
