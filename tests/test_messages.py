"""Queue and Pipe messages, traced for real under fork, spawn and forkserver (issue 4).

Each case is a built-in scenario with a few parameters set; it runs once per start method
(short durations, helpers.run_scenario) and every test below reads that one Recording. Payload
integrity and messages left behind use small scripts written to tmp_path.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass

import pytest

from control.session import Session
from model.messages import Message
from model.recording import Recording
from model.trace_export import chrome_trace
from tests import helpers
from workers.events import K_MSG
from workers.reprs import short_repr

METHODS = ["fork", "spawn", "forkserver"]
CASES = {
    "pipe-duplex": ("pipe-children-to-parent", {"CHILDREN": 3}),
    "pipe-one-way": ("pipe-children-to-parent", {"CHILDREN": 3, "DUPLEX": False}),
    "ping-pong": ("pipe-ping-pong", {"ROUNDS": 3}),
    "producer-consumer": ("queue-producer-consumer", {"ITEMS": 4}),
    "slow-consumer": (
        "queue-producer-consumer",
        {"ITEMS": 4, "MAXSIZE": 1, "PUT_SECONDS": 0.0, "GET_SECONDS": 0.1},
    ),
    "slow-producer": (
        "queue-producer-consumer",
        {"ITEMS": 3, "PUT_SECONDS": 0.1, "GET_SECONDS": 0.0},
    ),
    "queue-methods": ("queue-methods", {"MAXSIZE": 4}),
    "queue-workers": ("queue-workers", {"PRODUCERS": 2, "CONSUMERS": 2, "ITEMS": 2}),
}
LABELS = {
    "pipe-children-to-parent": ("Pipe", "fd1, fd2"),
    "pipe-ping-pong": ("Pipe", "fd1, fd2"),
    "queue-producer-consumer": ("Queue", "q"),
    "queue-methods": ("Queue", "q"),
    "queue-workers": ("JoinableQueue", "q"),
}


@dataclass
class Run(helpers.RunViews):
    case: str
    method: str
    session: Session
    values: dict
    source: list[str]

    @property
    def sid(self) -> str:
        return CASES[self.case][0]

    def name(self, pid: int | None) -> str:
        return self.rec.lanes[pid].name

    def messages(self) -> list[Message]:
        """Every message, in the order it was sent."""
        return sorted(self.rec.messages.messages.values(), key=lambda m: m.sent)

    def arrows(self) -> list[tuple[str, str, str]]:
        """(sender lane, receiver lane, payload) of every message, in the order it was sent."""
        return [(self.name(m.sender), self.name(m.receiver), m.payload) for m in self.messages()]

    def channel(self):
        (channel,) = self.rec.messages.channels.values()
        return channel

    def blocked(self, lane_name: str, on: str) -> list:
        segs = self.rec.segments(self.lanes[lane_name])
        return [s for s in segs if s.state == "blocked" and s.info.get("on") == on]


_runs: dict[tuple[str, str], Run] = {}


def get_run(case: str, method: str) -> Run:
    return helpers.cached_run(_runs, Run, CASES, case, method)


def cases(names) -> pytest.MarkDecorator:
    return helpers.case_params(names, METHODS)


each_case = cases(CASES)
each_method = pytest.mark.parametrize("method", METHODS)


def msg_events(rec: Recording, phase: str) -> list[tuple]:
    return [
        ev
        for ev in map(rec.event, range(len(rec.events)))
        if ev[0] == K_MSG and ev[4].get("phase") == phase
    ]


def secs(seg) -> float:
    return (seg.end - seg.start) / 1e9


def assert_each_message_recorded_once(rec: Recording) -> None:
    sends = Counter(ev[4]["mid"] for ev in msg_events(rec, "send"))
    recvs = Counter(ev[4]["mid"] for ev in msg_events(rec, "recv"))
    assert set(sends.values()) <= {1} and set(recvs.values()) <= {1}
    assert set(recvs) <= set(sends) == set(rec.messages.messages)


def expected_arrows(run: Run) -> Counter:
    """(sender, receiver, payload) of every message the scenario sends, as a multiset."""
    v = run.values
    if run.sid == "pipe-children-to-parent":
        out = [(f"Process-{i + 1}", "MainProcess", repr(i)) for i in range(v["CHILDREN"])]
        if v["DUPLEX"]:
            out.append(("MainProcess", "MainProcess", "'back'"))
        return Counter(out)
    if run.sid == "pipe-ping-pong":
        out = []
        for i in range(v["ROUNDS"]):
            out += [("MainProcess", "Process-1", f"'ping {i}'")]
            out += [("Process-1", "MainProcess", f"'pong {i}'")]
        return Counter(out)
    if run.sid == "queue-producer-consumer":
        return Counter({("Process-1", "Process-2", "(1, 2)"): v["ITEMS"]})
    if run.sid == "queue-methods":
        out = [("MainProcess", "MainProcess", repr(i)) for i in range(1, v["MAXSIZE"] + 1)]
        out[1] = ("MainProcess", "Process-1", "2")  # the child takes the second one
        return Counter(out)
    raise AssertionError(run.sid)


# ---- the run as a whole ------------------------------------------------------------------
@each_case
def test_run_ends_cleanly_and_leaves_no_process(case, method):
    run = get_run(case, method)
    assert run.session.exit_code == 0
    assert run.rec.errors == [] and run.rec.dropped == 0
    assert helpers.still_alive(helpers.run_pids(run.rec)) == set()
    assert {lane.exitcode for lane in run.lanes.values()} == {0}


@each_case
def test_channel_is_labelled_with_its_bound_name(case, method):
    run = get_run(case, method)
    channel = run.channel()
    kind, name = LABELS[run.sid]
    assert (channel.kind, channel.name) == (kind, name)
    assert channel.label == f"{kind} {name}"
    assert channel.owner == run.lanes["MainProcess"].pid
    assert channel.line > 0 and f"{name} = " in run.source[channel.line - 1]
    if run.sid in ("queue-producer-consumer", "queue-methods"):
        assert channel.maxsize == run.values["MAXSIZE"]
    else:
        assert channel.maxsize == 0


# ---- exact arrows ---------------------------------------------------------------------------
@each_case
def test_every_message_is_one_arrow_paired_exactly(case, method):
    run = get_run(case, method)
    rec = run.rec
    assert_each_message_recorded_once(rec)
    assert rec.messages.unreceived() == []
    assert len(rec.messages.complete()) == len(rec.messages.messages)
    ch = run.channel().ch
    for m in rec.messages.messages.values():
        assert m.ch == ch and m.sender in rec.lanes and m.receiver in rec.lanes
        assert m.mid.split("-")[0] == str(m.sender)  # the id was made by the sender
    if run.sid != "queue-workers":
        assert Counter(run.arrows()) == expected_arrows(run)


@each_method
def test_pipe_children_each_send_once_to_the_parent(method):
    run = get_run("pipe-duplex", method)
    children = [m for m in run.messages() if run.name(m.sender) != "MainProcess"]
    assert len(children) == run.values["CHILDREN"]
    assert len({m.sender for m in children}) == len(children)  # each from a different child
    for m in children:
        assert run.name(m.receiver) == "MainProcess"
        assert (m.sender_end, m.receiver_end) == ("fd2", "fd1")
        assert m.how == "send" and run.name(m.sender) == f"Process-{int(m.payload) + 1}"
    (back,) = [m for m in run.messages() if run.name(m.sender) == "MainProcess"]
    assert (back.sender_end, back.receiver_end, back.payload) == ("fd1", "fd2", "'back'")
    assert run.rec.messages.failures == []


@each_method
def test_ping_pong_alternates_direction(method):
    run = get_run("ping-pong", method)
    rounds = run.values["ROUNDS"]
    msgs = run.messages()
    assert len(msgs) == 2 * rounds
    expected = []
    for i in range(rounds):
        expected.append(("MainProcess", "Process-1", f"'ping {i}'"))
        expected.append(("Process-1", "MainProcess", f"'pong {i}'"))
    assert run.arrows() == expected
    for m in msgs:
        main_sent = run.name(m.sender) == "MainProcess"
        assert (m.sender_end, m.receiver_end) == (("fd1", "fd2") if main_sent else ("fd2", "fd1"))


@cases(["producer-consumer", "slow-consumer", "slow-producer"])
def test_queue_messages_go_from_producer_to_consumer_in_order(case, method):
    run = get_run(case, method)
    msgs = run.messages()
    assert len(msgs) == run.values["ITEMS"]
    assert all(run.arrows()[i] == ("Process-1", "Process-2", "(1, 2)") for i in range(len(msgs)))
    assert all(m.how == "put" for m in msgs)
    received = [m.received for m in msgs]
    assert received == sorted(received)  # first in, first out
    ids = [int(m.mid.split("-")[1]) for m in msgs]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


@each_method
def test_queue_workers_every_item_handled_once(method):
    run = get_run("queue-workers", method)
    v = run.values
    producers = [f"Process-{i}" for i in range(1, v["PRODUCERS"] + 1)]
    consumers = [f"Process-{v['PRODUCERS'] + i}" for i in range(1, v["CONSUMERS"] + 1)]
    expected = Counter()
    for k, name in enumerate(producers, 1):
        for i in range(v["ITEMS"]):
            expected[(name, repr(f"producer {k} item {i}"))] += 1
    expected[("MainProcess", "None")] = v["CONSUMERS"]
    arrows = run.arrows()
    assert Counter((s, p) for s, _r, p in arrows) == expected
    assert {r for _s, r, _p in arrows} <= set(consumers)
    sentinels = Counter(r for _s, r, p in arrows if p == "None")
    assert sentinels == Counter(consumers)  # one None each: each consumer stops once
    # task_done() once for every item taken, in the consumer that took it
    done = Counter(run.name(ev[1]) for ev in msg_events(run.rec, "done"))
    assert done == Counter(r for _s, r, _p in arrows)
    (join,) = run.blocked("MainProcess", "JoinableQueue.join")
    assert join.info["ch"] == run.channel().ch
    # q.join() returns only after every producer item is done, and before the sentinels
    items = [m for m in run.messages() if m.payload != "None"]
    sentinel_msgs = [m for m in run.messages() if m.payload == "None"]
    assert max(m.received for m in items) < join.end <= min(m.sent for m in sentinel_msgs)


# ---- blocked spans --------------------------------------------------------------------------
@each_method
def test_small_maxsize_and_slow_consumer_block_the_producer_in_put(method):
    run = get_run("slow-consumer", method)
    v = run.values
    puts = run.blocked("Process-1", "Queue.put")
    assert len(puts) == v["ITEMS"] - v["MAXSIZE"]
    ch = run.channel().ch
    sends = sorted(m.sent for m in run.messages())
    for seg in puts:
        assert seg.info["ch"] == ch and seg.info["timeout"] is None
        assert any(seg.end <= t for t in sends)  # the put went through when the wait ended
    for seg in puts[1:]:  # each waits for the consumer's next get, GET_SECONDS apart
        assert secs(seg) >= 0.5 * v["GET_SECONDS"], seg
    # a get makes room: every blocked put ends right after a get of the consumer
    gets = sorted(m.received for m in run.messages())
    for seg in puts:
        assert any(abs(seg.end - g) < 0.05e9 for g in gets), seg
    assert run.blocked("Process-2", "Queue.get") == []  # the consumer never waits


@each_method
def test_slow_producer_blocks_the_consumer_in_get(method):
    run = get_run("slow-producer", method)
    v = run.values
    gets = run.blocked("Process-2", "Queue.get")
    assert v["ITEMS"] - 1 <= len(gets) <= v["ITEMS"]
    for seg in gets:
        assert seg.info["ch"] == run.channel().ch and seg.info["timeout"] is None
    for seg in gets[-(v["ITEMS"] - 1) :]:
        assert secs(seg) >= 0.5 * v["PUT_SECONDS"], seg
    assert run.blocked("Process-1", "Queue.put") == []


@each_method
def test_blocked_recv_names_the_pipe_and_its_end(method):
    run = get_run("pipe-duplex", method)
    recvs = run.blocked("MainProcess", "Connection.recv")
    assert recvs and recvs[0].info["end"] == "fd1" and recvs[0].info["ch"] == run.channel().ch
    assert secs(recvs[0]) >= 0.5 * run.values["SEND_SECONDS"]  # waiting for the first child
    ping = get_run("ping-pong", method)
    rounds, think = ping.values["ROUNDS"], ping.values["THINK_SECONDS"]
    main_recvs = ping.blocked("MainProcess", "Connection.recv")
    assert len(main_recvs) == rounds  # the parent waits for every pong
    assert all(s.info["end"] == "fd1" and secs(s) >= 0.5 * think for s in main_recvs)
    child_recvs = ping.blocked("Process-1", "Connection.recv")
    assert rounds - 1 <= len(child_recvs) <= rounds
    assert all(s.info["end"] == "fd2" for s in child_recvs)


# ---- queue methods: Full and Empty ------------------------------------------------------------
@each_method
def test_full_and_empty_are_recorded_as_failures(method):
    run = get_run("queue-methods", method)
    main = run.lanes["MainProcess"]
    failures = sorted(run.rec.messages.failures, key=lambda f: f.ts)
    assert [(f.error, f.how) for f in failures] == [
        ("Full", "put"),
        ("Full", "put"),
        ("Empty", "get"),
        ("Empty", "get"),
    ]
    assert {f.pid for f in failures} == {main.pid}
    assert {f.ch for f in failures} == {run.channel().ch}
    lines = [run.source[f.line - 1].strip() for f in failures]
    assert lines == [
        "q.put(99, block=False)",
        "q.put(99, timeout=TIMEOUT_SECONDS)",
        "q.get(block=False)",
        "q.get(timeout=TIMEOUT_SECONDS)",
    ]
    timeout = run.values["TIMEOUT_SECONDS"]
    (put,) = run.blocked("MainProcess", "Queue.put")
    (get,) = run.blocked("MainProcess", "Queue.get")
    for seg, fail in ((put, failures[1]), (get, failures[3])):
        assert seg.info["timeout"] == timeout and secs(seg) >= timeout
        assert seg.start < fail.ts <= seg.end  # it gave up at the end of the wait
    # the non-blocking calls fail at once: no blocked span for them
    assert failures[0].ts < put.start and put.end < failures[2].ts < get.start


@each_method
def test_queue_methods_depth_follows_puts_and_gets(method):
    run = get_run("queue-methods", method)
    ch, size = run.channel().ch, run.values["MAXSIZE"]
    depths = [d for _ts, d in run.rec.messages.depth_series(ch)]
    assert depths[:size] == list(range(1, size + 1))  # filled up to MAXSIZE
    assert max(depths) == size and min(depths) >= 0 and depths[-1] == 0
    assert len(depths) == 2 * size


@each_method
def test_wrong_pipe_end_is_a_failure_and_the_script_goes_on(method):
    run = get_run("pipe-one-way", method)
    main = run.lanes["MainProcess"]
    (fail,) = run.rec.messages.failures
    assert (fail.how, fail.pid, fail.ch) == ("send", main.pid, run.channel().ch)
    assert "read-only" in fail.error
    assert run.source[fail.line - 1].strip() == 'fd1.send("x")'
    (marker,) = [m for m in main.markers if m.kind == "fail"]
    assert marker.data["end"] == "fd1"
    prints = [m.data["text"] for m in main.markers if m.kind == "print"]
    assert prints[-1].startswith("one-way: fd1.send() raised OSError: connection is read-only")
    assert run.session.exit_code == 0
    # nothing was sent by the failed call
    assert all(m.payload != "'x'" for m in run.rec.messages.messages.values())


# ---- the chrome trace -----------------------------------------------------------------------
@each_case
def test_chrome_trace_has_flow_pairs_and_depth_counters(case, method):
    run = get_run(case, method)
    rec = run.rec
    events = chrome_trace(rec)["traceEvents"]
    flows = [e for e in events if e["ph"] in ("s", "f")]
    assert all(e["cat"] == "message" for e in flows)
    starts = {e["id"]: e for e in flows if e["ph"] == "s"}
    ends = {e["id"]: e for e in flows if e["ph"] == "f"}
    assert len(starts) == len(ends) == len(rec.messages.complete()) == len(flows) // 2
    assert set(starts) == set(ends)
    label = run.channel().label
    by_mid = rec.messages.messages
    for fid, s in starts.items():
        f = ends[fid]
        m = by_mid[s["args"]["id"]]
        assert f["args"] == s["args"] == {"channel": label, "payload": m.payload, "id": m.mid}
        assert (s["pid"], f["pid"]) == (m.sender, m.receiver)
        assert s["ts"] == pytest.approx((m.sent - rec.t0) / 1000)
        assert f["ts"] == pytest.approx((m.received - rec.t0) / 1000)
    fails = [e for e in events if e["ph"] == "i" and e.get("name") == "fail"]
    assert len(fails) == len(rec.messages.failures)
    assert all(e["cat"] == "message" and e["args"]["channel"] == label for e in fails)
    counters = [e for e in events if e["ph"] == "C"]
    channel = run.channel()
    if not channel.is_queue:
        assert counters == []
        return
    assert {e["name"] for e in counters} == {f"depth {label}"}
    assert all(e["pid"] == channel.owner for e in counters)
    series = [d for _ts, d in rec.messages.depth_series(channel.ch)]
    assert [e["args"]["depth"] for e in counters] == [0, *series]


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
    script = tmp_path / "left_behind.py"
    script.write_text(LEFT_BEHIND, encoding="utf-8")
    session = helpers.run_script(script, method)
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


    def child(q_down, q_up, sq_down, sq_up, jq_down, jq_up, fd2):
        got = {"q": [], "sq": [], "jq": [], "pipe": []}
        for _ in payloads():
            got["q"].append(q_down.get())
        for _ in payloads():
            got["sq"].append(sq_down.get())
        for _ in payloads():
            got["jq"].append(jq_down.get())
            jq_down.task_done()
        for _ in payloads():
            got["pipe"].append(fd2.recv())
        for where, values in got.items():
            check(values, "child " + where)
            if PLAIN_UP:
                values[4] = payloads(plain=True)[4]
        for x in got["q"]:
            q_up.put(x)
        for x in got["sq"]:
            sq_up.put(x)
        for x in got["jq"]:
            jq_up.put(x)
        for x in got["pipe"]:
            fd2.send(x)
        jq_up.join()
        print("child: all equal")


    def parent(q_down, q_up, sq_down, sq_up, jq_down, jq_up, fd1, p):
        p.daemon = True  # should the parent fail, the child is not left waiting
        p.start()
        for x in payloads():
            q_down.put(x)
        for x in payloads():
            sq_down.put(x)
        for x in payloads():
            jq_down.put(x)
        for x in payloads():
            fd1.send(x)
        jq_down.join()
        got = {"q": [], "sq": [], "jq": [], "pipe": []}
        for _ in payloads():
            got["q"].append(q_up.get())
        for _ in payloads():
            got["sq"].append(sq_up.get())
        for _ in payloads():
            got["jq"].append(jq_up.get())
            jq_up.task_done()
        for _ in payloads():
            got["pipe"].append(fd1.recv())
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
    script = tmp_path / "payloads.py"
    script.write_text(PAYLOADS, encoding="utf-8")
    return helpers.run_script(script, method, list(args), timeout=15)


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
    script = tmp_path / "slow_repr.py"
    script.write_text(SLOW_REPR, encoding="utf-8")
    session = helpers.run_script(script, "fork")
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    assert session.exit_code == 0
    assert len(rec.messages.complete()) == 2
    (q,) = rec.messages.queues()
    assert min(d for _ts, d in rec.messages.depth_series(q.ch)) >= 0
    for m in rec.messages.complete():
        assert m.sent <= m.received, m
