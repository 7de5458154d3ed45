"""Watching the user's own script: open it (menu or drag-and-drop), run it, rerun it, and offer
a rerun when it changes on disk (a student editing in the lab). Also says, in plain words, what
went wrong with the script when it could not run as intended."""

from __future__ import annotations

import os

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, QUrl
from PySide6.QtWidgets import QFileDialog, QWidget

from control.session import RunSpec
from gui import texts
from model.plain import flat, text
from model.script_source import read_script

SAVE_SETTLE_MS = 300  # editors save in several steps; wait before offering the rerun


def dropped_script(urls: list[QUrl]) -> str | None:
    """The first local .py file among dropped URLs."""
    for url in urls:
        path = url.toLocalFile()
        if path.lower().endswith(".py"):
            return path
    return None


def script_problem(path: str) -> str:
    """Why ``path`` cannot be run, in the user's language, or ""."""
    if not os.path.isfile(path):
        return texts.tr("There is no file {path}.").format(path=path)
    if not path.lower().endswith(".py"):
        return texts.tr("{name} is not a Python script (.py).").format(name=os.path.basename(path))
    try:
        read_script(path)  # as Python reads it: a coding cookie or a BOM, else UTF-8
    except (UnicodeDecodeError, SyntaxError) as err:
        why = err.msg if isinstance(err, SyntaxError) else str(err)
        return texts.tr("Python cannot read {name} as text: {why}").format(
            name=os.path.basename(path), why=why
        )
    except OSError as err:
        return texts.tr("Cannot read {name}: {why}").format(
            name=os.path.basename(path), why=err.strerror or str(err)
        )
    return ""


def run_error_text(data: dict, line: int) -> str:
    """What went wrong with the watched script, in plain words (the CLI says it in English)."""
    data = flat(data) or {}
    code = data.get("code")
    if code == "syntax_error":
        return texts.tr("Syntax error in the script, line {line}: {msg}").format(
            line=line, msg=data.get("msg", "")
        )
    if code == "missing_main_guard":
        return texts.tr(
            "Line {line} starts a process while a child process is importing the script. Under "
            "spawn and forkserver every child imports the main script again, so code that starts "
            'processes must be inside  if __name__ == "__main__":'
        ).format(line=line)
    if code == "unreadable":
        return texts.tr("The script could not be read: {msg}").format(msg=data.get("msg", ""))
    if code == "channel_lost":
        return texts.channel_lost_text(data, line)
    return text(data.get("msg", code), 2000)


class ScriptRuns(QObject):
    """Opens and watches a script for the window; the window says how to start a run."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.path: str | None = None
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._changed)
        self._settle = QTimer(self, singleShot=True, interval=SAVE_SETTLE_MS)
        self._settle.timeout.connect(self._offer_rerun)

    def choose(self) -> str | None:
        start = os.path.dirname(self.path) if self.path else os.getcwd()
        path, _ = QFileDialog.getOpenFileName(
            self.window, texts.tr("Open script"), start, texts.tr("Python scripts (*.py)")
        )
        return path or None

    def watch(self, path: str) -> None:
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
        self.path = os.path.abspath(path)
        self._watcher.addPath(self.path)

    def forget(self) -> None:
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
        self.path = None

    def spec(self, method: str, scale: float) -> RunSpec:
        return RunSpec(self.path, [], method, scale)

    def _changed(self, path: str) -> None:
        # An editor that saves by replacing the file drops it from the watch: watch it again.
        if os.path.exists(path) and path not in self._watcher.files():
            self._watcher.addPath(path)
        self._settle.start()

    def _offer_rerun(self) -> None:
        if self.path is not None:
            self.window.offer_rerun(os.path.basename(self.path))
