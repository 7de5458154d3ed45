"""File ▸ Save recording…, Open recording…, Export trace JSON…, Export picture…, Copy picture:
what the window shows, written out or read back. A problem is said in the banner above the
timeline, in the user's language; never a traceback, never a half-shown file."""

from __future__ import annotations

import datetime
import os
import re
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu

from control.cli import one_line
from gui import settings, texts
from gui.export_dialog import ExportDialog, PictureOptions
from gui.theme import THEMES
from model import catalog, recording_file
from model.recording import Recording
from model.trace_export import write_chrome_trace

RECORDING_SUFFIX = ".mpscope.json"
STATUS_MS = 5000


def recording_error_text(err: recording_file.RecordingFileError) -> str:
    """Why a file cannot be opened as a recording, in the user's language (the model's
    English details are left out, but for the numbers in them and the system's own words)."""
    tr, code = texts.tr, err.code
    number = re.search(r"\d+", err.detail or "")
    if code == "unreadable" and err.detail == recording_file.NOT_REGULAR:
        return tr("it is not a regular file")
    if code == "unreadable":
        return tr("it cannot be read ({why})").format(why=err.detail)
    if code == "too_large" and not number:
        return tr("there is not enough memory to open it")
    if code == "too_large":
        return tr("the file is too large ({mb:.0f} MB)").format(mb=int(number.group()) / 1e6)
    if code == "not_json" and err.detail == recording_file.TOO_DEEP:
        return tr("it is not a recording: nested too deeply")
    if code == "not_json" and number and err.detail.startswith("line"):
        return tr("it is not a recording: not JSON, or cut short (line {line})").format(
            line=number.group()
        )
    if code == "not_json":
        return tr("it is not a recording: not a text file")
    if code == "newer_version":
        return tr(
            "it was saved by a newer mpscope (format version {version}); this one reads up to "
            "version {known}: update mpscope to open it"
        ).format(version=err.detail, known=recording_file.VERSION)
    if code == "no_events":
        return tr("it holds no events")
    return tr("it is not an mpscope recording")


def run_meta(title: str, method: str, scale: float, code: str, **more: Any) -> dict[str, Any]:
    """What a run was, saved with it: title, start method, time scale, date, the code that ran,
    and ``scenario`` with its ``values``, or ``script``."""
    meta = {"title": title, "start_method": method, "time_scale": scale}
    meta.update(date=datetime.date.today().isoformat(), code=code)
    meta.update({k: v for k, v in more.items() if v is not None})
    return meta


def show_scenario_of(meta: dict[str, Any], panel: Any) -> tuple[catalog.Scenario | None, str]:
    """Select a recording's scenario in ``panel`` with the values it ran with; return it (None
    for a script) and the code that ran (saved with the recording, else made again)."""
    scenario = catalog.find(str(meta.get("scenario", "")))
    values = meta.get("values") if isinstance(meta.get("values"), dict) else {}
    if scenario is not None and panel.select(scenario.id):
        panel.params.set_params(scenario.params)
        for name in set(values) & set(panel.params.texts()):
            panel.params.set_text(name, str(values[name]))
    code = meta.get("code")
    if isinstance(code, str) and code:
        return scenario, code
    if scenario is None:
        return None, ""
    try:
        return scenario, catalog.substitute(scenario, values)
    except (catalog.ParamError, TypeError, ValueError):
        return scenario, scenario.source()


def with_suffix(path: str, suffix: str) -> str:
    return path if path.lower().endswith(suffix) else path + suffix


