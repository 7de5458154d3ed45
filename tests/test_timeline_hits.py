"""Pointing at the timeline: the marker or message end under the pointer is found (message ends
are points of the MessageBook, made a Marker from their event when hit), its tooltip says what
it is, and a click names its event for the event log."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from gui import texts
from gui.theme import PRINT_OFFSET
from gui.timeline_view import HIT_PX
from model.recording import Recording

MS = 1_000_000
CH = {"ch": "q1"}


def _run() -> Recording:
    rec = Recording(t0=0)
    rec.add(
        [
            ("started", 10, 0, 0, {"name": "MainProcess"}),
            ("started", 11, 5 * MS, 0, {"name": "Process-1", "parent": 10, "ppid": 10}),
            ("msg", 10, 6 * MS, 3, {"phase": "channel", "kind": "Queue", "name": "q", **CH}),
            ("print", 11, 300 * MS, 7, {"stream": 1, "text": "hello"}),
            ("msg", 11, 500 * MS, 4, {"phase": "send", "mid": "a", "payload": "41", **CH}),
            ("msg", 11, 520 * MS, 4, {"phase": "send", "mid": "b", "payload": "42", **CH}),
            ("msg", 10, 800 * MS, 5, {"phase": "recv", "mid": "a", "how": "get", **CH}),
        ]
    )
    rec.finish(1000 * MS)
    return rec


@pytest.fixture
def view(qtbot):
    from gui.timeline_view import TimelineView

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    view.set_recording(_run())
    view.refresh()
    qtbot.waitExposed(view)
    return view


def _at(view, seconds: float, pid: int, above: float = 0.0) -> QPointF:
    return view.vb.mapViewToScene(QPointF(seconds, view._rows.index(pid) + above))


def _index(rec: Recording, phase: str, mid: str) -> int:
    return next(
        i
        for i in range(len(rec.events))
        if rec.event(i)[0] == "msg"
        and rec.event(i)[4].get("phase") == phase
        and rec.event(i)[4].get("mid") == mid
    )


def test_a_send_and_a_receive_under_the_pointer_are_found_from_their_events(view):
    rec = view.rec
    assert not [m for lane in rec.lanes.values() for m in lane.markers if m.kind == "send"]
    lane, marker, _seg = view._hit(_at(view, 0.5, 11))
    assert lane.pid == 11 and marker.kind == "send"
    assert marker.index == _index(rec, "send", "a") and marker.data["payload"] == "41"
    lane, marker, _seg = view._hit(_at(view, 0.8, 10))
    assert lane.pid == 10 and marker.kind == "recv" and marker.index == _index(rec, "recv", "a")
    px = view.vb.viewPixelSize()[0]
    _lane, marker, _seg = view._hit(_at(view, 0.52 + 3 * px, 11))  # a few pixels off
    assert marker.kind == "send" and marker.data["mid"] == "b"
    _lane, marker, _seg = view._hit(_at(view, 0.3, 11, PRINT_OFFSET))
    assert marker.kind == "print", "lane markers are still found beside message ends"
    _lane, marker, _seg = view._hit(_at(view, 0.65, 11))
    assert marker is None, "between the points there is no marker, only the lane"
    rec.add([("msg", 11, 900 * MS, 4, {"phase": "send", "mid": "c", "payload": "43", **CH})])
    assert len(rec.messages.points_of(11)[0]) == 3, "a hover leaves the points free to grow"


def test_the_tooltip_of_a_send_says_what_it_carried_and_who_received_it(view):
    rec = view.rec
    lane, marker, _seg = view._hit(_at(view, 0.5, 11))
    text = texts.message_text(rec, lane, marker.kind, marker.data)
    assert "Process-1 (pid 11)" in text and "Queue q" in text
    assert "41" in text and "MainProcess" in text and "0.800" in text
    lane, marker, _seg = view._hit(_at(view, 0.52, 11))
    assert "42" in texts.message_text(rec, lane, marker.kind, marker.data)
    assert texts.tr("not received (yet)") in texts.message_text(rec, lane, marker.kind, marker.data)


def test_a_click_on_a_message_end_names_its_event(view, qtbot):
    class Click:
        def __init__(self, pos: QPointF) -> None:
            self._pos = pos

        def scenePos(self) -> QPointF:  # noqa: N802 (Qt name)
            return self._pos

    with qtbot.waitSignal(view.eventClicked, timeout=1000) as clicked:
        view._on_click(Click(_at(view, 0.8, 10)))
    assert clicked.args == [_index(view.rec, "recv", "a")]


def test_the_unreceived_send_is_drawn_over_in_its_end_style_with_its_event(view):
    items = view.marker_layer._items
    assert [tuple(p["data"]) for p in items["unreceived"].data] == [
        (11, _index(view.rec, "send", "b"))
    ]
    assert len(items["send"].data) == 1 and len(items["recv"].data) == 1


def test_of_two_message_ends_within_reach_the_nearest_is_found(view, qtbot):
    view.set_follow(False)
    view.vb.setXRange(0, 20, padding=0)  # 0.02 s apart: both within HIT_PX of either
    view.vb.prepareForPaint()
    qtbot.wait(10)
    assert HIT_PX * view.vb.viewPixelSize()[0] > 0.02
    assert view._hit(_at(view, 0.503, 11))[1].data["mid"] == "a"
    assert view._hit(_at(view, 0.517, 11))[1].data["mid"] == "b"
