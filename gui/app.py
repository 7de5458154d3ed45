"""Starting the window, optionally with a run already going (a teacher's shortcut to a lesson)."""

from __future__ import annotations

from control.cli import Request
from gui.app_setup import ensure_app


def run_gui(request: Request) -> int:
    app = ensure_app(request.lang)
    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    if request.action == "run":
        start_request(window, request)
    return app.exec()


def start_request(window: object, request: Request) -> None:
    """Start what the command line asked for in ``window``."""
    spec = request.spec
    window.panel.method.setCurrentText(spec.start_method)
    window.panel.scale.setValue(spec.time_scale)
    if request.scenario is not None:
        window.panel.select(request.scenario.id)
        for name, value in request.values.items():
            window.panel.params.set_text(name, str(value))
        window.run_current()
    else:
        with open(spec.script, encoding="utf-8", errors="replace") as f:
            window.code.show_code(f.read())
        window.controller.run_script(spec)
