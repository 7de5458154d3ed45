"""Starting the window, optionally with a run already going (a teacher's shortcut to a lesson)."""

from __future__ import annotations

import os
import sys
import tempfile

from control.cli import Request
from gui.app_setup import ROOT, ensure_app, set_language

ICON_DIR = os.path.join(ROOT, "resources", "icons")
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
SMOKE_TIMEOUT_S = 60
STANDBY_AFTER_MS = 300  # a runner kept ready for the next Run (control/standby.py), started then


def set_app_icon(app: object) -> None:
    """The window icon (every window and the task bar), from the PNGs of resources/icons."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in ICON_SIZES:
        path = os.path.join(ICON_DIR, f"mpscope-{size}.png")
        if os.path.isfile(path):
            icon.addFile(path)
    if not icon.isNull():
        app.setWindowIcon(icon)


def run_gui(request: Request) -> int:
    from gui import qt_messages

    qt_messages.quiet()  # the terminal that started the window hears nothing of Qt's internals
    app = ensure_app(request.lang)
    set_app_icon(app)
    from PySide6.QtCore import QTimer

    from gui import settings
    from gui.main_window import MainWindow

    saved = settings.saved_language()
    if request.lang is None and saved is not None:
        set_language(saved)  # --lang, else the language chosen last time, else the system's
    window = MainWindow()
    window.show()
    # once the window is on screen: starting a process then would only delay its first paint
    QTimer.singleShot(STANDBY_AFTER_MS, window.controller.keep_runner_ready)
    if request.action in ("run", "open"):
        start_request(window, request)
    return app.exec()


def start_request(window: object, request: Request) -> None:
    """Start what the command line asked for in ``window``."""
    if request.action == "open":
        window.files.open_recording(request.recording)
        return
    spec = request.spec
    window.panel.method.setCurrentText(spec.start_method)
    window.panel.scale.setValue(spec.time_scale)
    if request.scenario is not None:
        window.panel.select(request.scenario.id)
        window.panel.params.set_params(request.scenario.params)  # defaults, not remembered values
        for name, value in request.values.items():
            window.panel.params.set_text(name, str(value))
        window.run_current()
    else:
        window.open_script(spec.script, spec.args)


def run_smoke(request: Request) -> int:
    """``--smoke``: open the window, run a short scenario through its Run path to the end, check
    the recording has lanes with exit codes, close; 0, or 1 with one line on stderr."""
    from gui import qt_messages

    qt_messages.quiet()  # its one line, not Qt's notes
    with tempfile.TemporaryDirectory(prefix="mpscope-smoke-") as folder:
        saved = os.environ.get("MPSCOPE_CONFIG_DIR")
        os.environ["MPSCOPE_CONFIG_DIR"] = folder  # never the user's remembered settings
        try:
            problem = _smoke(request)
        finally:
            if saved is None:
                os.environ.pop("MPSCOPE_CONFIG_DIR", None)
            else:
                os.environ["MPSCOPE_CONFIG_DIR"] = saved
    if problem:
        print(f"mpscope: smoke test failed: {problem}", file=sys.stderr)
        return 1
    print("mpscope: smoke test passed")
    return 0


def _smoke(request: Request) -> str | None:
    from PySide6.QtCore import QTimer

    from gui.main_window import MainWindow

    app = ensure_app(request.lang)
    set_app_icon(app)
    window = MainWindow()
    window.show()
    window.controller.keep_runner_ready()  # the run below then starts in it, as a Run would
    outcome = {"problem": f"the run did not finish within {SMOKE_TIMEOUT_S} s"}

    def finished() -> None:
        outcome["problem"] = smoke_problem(window)
        QTimer.singleShot(0, app.quit)

    window.controller.finished.connect(finished)
    QTimer.singleShot(SMOKE_TIMEOUT_S * 1000, app.quit)
    QTimer.singleShot(0, lambda: start_request(window, request))
    app.exec()
    window.close()
    return outcome["problem"]


def smoke_problem(window: object) -> str | None:
    """What is wrong with the run the smoke test just finished, or None."""
    session, rec = window.controller.session, window.controller.recording
    if session is None or rec is None:
        return "no run started"
    if session.exit_code != 0:
        return f"the scenario ended with exit code {session.exit_code}"
    if len(rec.lanes) < 2:
        return f"expected a parent and a child lane, got {len(rec.lanes)}"
    # a fork server's lane (forkserver) has no exit code: only its parent could read it
    missing = [lane.pid for lane in rec.lanes.values() if lane.exitcode is None and not lane.helper]
    if missing:
        return f"no exit code recorded for pid(s) {missing}"
    return None
