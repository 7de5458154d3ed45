"""Runs a Session from the GUI: a QTimer drains the event channel in bounded batches.

One ``updated`` signal per tick (never one per event) tells the views to refresh.
"""

from __future__ import annotations

import shutil
import tempfile

from PySide6.QtCore import QObject, QTimer, Signal

from control.session import RunSpec, Session
from model import catalog
from model.recording import Recording

TICK_MS = 16  # ~60 Hz: an event reaches the screen within a frame or two


class RunController(QObject):
    started = Signal()
    updated = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        self._folder: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

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

    def _start(self, spec: RunSpec) -> None:
        self.session = Session(spec)
        self.session.start()
        self._timer.start()
        self.started.emit()

    def _tick(self) -> None:
        session = self.session
        if session is None:
            return
        session.drain()
        self.updated.emit()
        if not session.running():
            self._timer.stop()
            self.finished.emit()

    def stop(self) -> None:
        """End the current run at once; what was recorded stays."""
        session = self.session
        if session is not None and self._timer.isActive():
            self._timer.stop()
            session.stop()
            session.drain()
            self.updated.emit()
            self.finished.emit()

    def _new_folder(self) -> None:
        self._remove_folder()
        self._folder = tempfile.mkdtemp(prefix="mpscope-run-")

    def _remove_folder(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def shutdown(self) -> None:
        self.stop()
        self._remove_folder()
