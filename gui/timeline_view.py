"""The live timeline: one lane per real process, states as bars, lifecycle and prints as markers.

``refresh`` is called once per drain tick and only rebuilds lanes whose events changed or that
are still open (their last bar grows with time); markers are one ScatterPlotItem for all lanes.
"""

from __future__ import annotations

import bisect

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QCursor, QFont
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from gui import texts
from gui.legend import Legend
from gui.marker_layer import MarkerLayer, marker_near
from gui.message_layer import MessageLayer
from gui.state_boxes import StateBoxes
from gui.theme import (
    LANE_HALF_HEIGHT,
    LIGHT,
    TASK_HALF_HEIGHT,
    Palette,
    task_key,
)
from gui.time_grid import TimeGrid
from model.messages import Channel
from model.recording import Lane, Marker, Recording, Segment, tail_start
from model.tasks import Task
from workers.events import ON_POOL_IDLE, S_UNRECORDED

HIT_PX = 7
MESSAGE_ENDS = ("send", "recv", "fail")  # hovered, they say what the message carried
MIN_VISIBLE_LANES = 4  # a run of two processes does not get bars half a screen high
RIGHT_ROOM = 1.13  # room right of the last event (a live run's lanes grow into it)
LABEL_MARGIN_PX = 8  # between an exit label and the view's right edge
MAX_LABEL_SHARE = 0.5  # exit labels never take more than this share of the view's width
LABEL_AXIS_WIDTH = 190


def _open_end(rec: Recording, lane: Lane, now: int) -> int:
    """Where a lane's last box ends now: its exit, else the clock (it is still going)."""
    if lane.end is None:
        return now
    return rec.reaped_at(lane, now) if lane.can_be_zombie else lane.end


def _cut_pending(lane: Lane, segs: list[Segment]) -> bool:
    """Past the detail limit, a running lane's "not recorded" span begins at the clock: it is not
    drawn yet (no width), so the lane must be looked at again."""
    if lane.unrecorded_from is None or lane.end is not None:
        return False
    return not segs or segs[-1].state != S_UNRECORDED


def box_key(seg: Segment) -> str:
    """The colour of a state bar: a pool worker waiting for work is idle, not blocked."""
    if seg.state == "blocked" and seg.info.get("on") == ON_POOL_IDLE:
        return "idle"
    return seg.state


