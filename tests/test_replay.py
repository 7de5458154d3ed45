"""Replay of a finished recording, without Qt: the timeline at any replay clock is the one the
live run showed at that moment; scrubbing back and forth, and the end, give the same timeline."""

from __future__ import annotations

import random

import pytest

from model.recording import Recording
from model.replay import Replay
from model.trace_export import chrome_trace
from tests.test_recording import CHILD, CHILD2, MAIN, story


def _finished(events, end=2700) -> Recording:
    rec = Recording(t0=900)
    shuffled = list(events)
    random.Random(3).shuffle(shuffled)  # arrival order is not time order
    rec.add(shuffled)
    rec.finish(end)
    return rec


def _live_at(events, clock: int) -> Recording:
    """What the live run held at ``clock``: the events stamped up to then."""
    rec = Recording(t0=900)
    rec.add([e for e in events if e[2] <= clock])
    return rec


def _spans(rec: Recording, now: int | None = None) -> dict:
    return {
        pid: [(s.start, s.end, s.state) for s in rec.segments(lane, now)]
        for pid, lane in rec.lanes.items()
    }


def test_the_end_of_a_replay_is_the_recording_itself():
    source = _finished(story())
    replay = Replay(source)
    # a new replay stands at its end (the recording as shown) until the clock moves
    assert replay.duration == 2700 - 900 and replay.position == replay.duration
    replay.seek(replay.end)
    assert replay.at_end and replay.rec.end_ts == source.end_ts
    assert chrome_trace(replay.rec) == chrome_trace(source)
    assert len(replay.rec.events) == len(source.events)


@pytest.mark.parametrize("clock", [900, 1000, 1350, 1500, 1899, 1900, 2050, 2399, 2555, 2699])
def test_at_any_clock_the_replay_shows_what_the_live_run_showed(clock):
    events = story()
    replay = Replay(_finished(events))
    replay.seek(clock)
    assert replay.rec.end_ts is None, "a replay before its end is live"
    assert replay.rec.now() == clock
    assert _spans(replay.rec) == _spans(_live_at(events, clock), now=clock)


def test_open_spans_end_at_the_replay_clock_not_the_wall_clock():
    replay = Replay(_finished(story()))
    replay.seek(1600)
    child = replay.rec.lanes[CHILD]
    last = replay.rec.segments(child)[-1]
    assert (last.end, last.state) == (1600, "sleeping")
    main = replay.rec.segments(replay.rec.lanes[MAIN])[-1]
    assert (main.end, main.state, main.info["on"]) == (1600, "blocked", "join")
    assert CHILD2 in replay.rec.lanes and replay.rec.lanes[CHILD2].end is None


def test_playing_forward_in_steps_equals_one_jump():
    events = story()
    stepped, jumped = Replay(_finished(events)), Replay(_finished(events))
    while not stepped.at_end:
        assert stepped.advance(37) is False, "going forward never rebuilds"
    jumped.seek(jumped.end)
    assert chrome_trace(stepped.rec) == chrome_trace(jumped.rec)


def test_scrubbing_back_rebuilds_and_forward_again_matches():
    events = story()
    replay = Replay(_finished(events))
    replay.seek(2500)
    first = replay.rec
    assert replay.seek(1400) is True and replay.rec is not first
    assert all(e[2] <= 1400 for e in replay.rec.events)
    assert _spans(replay.rec) == _spans(_live_at(events, 1400), now=1400)
    replay.seek(replay.end)
    assert replay.seek(replay.end - 1) is True, "back from the end: no longer finished"
    assert replay.rec.end_ts is None


def test_the_clock_stays_within_the_run():
    replay = Replay(_finished(story()))
    replay.seek(-5)
    assert replay.clock == replay.start
    replay.advance(10**12)
    assert replay.clock == replay.end and replay.at_end
    replay.seek_position(300)
    assert replay.clock == replay.start + 300


def test_an_empty_recording_replays_to_nothing():
    rec = Recording(t0=0)
    rec.finish(0)
    replay = Replay(rec)
    assert replay.duration == 0
    replay.advance(1000)
    assert replay.at_end and replay.rec.lanes == {}
