"""Runs a Session from the GUI: a QTimer drains the event channel in bounded batches.

One ``updated`` signal per tick (never one per event) tells the views to refresh.
"""

from __future__ import annotations

import shutil
import tempfile
import time

from PySide6.QtCore import QObject, QTimer, Signal

from control.session import RunSpec, Session
from control.standby import Standby
from model import catalog
from model.recording import Recording

TICK_MS = 16  # ~60 Hz: an event reaches the screen within a frame or two
REFRESH_BEHIND_MS = 50  # while the drain is behind (a flood), the views refresh this often and
# the timer drains back to back in between: a refresh and its paint after every 8 ms drain left
# a third of the window's time to draining (bench/overhead.py: a Run in the window 4.5x -> 3.0x)


class RunController(QObject):
    started = Signal()
    updated = Signal()
    finished = Signal()
    failed = Signal(str)  # the run could not start: the system's reason

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        self._folder: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._keep_ready = False
        self._standby: Standby | None = None
        self._refreshed = 0.0  # time.monotonic() of the last ``updated``

    @property
    def recording(self) -> Recording | None:
        return self.session.recording if self.session is not None else None

    def running(self) -> bool:
        return self.session is not None and self._timer.isActive()

    def run_scenario(
        self, scenario: catalog.Scenario, values: dict, method: str, scale: float
    ) -> str:
        """Start a scenario with these values; return the code that runs (for the code panel)."""
        self.stop()
        self._new_folder()
        script = catalog.write_run_copy(scenario, values, self._folder)
        self._start(RunSpec(script, [], method, scale))
        return catalog.substitute(scenario, values)

    def run_script(self, spec: RunSpec) -> None:
        self.stop()
        self._start(spec)

    @property
    def standby(self) -> Standby | None:
        """The runner the next run will start in, if one is kept ready."""
        return self._standby

    def keep_runner_ready(self) -> None:
        """From now on keep a runner on standby (control/standby.py), so a Run starts at once;
        a new one is started after each run ends. The window does this when it shows."""
        self._keep_ready = True
        if not self.running():  # else after the run: never share the CPU with one
            self._prepare_standby()

    def _prepare_standby(self) -> None:
        if self._keep_ready and self._standby is None:
            self._standby = Standby()

    def _start(self, spec: RunSpec) -> None:
        standby, self._standby = self._standby, None
        session = Session(spec)
        try:
            session.start(standby)
        except OSError as err:  # no process could be started (the system's process limit)
            self.failed.emit(str(err))
            return
        self.session = session
        self._timer.start(TICK_MS)
        self.started.emit()

    def _ended(self) -> None:
        self._timer.stop()
        self.finished.emit()
        self._prepare_standby()  # after the run, never during it: it would share the CPU

    def _tick(self) -> None:
        """Drain, then refresh the views; behind a flood, drain back to back (each drain is
        bounded, so the event loop still runs between them) and refresh every
        REFRESH_BEHIND_MS."""
        session = self.session
        if session is None:
            return
        session.drain()
        running = session.running()
        behind = session.behind and running
        self._timer.setInterval(0 if behind else TICK_MS)
        now = time.monotonic()
        if not behind or now - self._refreshed >= REFRESH_BEHIND_MS / 1000:
            self._refreshed = now
            self.updated.emit()
        if not running:
            self._ended()

    def stop(self) -> None:
        """End the current run at once; what was recorded stays."""
        session = self.session
        if session is not None and self._timer.isActive():
            self._timer.stop()
            session.stop()
            session.drain()
            self.updated.emit()
            self._ended()

    def _new_folder(self) -> None:
        self._remove_folder()
        self._folder = tempfile.mkdtemp(prefix="mpscope-run-")

    def _remove_folder(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def shutdown(self) -> None:
        self._keep_ready = False
        self.stop()
        self._remove_folder()
        if self._standby is not None:
            self._standby.close()
            self._standby = None
