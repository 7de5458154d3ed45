"""What the window remembers between sessions: the last scenario and its parameters, the start
method, the time scale, the language, the theme, the picture options and the window geometry.

One ini file (QSettings, IniFormat) in the user's config folder
(QStandardPaths.AppConfigLocation), or in the folder named by ``MPSCOPE_CONFIG_DIR`` when that is
set: the tests point it to a temporary folder, so they never read or write the user's settings.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QStandardPaths

from control.session import DEFAULT_START_METHOD, START_METHODS
from gui import app_setup
from gui.theme import THEMES
from model import catalog

APP_NAME = "mpscope"  # as ensure_app names the app: the folder is ~/.config/mpscope/mpscope
ENV_DIR = "MPSCOPE_CONFIG_DIR"
FILE_NAME = "settings.ini"


def config_dir() -> str:
    folder = os.environ.get(ENV_DIR)
    if folder:
        return folder
    if QCoreApplication.applicationName() != APP_NAME:  # before the app is made (ensure_app)
        QCoreApplication.setOrganizationName(APP_NAME)
        QCoreApplication.setApplicationName(APP_NAME)
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)


def settings_path() -> str:
    return os.path.join(config_dir(), FILE_NAME)


def store() -> QSettings:
    return QSettings(settings_path(), QSettings.Format.IniFormat)


def saved_language() -> str | None:
    lang = store().value("language")
    return lang if lang in app_setup.LANGUAGES else None


def value(key: str, default: Any = None) -> Any:
    return store().value(key, default)


def set_value(key: str, data: Any) -> None:
    s = store()
    s.setValue(key, data)
    s.sync()


# ---- the window -------------------------------------------------------------------------------
def restore_window(window: Any) -> None:
    """Put back what was saved; anything missing, unknown or no longer valid is left as it is."""
    s = store()
    theme = s.value("theme")
    if theme in THEMES:
        window.set_theme(theme)
    panel = window.panel
    if s.value("run/start_method") in START_METHODS:
        panel.method.setCurrentText(s.value("run/start_method"))
    scale = _float(s.value("run/time_scale"))
    if scale is not None:
        panel.scale.setValue(scale)
    sid = s.value("scenario/id")
    if isinstance(sid, str) and panel.select(sid):
        _restore_params(s, panel)
    for key, restore in (("geometry", window.restoreGeometry), ("state", window.restoreState)):
        data = s.value(f"window/{key}")
        if isinstance(data, QByteArray):
            restore(data)


def _restore_params(s: QSettings, panel: Any) -> None:
    params = {p.name: p for p in panel.current().params}
    s.beginGroup("params")
    try:
        for name in s.childKeys():
            text = str(s.value(name))
            if name in params and _valid(params[name], text):
                panel.params.set_text(name, text)
    finally:
        s.endGroup()


def _valid(param: catalog.Param, text: str) -> bool:
    try:
        catalog.parse_value(param, text)
    except catalog.ParamError:
        return False
    return True


def _float(data: Any) -> float | None:
    try:
        return float(data)
    except (TypeError, ValueError):
        return None


def save_window(window: Any) -> None:
    s = store()
    s.setValue("language", app_setup.current_language())
    s.setValue("theme", window.theme)
    panel = window.panel
    s.setValue("run/start_method", panel.method.currentText())
    s.setValue("run/time_scale", panel.scale.value())
    scenario = panel.current()
    if scenario is not None:
        s.setValue("scenario/id", scenario.id)
        s.remove("params")
        for name, text in panel.params.texts().items():
            s.setValue(f"params/{name}", text)
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/state", window.saveState())
    s.sync()


def reset(window: Any) -> None:
    """Forget everything saved and show the defaults now (the window keeps its size)."""
    s = store()
    s.clear()
    s.sync()
    window.set_theme("light")
    panel = window.panel
    panel.method.setCurrentText(DEFAULT_START_METHOD)
    panel.scale.setValue(1.0)
    scenario = panel.current()
    if scenario is not None:
        panel.params.set_params(scenario.params)
    window.set_language(app_setup.system_language())
