"""Starting the window, optionally with a run already going (a teacher's shortcut to a lesson)."""

from __future__ import annotations

from control.cli import Request
from gui.app_setup import ensure_app


def run_gui(request: Request) -> int:
    app = ensure_app(request.lang)
    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    if request.action in ("run", "open"):
        start_request(window, request)
    return app.exec()


def start_request(window: object, request: Request) -> None:
    """Start what the command line asked for in ``window``."""
    if request.action == "open":
        show_recording_file(window, request.recording)
        return
    spec = request.spec
    window.panel.method.setCurrentText(spec.start_method)
    window.panel.scale.setValue(spec.time_scale)
    if request.scenario is not None:
        window.panel.select(request.scenario.id)
        for name, value in request.values.items():
            window.panel.params.set_text(name, str(value))
        window.run_current()
    else:
        window.open_script(spec.script, spec.args)


def show_recording_file(window: object, path: str) -> None:
    """Show a saved recording; a bad file gets a clear message and changes nothing."""
    from PySide6.QtWidgets import QMessageBox

    from control.headless import recording_error_text
    from gui import texts
    from model import recording_file

    try:
        rec, _meta = recording_file.load(path)
    except recording_file.RecordingFileError as err:
        QMessageBox.warning(window, texts.tr("Cannot open recording"), recording_error_text(err))
        return
    window.timeline.set_recording(rec)
    window.log.log_model.set_recording(rec)
    window.console.reset()
    window.console.update_from(rec)
    window.timeline.zoom_to_fit()
