"""Starting the window, optionally with a run already going (a teacher's shortcut to a lesson)."""

from __future__ import annotations

from control.cli import Request
from gui.app_setup import ensure_app, set_language


def run_gui(request: Request) -> int:
    app = ensure_app(request.lang)
    from gui import settings
    from gui.main_window import MainWindow

    saved = settings.saved_language()
    if request.lang is None and saved is not None:
        set_language(saved)  # --lang, else the language chosen last time, else the system's
    window = MainWindow()
    window.show()
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