class FileActions(QObject):
    """The File menu's recording and picture actions for ``window`` (a MainWindow)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.picture_options = _saved_picture_options()
        self.open_action = self._action(self.open_recording, "Ctrl+Shift+O")
        self.save_action = self._action(self.save_recording, QKeySequence.StandardKey.Save)
        self.trace_action = self._action(self.export_trace)
        self.picture_action = self._action(self.export_picture, "Ctrl+E")
        self.copy_action = self._action(self.copy_picture, "Ctrl+Shift+C")
        self.needs_recording = (
            self.save_action,
            self.trace_action,
            self.picture_action,
            self.copy_action,
        )
        self.update_enabled()

    def _action(self, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def add_to(self, menu: QMenu) -> None:
        menu.addAction(self.open_action)
        menu.addAction(self.save_action)
        menu.addSeparator()
        menu.addAction(self.picture_action)
        menu.addAction(self.copy_action)
        menu.addAction(self.trace_action)

    def retranslate(self) -> None:
        tr = texts.tr
        self.open_action.setText(tr("Open recording…"))
        self.save_action.setText(tr("Save recording…"))
        self.trace_action.setText(tr("Export trace JSON (Perfetto)…"))
        self.picture_action.setText(tr("Export picture…"))
        self.copy_action.setText(tr("Copy picture"))

    def update_enabled(self) -> None:
        has = self.window.recording() is not None
        for action in self.needs_recording:
            action.setEnabled(has)

    # ---- recordings -----------------------------------------------------------------------
    def save_recording(self, path: str | None = None) -> bool:
        rec = self.window.recording()
        if rec is None:
            return False
        path = path or self._ask_save(
            texts.tr("Save recording"),
            RECORDING_SUFFIX,
            texts.tr("mpscope recordings (*.mpscope.json)"),
        )
        if not path:
            return False
        path = with_suffix(path, RECORDING_SUFFIX)
        return self._write(path, lambda: recording_file.save(rec, path, self.window.meta))

    def open_recording(self, path: str | None = None) -> bool:
        """Show a saved recording; a bad file is named with what is wrong, and nothing changes."""
        path = path or self._ask_open()
        if not path:
            return False
        try:
            rec, meta = recording_file.load(path)
        except recording_file.RecordingFileError as err:
            self._cannot_open(path, recording_error_text(err))
            return False
        except Exception as err:  # a file nobody foresaw: said in the strip, never a traceback
            self._cannot_open(path, one_line(err))
            return False
        _remember_folder(path)
        self.window.show_recording(rec, meta, path)
        return True

    def _cannot_open(self, path: str, why: str) -> None:
        text = texts.tr("Cannot open {name}: {why}.").format(name=os.path.basename(path), why=why)
        self.window.banner.show_message(text, "error")

    def export_trace(self, path: str | None = None) -> bool:
        rec = self.window.recording()
        if rec is None:
            return False
        path = path or self._ask_save(
            texts.tr("Export trace JSON"), ".json", texts.tr("Chrome trace / Perfetto (*.json)")
        )
        if not path:
            return False
        path = with_suffix(path, ".json")
        meta = {k: v for k, v in self.window.meta.items() if k != "code"}  # Perfetto's metadata
        return self._write(path, lambda: write_chrome_trace(rec, path, meta))

    # ---- pictures -------------------------------------------------------------------------
    def export_picture(
        self, path: str | None = None, options: PictureOptions | None = None
    ) -> bool:
        """Ask for the options (unless given), then for the file (unless given), and write it."""
        if self.window.recording() is None:
            return False
        if options is None:
            dialog = ExportDialog(self.picture_options, self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            options = dialog.options()
        self.set_picture_options(options)
        suffix = f".{options.fmt}"
        path = path or self._ask_save(
            texts.tr("Export picture"),
            suffix,
            texts.tr("Pictures (*{suffix})").format(suffix=suffix),
        )
        if not path:
            return False
        path = with_suffix(path, suffix)
        return self._write(path, lambda: self._picture(path, options))

    def _picture(self, path: str, options: PictureOptions) -> None:
        from gui.picture_export import export_picture

        rec, x_range, palette = self._picture_source(options)
        export_picture(rec, path, options.width, self.window.meta, None, x_range, palette)

    def copy_picture(self) -> bool:
        """The picture (as Export picture would make it, PNG) onto the clipboard, for slides."""
        from gui.picture_export import picture_image

        if self.window.recording() is None:
            return False
        options = self.picture_options
        rec, x_range, palette = self._picture_source(options)
        image = picture_image(rec, options.width, self.window.meta, x_range, palette)
        QGuiApplication.clipboard().setImage(image)
        self._say(
            texts.tr("Picture copied to the clipboard ({w} × {h} px).").format(
                w=image.width(), h=image.height()
            )
        )
        return True

    def _picture_source(self, options: PictureOptions) -> tuple[Recording, Any, Any]:
        x_range = None
        if options.visible_only:
            x0, x1 = self.window.timeline.vb.viewRange()[0]
            x_range = (x0, x1)
        return self.window.recording(), x_range, THEMES[options.theme]

    def set_picture_options(self, options: PictureOptions) -> None:
        self.picture_options = options.checked()
        o = self.picture_options
        for key, data in (
            ("fmt", o.fmt),
            ("width", o.width),
            ("visible_only", int(o.visible_only)),
            ("theme", o.theme),
        ):
            settings.set_value(f"picture/{key}", data)

    # ---- files ----------------------------------------------------------------------------
    def _write(self, path: str, write: Any) -> bool:
        """``write()`` writes whole or not at all (model/safe_file.py): a failure leaves the
        disk as it was, and is said in the strip."""
        try:
            write()
        except OSError as err:
            self._cannot_write(path, err.strerror or str(err))
            return False
        except Exception as err:  # data no exporter foresaw: said, never a traceback
            self._cannot_write(path, one_line(err))
            return False
        _remember_folder(path)
        self._say(texts.tr("Wrote {path}").format(path=path))
        return True

    def _cannot_write(self, path: str, why: str) -> None:
        text = texts.tr("Could not write {path}: {why}").format(path=path, why=why)
        self.window.banner.show_message(text, "error")

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    def _default_name(self, suffix: str) -> str:
        meta = self.window.meta
        stem = meta.get("scenario") or os.path.splitext(meta.get("script", "") or "mpscope")[0]
        date = meta.get("date") or datetime.date.today().isoformat()
        return os.path.join(_folder(), f"{os.path.basename(stem)}-{date}{suffix}")

    def _ask_save(self, title: str, suffix: str, kinds: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self.window, title, self._default_name(suffix), kinds)
        return path

    def _ask_open(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            texts.tr("Open recording"),
            _folder(),
            texts.tr("mpscope recordings (*.mpscope.json);;All files (*)"),
        )
        return path


def _folder() -> str:
    folder = settings.value("files/folder")
    return folder if isinstance(folder, str) and os.path.isdir(folder) else os.getcwd()


def _remember_folder(path: str) -> None:
    settings.set_value("files/folder", os.path.dirname(os.path.abspath(path)))


def _saved_picture_options() -> PictureOptions:
    s = settings.store()
    default = PictureOptions()
    try:
        return PictureOptions(
            str(s.value("picture/fmt", default.fmt)),
            int(s.value("picture/width", default.width)),
            bool(int(s.value("picture/visible_only", 0))),
            str(s.value("picture/theme", default.theme)),
        ).checked()
    except (TypeError, ValueError):
        return default
