"""Creating the QApplication the same way for the window, tests and headless picture export."""

from __future__ import annotations

import sys

import pyqtgraph as pg  # noqa: E402,I001  (after PySide6, so it binds to it)
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)


def ensure_app(lang: str | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("mpscope")
        app.setOrganizationName("mpscope")
        pg.setConfigOptions(antialias=True, foreground="#202020", background="w")
        _prefer_cjk_font(app)
    return app


def cjk_family() -> str | None:
    """An installed font family that has Chinese glyphs, or None."""
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed), None)


def _prefer_cjk_font(app: QApplication) -> None:
    family = cjk_family()
    if family is None:
        return
    font = QFont(app.font())
    font.setFamilies([font.family(), family])
    app.setFont(font)
