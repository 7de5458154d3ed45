"""Creating the QApplication the same way for the window, tests and headless picture export:
its language (our translation and Qt's own) and a font that has Chinese glyphs."""

from __future__ import annotations

import os
import sys

import pyqtgraph as pg  # noqa: E402,I001  (after PySide6, so it binds to it)
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QRawFont
from PySide6.QtWidgets import QApplication

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N_DIR = os.path.join(ROOT, "resources", "i18n")
FONT_DIR = os.path.join(ROOT, "resources", "fonts")  # optional: fonts shipped with the app
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
LANGUAGES = ("en", "zh_CN")  # the source strings are English: "en" needs no translator
# Each language named in itself, as language menus do (so never translated).
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)
CJK_PROBE = "进"  # a character every Simplified Chinese font has
# Said in English on purpose: without a CJK font, Chinese would show as the very boxes it explains.
NO_CJK_FONT = (
    "No Chinese font installed, so Chinese text shows as empty boxes: install one "
    "(e.g. `sudo apt install fonts-noto-cjk` or `fonts-wqy-microhei`) and start mpscope again."
)

_translators: list[QTranslator] = []  # installed ones, kept alive here
_language = "en"


def ensure_app(lang: str | None = None) -> QApplication:
    """The QApplication, created on first use; ``lang`` (None: the system's) is installed then.

    On later calls a given ``lang`` switches the language; None keeps the current one.
    """
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("mpscope")
        app.setOrganizationName("mpscope")
        pg.setConfigOptions(antialias=True, foreground="#202020", background="w")
        _prefer_cjk_font(app)
        set_language(resolve_language(lang))
    elif lang is not None:
        set_language(resolve_language(lang))
    return app


# ---- language ---------------------------------------------------------------------------------
def system_language() -> str:
    """zh_CN where the system locale is any Chinese one, else English."""
    return "zh_CN" if QLocale.system().name().lower().startswith("zh") else "en"


def resolve_language(lang: str | None) -> str:
    if lang is None:
        return system_language()
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    return lang


def current_language() -> str:
    return _language


def set_language(lang: str) -> bool:
    """Install the translators for ``lang`` (replacing the previous ones); False if ours is missing.

    Widgets already built keep their texts: the window retranslates itself after calling this.
    """
    global _language
    app = QApplication.instance()
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    _language = lang
    if lang == "en":
        return True
    ok = _install(f"mpscope_{lang}", I18N_DIR)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not _install(f"qtbase_{lang}", qt_dir):  # Qt's own dialogs and buttons
        _install(f"qt_{lang}", qt_dir)
    if not ok:
        print(f"mpscope: warning: no translation file for {lang} in {I18N_DIR}", file=sys.stderr)
    return ok


def _install(name: str, folder: str) -> bool:
    translator = QTranslator(QApplication.instance())
    if not translator.load(name, folder):
        return False
    QApplication.instance().installTranslator(translator)
    _translators.append(translator)
    return True


# ---- fonts ------------------------------------------------------------------------------------
def has_cjk_glyphs(font: QFont) -> bool:
    """Whether ``font`` itself draws Chinese (QFontMetrics.inFontUcs4 says yes even when not)."""
    raw = QRawFont.fromFont(font)
    return raw.isValid() and raw.supportsCharacter(ord(CJK_PROBE))


def cjk_family() -> str | None:
    """An installed font family that has Chinese glyphs, or None."""
    installed = QFontDatabase.families()
    known = [f for f in CJK_FAMILIES if f in installed]
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    for family in known + [f for f in chinese if f not in known]:
        if has_cjk_glyphs(QFont(family)):
            return family
    return None


def font_warning(lang: str | None = None) -> str:
    """The how-to-get-a-font message where Chinese is shown and no font can draw it, else ""."""
    lang = _language if lang is None else lang
    return NO_CJK_FONT if lang == "zh_CN" and cjk_family() is None else ""


def _register_shipped_fonts() -> None:
    """Fonts put in resources/fonts/ (e.g. a CJK font for a machine without one) count as installed."""
    if not os.path.isdir(FONT_DIR):
        return
    for name in sorted(os.listdir(FONT_DIR)):
        if name.lower().endswith(FONT_SUFFIXES):
            QFontDatabase.addApplicationFont(os.path.join(FONT_DIR, name))


def _prefer_cjk_font(app: QApplication) -> None:
    _register_shipped_fonts()
    family = cjk_family()
    if family is None:
        return
    font = QFont(app.font())
    font.setFamilies([font.family(), family])
    app.setFont(font)