class TimelineView(QWidget):
    eventClicked = Signal(int)
    followChanged = Signal(bool)

    def __init__(self, palette: Palette = LIGHT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.palette_ = palette
        self.rec: Recording | None = None
        self._follow = True
        self._rows: list[int] = []
        self.show_helpers = True  # multiprocessing's fork server and resource tracker lanes
        self._versions: dict[int, int] = {}
        self._segments: dict[int, list[Segment]] = {}
        self._exit_signature: tuple | None = None
        self._finished = False
        # per worker: (tasks settled, their boxes, boxes drawn); settled tasks (started and
        # ended) are drawn for good, the rest again on each refresh
        self._tasks_drawn: dict[int, tuple[int, int, int]] = {}
        self._known: dict[int, int] = {}  # transitions each lane's segments were made from
        self._exit_labels: list[pg.TextItem] = []
        self._build(palette)

    # ---- construction ---------------------------------------------------------------------
    def _build(self, palette: Palette) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.title = QLabel()
        self.title.setVisible(False)
        self.legend = Legend()
        self.plot = pg.PlotWidget(background=palette.background)
        layout.addWidget(self.title)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        self._setup_plot(palette)

    def _setup_plot(self, palette: Palette) -> None:
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        self.vb = item.getViewBox()
        self.grid = TimeGrid(item.getAxis("bottom"))
        self.grid.set_color(palette.foreground, palette.grid)
        item.addItem(self.grid, ignoreBounds=True)
        self.vb.invertY(True)
        self.vb.setMouseEnabled(x=True, y=False)
        self.vb.sigRangeChangedManually.connect(self._user_moved)
        self.vb.sigResized.connect(self._refit)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(palette.foreground))
            axis.setTextPen(pg.mkPen(palette.foreground))
        item.getAxis("left").setWidth(LABEL_AXIS_WIDTH)
        item.getAxis("bottom").enableAutoSIPrefix(False)
        self.boxes = StateBoxes()
        self.task_boxes = StateBoxes(TASK_HALF_HEIGHT)
        self.cursor_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(palette.highlight, width=2))
        self.cursor_line.setVisible(False)
        self.ring = pg.ScatterPlotItem(
            pxMode=True, symbol="o", size=22, brush=None, pen=pg.mkPen(palette.highlight, width=3)
        )
        for it in (self.boxes, self.task_boxes, self.cursor_line, self.ring):
            item.addItem(it)
        self.messages = MessageLayer(item)
        self.marker_layer = MarkerLayer(item)
        self._queue_rows: list[str] = []
        self._ticks: list[tuple[int, str]] = []
        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self._on_hover)
        scene.sigMouseClicked.connect(self._on_click)
        self._set_axis_label()

    def retranslate(self) -> None:
        """Legend, axis, lane names, bar and exit labels in the current language; the view stays."""
        self._set_axis_label()
        self.legend.retranslate()
        self._ticks = []
        self._versions.clear()
        self._segments.clear()  # bar labels in the new language: redraw every lane
        self._exit_signature = None
        self.marker_layer.clear()
        self.refresh()

    def _set_axis_label(self) -> None:
        self.plot.getPlotItem().setLabel("bottom", texts.tr("time since start (s)"))

    def set_fonts(self, point_size: int) -> None:
        font = QFont(self.font())
        font.setPointSize(point_size)
        for name in ("left", "bottom"):
            self.plot.getPlotItem().getAxis(name).setStyle(tickFont=font)
        self.legend.set_point_size(point_size)

    # ---- data -----------------------------------------------------------------------------
    def set_show_helpers(self, on: bool) -> None:
        """Show or fold multiprocessing's helper processes (fork server, resource tracker)."""
        if on != self.show_helpers:
            self.show_helpers = on
            if self.rec is not None:
                self.set_recording(self.rec)  # rows change: every layer is laid out again

    def set_recording(self, rec: Recording) -> None:
        self.rec = rec
        self._rows, self._versions, self._segments = [], {}, {}
        self._exit_signature = None
        self._tasks_drawn.clear()
        self.boxes.clear_lanes()
        self.task_boxes.clear_lanes()
        self.messages.clear()
        self._queue_rows = []
        self.marker_layer.clear()
        self.ring.clear()
        self.cursor_line.setVisible(False)
        self.set_follow(True)
        self.refresh()

    def refresh(self) -> None:
        rec = self.rec
        if rec is None:
            return
        lanes = [lane for lane in rec.ordered_lanes() if self.show_helpers or not lane.helper]
        pids = [lane.pid for lane in lanes]
        queues = self.messages.queue_channels(rec)
        finished = rec.end_ts is not None
        relayout = pids != self._rows or [q.ch for q in queues] != self._queue_rows
        # a lane that changed row: every layer is drawn anew; new lanes and queues below the
        # others only move the depth rows (in a Run of bench/overhead.py's workload, drawing
        # 20,000 tasks and their markers again when the Queue's producer appeared took 30 ms)
        moved = pids[: len(self._rows)] != self._rows
        if finished != self._finished:  # every open span ends now: draw all lanes once more
            self._finished = finished
            self._versions.clear()
        if relayout:
            self._rows, self._queue_rows = pids, [q.ch for q in queues]
        if moved:
            self._versions.clear()
            self._segments.clear()  # every lane is drawn anew, not appended to
            self.boxes.clear_lanes()
        self._update_lane_axis(lanes, queues)
        changed = self._update_boxes(rec, lanes)
        if changed or relayout:
            self.boxes.commit()
        self._update_tasks(rec, force=moved)
        rows = {pid: row for row, pid in enumerate(self._rows)}
        self.marker_layer.update(rec, rows, self._x, force=moved)
        self._update_exit_labels(lanes)
        self.messages.update(rec, rows, len(lanes), self._x, force=moved, relayout=relayout)
        total = len(lanes) + len(queues)
        self.vb.setYRange(-0.8, max(total, MIN_VISIBLE_LANES) - 0.2, padding=0)
        if self._follow:
            self._follow_now(rec)
        # The new range's transform now, not in the paint: the markers' items change geometry
        # when it changes, and a change inside a paint makes Qt paint the whole plot twice
        self.vb.prepareForPaint()

    def _update_boxes(self, rec: Recording, lanes: list[Lane]) -> bool:
        """Rebuild the lanes that got events; stretch the last box of the others still open."""
        changed = False
        now = rec.now()
        for row, lane in enumerate(lanes):
            if self._versions.get(lane.pid) == lane.version and self._segments.get(lane.pid):
                if rec.end_ts is None and lane.joined is None:
                    self.boxes.extend_last(row, self._x(_open_end(rec, lane, now)))
                    changed = True
                continue
            if not self._append_tail(rec, lane, row, now):
                segs = rec.segments(lane, now)
                self._segments[lane.pid] = segs
                self.boxes.set_lane(row, [self._box(s) for s in segs])
            # a state change stamped at (or after) "now" is not drawn yet: look again next time
            drawn = bisect.bisect_left(lane.transitions, now, key=lambda t: t[0])
            self._known[lane.pid] = drawn
            if drawn == len(lane.transitions) and not _cut_pending(lane, self._segments[lane.pid]):
                self._versions[lane.pid] = lane.version
            changed = True
        return changed

    def _append_tail(self, rec: Recording, lane: Lane, row: int, now: int) -> bool:
        """A running process that only changed state: redo its last box and what follows, not
        the whole lane (a lane with 100k state changes would cost its all every tick)."""
        old = self._segments.get(lane.pid)
        start = tail_start(old) if old else None
        if start is None:
            return False
        tail = rec.segments_tail(lane, self._known.get(lane.pid, 0), old[start].start, now)
        if tail is None:
            return False
        self.boxes.replace_tail(row, len(old) - start, [self._box(s) for s in tail])
        old[start:] = tail
        return True

    def _box(self, s: Segment) -> tuple[float, float, str, str]:
        return (self._x(s.start), self._x(s.end), box_key(s), texts.bar_label(s))

    def _update_tasks(self, rec: Recording, force: bool) -> None:
        """Each Pool task a box on the lane of the worker that ran it, labelled with its call.
        A worker's tasks up to its first unended one are settled and stay drawn; only those
        after are drawn again (a worker runs one task at a time: its last one or two).
        Redrawing every task on each refresh grew with the run: 32 ms a refresh (median, 90
        max) as 100,000 tasks came in, against 1.5 ms (bench/scale.py, "live")."""
        if force:
            self._tasks_drawn.clear()
        book, x, now, changed = rec.tasks, self._x, rec.now(), force
        for row, pid in enumerate(self._rows):
            tasks = book.by_worker.get(pid, ())
            settled, first_box, drawn = self._tasks_drawn.get(pid, (0, 0, 0))
            if settled == len(tasks) and drawn == first_box and not force:
                continue  # nothing new, nothing open
            boxes, settled_boxes = [], first_box
            for i in range(settled, len(tasks)):
                t = tasks[i]
                if t.start is not None:
                    ok = False if rec.task_died_with(t) is not None else t.ok
                    boxes.append((x(t.start), x(rec.task_end(t, now)), task_key(t.job, ok), t.call))
                if i == settled and t.end is not None:
                    settled, settled_boxes = i + 1, first_box + len(boxes)
            if force:
                self.task_boxes.set_lane(row, boxes)
            else:
                self.task_boxes.replace_tail(row, drawn - first_box, boxes)
            self._tasks_drawn[pid] = (settled, settled_boxes, first_box + len(boxes))
            changed = True
        if changed:
            self.task_boxes.commit()

    def _update_exit_labels(self, lanes: list[Lane]) -> None:
        signature = tuple((lane.pid, lane.end, lane.exitcode) for lane in lanes)
        if signature == self._exit_signature:
            return
        self._exit_signature = signature
        for label in self._exit_labels:
            self.plot.removeItem(label)
        self._exit_labels = []
        for row, lane in enumerate(lanes):
            if lane.end is None or lane.exitcode is None:
                continue
            label = pg.TextItem(
                texts.exit_code_text(lane.exitcode), color=self.palette_.foreground, anchor=(0, 0)
            )
            label.setPos(self._x(lane.end), row + LANE_HALF_HEIGHT - 0.05)
            self.plot.addItem(label)
            self._exit_labels.append(label)

    def _update_lane_axis(self, lanes: list[Lane], queues: list[Channel]) -> None:
        ticks = [(row, texts.lane_label(lane)) for row, lane in enumerate(lanes)]
        ticks += [(len(lanes) + i, texts.depth_label(q)) for i, q in enumerate(queues)]
        if ticks == self._ticks:
            return  # a lane's label changes when its own start arrives (name, ppid)
        self._ticks = ticks
        self.plot.getPlotItem().getAxis("left").setTicks([ticks, []])

    def _ts(self, x: float) -> int:
        return int(self.rec.t0 + x * 1e9) if self.rec is not None else 0

    def _x(self, ts: int) -> float:
        return (ts - self.rec.t0) / 1e9 if self.rec is not None else 0.0

    # ---- follow, zoom ---------------------------------------------------------------------
    def set_follow(self, on: bool) -> None:
        if on != self._follow:
            self._follow = on
            self.followChanged.emit(on)
        if on and self.rec is not None:
            self._follow_now(self.rec)

    def _follow_now(self, rec: Recording) -> None:
        if not rec.events:
            return
        last = rec.now() if rec.end_ts is None else rec.last_ts  # a finished run: its last event
        right = max(self._x(last), 0.5)
        self.vb.setXRange(0.0, max(right * RIGHT_ROOM, self._room_for_exit_labels()), padding=0)

    def _room_for_exit_labels(self) -> float:
        """The right end of the x range that shows every exit label whole: a label is as wide
        in pixels at any zoom, and a long one ("killed by SIGSEGV (exit code -11)", longer in
        Chinese) was cut at the window's edge by a fixed margin."""
        width = self.vb.width()
        right = 0.0
        for label in self._exit_labels:
            share = (label.textItem.boundingRect().width() + LABEL_MARGIN_PX) / max(width, 1.0)
            if share < MAX_LABEL_SHARE:  # else a window too narrow for it: keep the lanes
                right = max(right, label.pos().x() / (1.0 - share))
        return right

    def _refit(self, *_args: object) -> None:
        """A new width: exit labels take another share of it (their size is in pixels)."""
        if self._follow and self.rec is not None:
            self._follow_now(self.rec)

    def zoom_to_fit(self) -> None:
        self.set_follow(self.rec is None or self.rec.end_ts is None)
        if self.rec is not None:
            self._follow_now(self.rec)

    def _user_moved(self, *args: object) -> None:
        self.set_follow(False)

    # ---- highlight and hit-testing --------------------------------------------------------
    def highlight_event(self, index: int) -> None:
        rec = self.rec
        if rec is None or not (0 <= index < len(rec.events)):
            return
        pid, ts = rec.events.pid(index), rec.events.ts(index)
        x = self._x(ts)
        self.cursor_line.setPos(x)
        self.cursor_line.setVisible(True)
        row = self._rows.index(pid) if pid in self._rows else None
        self.ring.setData([{"pos": (x, row)}] if row is not None else [])
        x0, x1 = self.vb.viewRange()[0]
        if not (x0 <= x <= x1):
            self.set_follow(False)
            half = (x1 - x0) / 2
            self.vb.setXRange(x - half, x + half, padding=0)

    def _task_at(self, lane: Lane, row: int, x: float, y: float) -> Task | None:
        if self.rec is None or abs(y - row) > TASK_HALF_HEIGHT:
            return None
        ts = self.rec.t0 + x * 1e9
        now = self.rec.now()
        for t in self.rec.tasks.by_worker.get(lane.pid, ()):
            if t.start is not None and t.start <= ts <= self.rec.task_end(t, now):
                return t
        return None

    def _hit(self, scene_pos: QPointF) -> tuple[Lane, Marker | None, Segment | None] | None:
        if self.rec is None or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        row = int(round(p.y()))
        if not (0 <= row < len(self._rows)):
            return None
        lane = self.rec.lanes[self._rows[row]]
        px = self.vb.viewPixelSize()
        marker = marker_near(self.rec, lane, row, p.x(), p.y(), px, self._ts, HIT_PX)
        if marker is not None:
            return lane, marker, None
        if abs(p.y() - row) <= LANE_HALF_HEIGHT:
            return lane, None, self._segment_at(lane, p.x())
        return None

    def _segment_at(self, lane: Lane, x: float) -> Segment | None:
        segs = self._segments.get(lane.pid, [])
        ts = self.rec.t0 + x * 1e9
        i = bisect.bisect_right(segs, ts, key=lambda s: s.start) - 1
        if 0 <= i < len(segs) and segs[i].end >= ts:
            return segs[i]
        return None

    def _names(self) -> dict[int, str]:
        return {pid: lane.name for pid, lane in self.rec.lanes.items()} if self.rec else {}

    def _on_hover(self, scene_pos: QPointF) -> None:
        hit = self._hit(scene_pos)
        if hit is None:
            QToolTip.hideText()
            return
        lane, marker, seg = hit
        p = self.vb.mapSceneToView(scene_pos)
        task = (
            None
            if marker is not None
            else self._task_at(lane, self._rows.index(lane.pid), p.x(), p.y())
        )
        if task is not None:
            text = texts.task_text(self.rec, task)
        elif marker is not None and marker.kind in MESSAGE_ENDS:
            text = texts.message_text(self.rec, lane, marker.kind, marker.data)
        elif marker is not None:
            text = texts.marker_text(lane, marker.kind, marker.data, self._names())
        elif seg is not None:
            text = texts.segment_text(lane, seg, self._names())
        else:
            text = texts.lane_label(lane)
        QToolTip.showText(QCursor.pos(), text, self.plot)

    def _on_click(self, event: object) -> None:
        hit = self._hit(event.scenePos())
        if hit is not None and hit[1] is not None:
            self.eventClicked.emit(hit[1].index)
