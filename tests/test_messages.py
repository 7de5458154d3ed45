"""Queue and Pipe messages, traced for real under fork, spawn and forkserver (issue 4).

Each case is a built-in scenario with a few parameters set; it runs once per start method
(short durations, helpers.run_scenario) and every test below reads that one Recording. Payload
integrity, messages left behind and arrows in time order: test_message_scripts.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from control.session import Session
from model.messages import Message
from model.recording import Recording
from model.trace_export import chrome_trace
from tests import helpers
from workers.events import K_MSG

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


@each_case
def test_every_message_end_is_a_point_of_its_process_that_names_its_event(case, method):
    """Sends and receives are the MessageBook's points (no marker each): every one of them,
    at its process and time, with the index of the very event that recorded it."""
    run = get_run(case, method)
    rec = run.rec
    ends = {}
    for pid, (stamps, indices, sides) in rec.messages.points.items():
        for ts, index, side in zip(stamps, indices, sides, strict=True):
            kind, ev_pid, ev_ts, _line, data = rec.event(index)
            assert (kind, ev_pid, ev_ts) == (K_MSG, pid, ts)
            assert data["phase"] == ("send" if side == 1 else "recv")
            ends[(data["phase"], data["mid"])] = pid
    messages = run.messages()
    assert messages
    for m in messages:
        assert ends[("send", m.mid)] == m.sender
        if m.received is not None:
            assert ends[("recv", m.mid)] == m.receiver
    assert len(ends) == len(msg_events(rec, "send")) + len(msg_events(rec, "recv"))
    in_flight = {m.mid: i for m, i in rec.messages.in_flight()}
    assert set(in_flight) == {m.mid for m in rec.messages.unreceived()}
    assert all(rec.event(i)[4]["mid"] == mid for mid, i in in_flight.items())
    kinds = {m.kind for lane in rec.lanes.values() for m in lane.markers}
    assert not kinds & {"send", "recv"}
