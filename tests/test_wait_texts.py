"""What a bar and its hover say about sleeps and waits, in both languages (Qt-free wording)."""

from __future__ import annotations

import pytest

from gui import texts
from model.recording import Lane, Segment


def _seg(state: str, **info: object) -> Segment:
    return Segment(0, 1_000_000_000, state, dict(info))


@pytest.mark.parametrize(
    ("secs", "label"),
    [(3.0, "sleep(3)"), (0.23489281373, "sleep(0.2349)"), (1e-05, "sleep(1e-05)")],
)
def test_sleep_labels_show_the_number_as_a_person_reads_it(secs, label):
    assert texts.bar_label(_seg("sleeping", on="sleep", secs=secs)) == label


def test_waits_on_primitives_and_proxies_are_named_on_the_bar_and_in_the_hover():
    lane = Lane(pid=7, name="Process-1")
    lock = _seg("blocked", on="Lock.acquire", timeout=2.0, line=12)
    assert texts.bar_label(lock) == "Lock.acquire()"
    hover = texts.segment_text(lane, lock, {})
    assert "Lock.acquire()" in hover and "12" in hover and "2.0" in hover
    proxy = _seg("blocked", on="dict.__setitem__", proxy=True, line=5)
    assert texts.bar_label(proxy) == "dict.__setitem__()"
    assert "dict.__setitem__()" in texts.segment_text(lane, proxy, {})
    gave_up = _seg("running", after="Event.wait", result="timeout")
    assert "Event.wait() gave up" in texts.segment_text(lane, gave_up, {})
