"""One run of a watched script, seen from the app: start the runner, drain events, stop. Qt-free.

The GUI calls ``drain`` from a QTimer; the headless CLI calls it in a loop. Both feed the same
Recording. ``drain`` is bounded by frame count and by time, so a flood never freezes the caller.
What Stop signals is what the kernel shows as the run's (control/run_tree.py), never a pid an
event named: the events are the untrusted program's.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import struct
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from control.lane_ends import SeenExits, endless_lanes
from control.run_tree import RunTree
from control.standby import Standby
from model.recording import Recording
from workers.channel import MAX_FRAME, decode_frame_counted
from workers.events import K_EXITED, Event, now_ns

START_METHODS = tuple(multiprocessing.get_all_start_methods())
DEFAULT_START_METHOD = multiprocessing.get_start_method(allow_none=True) or START_METHODS[0]


@dataclass
class RunSpec:
    """What to run: a script file (a scenario is written out with its parameters first)."""

    script: str
    args: list[str] = field(default_factory=list)
    start_method: str = DEFAULT_START_METHOD
    time_scale: float = 1.0

    def as_dict(self, scratch: str = "") -> dict:
        return {
            "scratch": scratch,
            "script": self.script,
            "args": list(self.args),
            "start_method": self.start_method,
            "time_scale": self.time_scale,
        }


class Session:
    def __init__(self, spec: RunSpec, recording: Recording | None = None) -> None:
        self.spec = spec
        self.recording = recording if recording is not None else Recording()
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._reader = None
        self._pending = b""  # bytes read from the channel, not yet cut into frames
        self._at = 0  # where the next frame starts in _pending
        self.channel_open = False
        self.channel_broken = False  # the program wrote garbage into the event pipe
        self.behind = False  # the last drain stopped at its budget with frames still waiting
        self.stopped = False
        self.exit_code: int | None = None
        self._scratch: str | None = None  # per-run folder: crash reports of the watched processes
        self._tree: RunTree | None = None  # the run's processes, as the kernel shows them
        self._seen_exits = SeenExits()  # exits the app saw through the kernel (lane_ends.py)

    # ---- lifecycle ------------------------------------------------------------------------
    def start(self, standby: Standby | None = None) -> None:
        """Start the run: in ``standby``, a runner started ahead (control/standby.py), when one
        is given and still there; else in a runner started now."""
        gc.unfreeze()  # what an earlier run left frozen (Recording.add) may be garbage now
        gc.collect()
        self._scratch = tempfile.mkdtemp(prefix="mpscope-scratch-")
        spec = self.spec.as_dict(self._scratch)
        taken = standby.take(spec) if standby is not None else None
        if taken is None:
            taken = Standby().take(spec)
        if taken is None:  # a runner that ended before it was given its run
            raise OSError("the runner process could not be started")
        self._proc, self._reader = taken
        self._tree = RunTree(self._proc)
        self.channel_open = True
        self.recording.live = True

    @property
    def runner_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def running(self) -> bool:
        """True until the runner has exited, every process of the run closed the channel, and
        no process of the run that is on the timeline is alive (an exec'd child holds no
        channel, yet is the program's until it ends)."""
        if self.channel_open or (self._proc is not None and self.exit_code is None):
            return True
        return self._tree is not None and any(p in self.recording.lanes for p in self._tree.alive)

    def stop(self) -> None:
        """End the run now: every process of it the kernel shows (its group while the runner is
        unreaped, and those that left it, by pidfd); nothing else, whatever the events say."""
        self.stopped = True
        tree = self._tree
        if tree is None or self.recording.end_ts is not None:
            return
        ts = now_ns()
        killed = tree.end()
        self._take_last_frames()
        self._seen_exits.add(tree.take_ended())
        self.recording.add(self._seen_exits.due(self.recording, final=True))
        self.recording.add(endless_lanes(self.recording, ts, killed))  # the runner's too, then:
        self.recording.add(self._runner_exited())
        self.channel_open = False
        self._close_reader()
        self._finish_run()

    def _take_last_frames(self, budget_s: float = 0.05) -> None:
        """What the run wrote before it was killed (exits just before Stop), within a budget."""
        _added, chunk = self._take_frames(100_000, time.monotonic() + budget_s)
        self.recording.add(chunk, checked=True)

    def _finish_run(self) -> None:
        self.recording.finish(now_ns())
        if self._tree is not None:
            self._tree.release()
        self._remove_scratch()

    # ---- events ---------------------------------------------------------------------------
    def drain(self, max_frames: int = 2000, budget_s: float = 0.008) -> int:
        """Move what has arrived into the Recording; return how many events were added.

        Bounded by frames and by time, the time spent in the model included, so a flood never
        holds the caller (the GUI thread) for much more than ``budget_s``."""
        lanes = len(self.recording.lanes)
        collecting = gc.isenabled()
        gc.disable()  # events and model objects form no cycles: no collection scans them here
        try:
            added, chunk = self._take_frames(max_frames, time.monotonic() + budget_s)
        finally:
            if collecting:
                gc.enable()
        chunk.extend(self._observe_runner())
        self.recording.add(chunk)
        added += len(chunk)
        added += self._watch_tree(prompted=len(self.recording.lanes) > lanes)
        if not self.running() and self.recording.end_ts is None:
            self.recording.add(self._seen_exits.due(self.recording, final=True))
            self.recording.add(endless_lanes(self.recording, now_ns()))
            self._finish_run()
        return added

    def _watch_tree(self, prompted: bool) -> int:
        """A look at the run's processes now and then (sooner when new ones may have appeared);
        the ends the app saw go in once nobody in the run has reported them; how many did."""
        tree = self._tree
        if tree is None or tree.reaped:
            return 0
        tree.watch(prompted)
        self._seen_exits.add(tree.take_ended())
        events = self._seen_exits.due(self.recording)
        if events:
            self.recording.add(events)
        return len(events)

    def _take_frames(self, max_frames: int, deadline: float) -> tuple[int, list[Event]]:
        """Frames into the Recording, a chunk at a time, until none waits or time is up; how
        many events went in, and the last chunk's (not yet added)."""
        added = 0
        chunk: list[Event] = []
        self.behind = True  # unless the loop below finds nothing more waiting
        for frames in range(max_frames):
            frame = self._next_frame()
            if frame is None:
                self.behind = False
                break
            good, bad, whole = decode_frame_counted(frame)
            if bad:
                self.recording.count_unread(bad, whole)
            chunk.extend(good)
            if len(chunk) >= ADD_CHUNK or frames % 8 == 7:
                self.recording.add(chunk, checked=True)
                added, chunk = added + len(chunk), []
                if time.monotonic() >= deadline:
                    break
        return added, chunk

    def _next_frame(self) -> bytes | None:
        """The next frame if one is waiting; None when none is (or the channel has closed)."""
        if not self.channel_open:
            return None
        frame = self._cut_frame()
        if frame is None and self.channel_open and self._read_more():
            frame = self._cut_frame()
        return frame

    def _cut_frame(self) -> bytes | None:
        """A whole frame from what was read, if there is one. Frames are written as
        ``Connection.send_bytes`` writes them: a 4-byte big-endian length, then the bytes."""
        pending, at = self._pending, self._at
        if len(pending) - at < 4:
            return None
        (size,) = _HEADER.unpack_from(pending, at)
        if not 0 <= size <= MAX_FRAME:  # longer than any the tracer writes: the stream is garbage
            self.channel_broken = self.recording.channel_broken = True
            self._end_channel()
            return None
        end = at + 4 + size
        if end > len(pending):
            return None
        self._at = end
        return pending[at + 4 : end]

    def _read_more(self) -> bool:
        """Read what the channel holds, many frames per read (one read per frame woke a blocked
        writer per frame); False if nothing was waiting, or the channel has closed."""
        reader = self._reader
        try:
            if not reader.poll(0):
                return False
            data = os.read(reader.fileno(), READ_BYTES)
        except OSError:
            data = b""
        if not data:  # every writer closed its end (a partial frame left is counted, dropped)
            if self._at < len(self._pending):
                self.recording.count_unread(1, whole_frame=True)
            self._end_channel()
            return False
        self._pending = self._pending[self._at :] + data if self._at < len(self._pending) else data
        self._at = 0
        return True

    def _end_channel(self) -> None:
        self.channel_open = False
        self._pending, self._at = b"", 0
        self._close_reader()

    def _observe_runner(self) -> list[Event]:
        """The runner is our child: its exit is observed here, like any parent observes a child,
        without reaping it (its number keeps naming the run's group until the run is over)."""
        exited = self._runner_exited()
        killed = exited and self.exit_code is not None and self.exit_code < 0
        if killed and self._tree is not None:  # the rest of its run must not outlive it
            self._tree.end(wait=False)
        return exited

    def _runner_exited(self) -> list[Event]:
        """The runner's exit, once, when it has exited (``waitid(WNOWAIT)``: not reaped)."""
        tree = self._tree
        if tree is None or self.exit_code is not None:
            return []
        code = tree.runner_exit()
        if code is None:
            return []
        self.exit_code = code
        data = {"code": code, "by": os.getpid(), "zombie": False}
        return [(K_EXITED, tree.runner, now_ns(), 0, data)]

    def wait_finished(self, timeout: float | None = None, tick: float = 0.01) -> bool:
        """Headless: drain until the run is over (or ``timeout``); True if it ended by itself."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.running():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            if self.drain() == 0:
                self._wait_readable(tick)
        return True

    def _wait_readable(self, tick: float) -> None:
        """Until the channel or the runner's exit has something to say, or ``tick`` s."""
        handles: list = [self._reader] if self._reader is not None else []
        tree = self._tree
        if self.exit_code is None and tree is not None and tree.runner_fd is not None:
            handles.append(tree.runner_fd)  # readable once the runner has exited, reaped or not
        if self.channel_open and handles:
            wait(handles, tick)
        else:
            time.sleep(tick)

    def _remove_scratch(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None


READ_BYTES = 1 << 18  # read at most this much of the channel at a time
_HEADER = struct.Struct("!i")
ADD_CHUNK = 500  # events handed to the Recording at a time, between checks of the time budget
