"""Property tests: any events, in any order they may arrive in, give well-formed lanes."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from model.recording import Recording
from workers.events import KINDS

STATES = ("running", "sleeping", "blocked")


@st.composite
def process_events(draw, pid: int, parent: int | None, t0: int):
    """One process's life in time order: start, state changes and prints, maybe an exit."""
    t = t0
    events = []
    if parent is not None:
        events.append(("created", pid, t, 1, {"name": f"P{pid}", "parent": parent}))
    t += draw(st.integers(0, 50))
    events.append(
        ("started", pid, t, 0, {"name": f"P{pid}", "ppid": parent or 1, "parent": parent})
    )
    for _ in range(draw(st.integers(0, 12))):
        t += draw(st.integers(0, 30))
        if draw(st.booleans()):
            events.append(("state", pid, t, 2, {"s": draw(st.sampled_from(STATES)), "on": "x"}))
        else:
            events.append(("print", pid, t, 3, {"stream": 1, "text": "hi"}))
    if draw(st.booleans()):
        t += draw(st.integers(0, 30))
        events.append(("exit_status", pid, t, 0, {"code": 0, "tb": None}))
        t += draw(st.integers(0, 5))
        zombie = draw(st.booleans())
        events.append(("exited", pid, t, 0, {"code": 0, "by": parent, "zombie": zombie}))
        if parent is not None and draw(st.booleans()):
            t += draw(st.integers(0, 40))
            events.append(("joined", pid, t, 4, {"code": 0, "by": parent}))
    return events


@st.composite
def runs(draw):
    events = draw(process_events(100, None, 1000))
    for pid in range(101, 101 + draw(st.integers(0, 4))):
        events += draw(process_events(pid, 100, 1000 + draw(st.integers(0, 100))))
    order = draw(st.permutations(events))
    cuts = sorted(draw(st.lists(st.integers(0, len(order)), max_size=5)))
    batches, start = [], 0
    for cut in [*cuts, len(order)]:
        batches.append(list(order[start:cut]))
        start = cut
    return events, batches


@settings(max_examples=200, deadline=None)
@given(runs(), st.one_of(st.none(), st.integers(0, 40)))
def test_any_arrival_order_gives_well_formed_lanes(run, limit):
    """Also with a detail limit anywhere in the run: what is past it is counted, never lost."""
    events, batches = run
    rec = Recording(t0=0) if limit is None else Recording(t0=0, limit=limit)
    for batch in batches:
        rec.add(batch)
    end = max(ev[2] for ev in events) + 10
    rec.finish(end)
    for lane in rec.lanes.values():
        segs = rec.segments(lane)
        begin = lane.started if lane.started is not None else lane.created
        if not segs:  # only a process that ended the very nanosecond it began has no span
            assert lane.end == begin, lane
            continue
        assert all(s.start < s.end for s in segs)
        assert all(a.end == b.start for a, b in zip(segs, segs[1:], strict=False))  # back to back
        assert segs[0].start == begin
        assert segs[-1].end <= end  # every span closed by the end of the run
        assert all(
            s.state in ("running", "sleeping", "blocked", "zombie", "unrecorded") for s in segs
        )
        assert [s for s in segs if s.state == "zombie"] in ([], segs[-1:])
        unrecorded = [s for s in segs if s.state == "unrecorded"]
        assert unrecorded in ([], [segs[-1]], segs[-2:-1])  # from where detail stopped to the end
    assert rec.received == len(events)  # kept or counted: nothing lost silently
    assert len(rec.events) >= min(len(events), limit if limit is not None else len(events))
    kept_kinds = Counter(rec.events.kind(i) for i in range(len(rec.events)))
    for kind, n in Counter(ev[0] for ev in events).items():
        if kind in ("state", "print"):
            assert kept_kinds[kind] + rec.summarised.get(kind, 0) == n
        else:  # lifecycles are kept whatever the limit
            assert kept_kinds[kind] == n


@settings(max_examples=150, deadline=None)
@given(runs())
def test_arrival_order_does_not_change_the_result(run):
    events, batches = run
    in_order, shuffled = Recording(t0=0), Recording(t0=0)
    in_order.add(sorted(events, key=lambda ev: ev[2]))
    for batch in batches:
        shuffled.add(batch)
    end = max(ev[2] for ev in events) + 10
    in_order.finish(end)
    shuffled.finish(end)
    for pid, lane in in_order.lanes.items():
        assert in_order.segments(lane) == shuffled.segments(shuffled.lanes[pid]) or _same_ts_ties(
            events
        )


def _same_ts_ties(events) -> bool:
    """Two state changes of one process at the same instant have no defined order."""
    seen = set()
    for ev in events:
        if ev[0] == "state":
            key = (ev[1], ev[2])
            if key in seen:
                return True
            seen.add(key)
    return False


junk = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=20),
    st.tuples(
        st.sampled_from(sorted(KINDS) + ["bogus"]),
        st.integers(),
        st.integers(),
        st.integers(),
        st.one_of(
            st.none(),
            st.dictionaries(
                st.text(max_size=5),
                st.one_of(st.integers(), st.text(max_size=5), st.none()),
                max_size=4,
            ),
        ),
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(junk, max_size=30))
def test_any_junk_is_counted_or_taken_never_a_crash(items):
    rec = Recording(t0=0)
    rec.add(items)
    rec.finish(10**6)
    for lane in rec.lanes.values():
        rec.segments(lane)
    assert rec.dropped + len(rec.events) == len(items)
