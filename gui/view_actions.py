"""View ▸ Theme (light, dark), Presentation mode (F11) and Reset settings…, for the window."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from gui import settings, texts
from gui.appearance import apply_app_theme
from gui.export_dialog import PictureOptions
from gui.presentation import Presentation
from gui.theme import THEMES
from gui.view_style import apply_palette


def choices(
    owner: QObject, menu: QMenu, keys: Iterable[str], choose: Callable[[str], None]
) -> dict[str, QAction]:
    """One checkable action per key, one of them checked; choosing calls ``choose(key)``."""
    group, actions = QActionGroup(owner), {}
    for key in keys:
        action = QAction(owner, checkable=True)
        action.triggered.connect(lambda _checked=False, key=key: choose(key))
        group.addAction(action)
        menu.addAction(action)
        actions[key] = action
    return actions


class ViewActions(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.theme = "light"
        self.presentation = Presentation(window)
        self.theme_menu = QMenu(window)
        self.theme_actions = choices(window, self.theme_menu, THEMES, self.set_theme)
        self.presentation_action = QAction(window, checkable=True, shortcut=QKeySequence("F11"))
        self.presentation_action.triggered.connect(self.presentation.set_active)
        self.reset_action = QAction(window)
        self.reset_action.triggered.connect(lambda: self.reset_settings(ask=True))
        self.helpers_action = QAction(window, checkable=True, checked=True)
        self.helpers_action.toggled.connect(window.timeline.set_show_helpers)

    def add_to(self, menu: QMenu) -> None:
        menu.addMenu(self.theme_menu)
        menu.addAction(self.presentation_action)
        menu.addAction(self.helpers_action)
        menu.addSeparator()
        menu.addAction(self.reset_action)

    def retranslate(self) -> None:
        tr = texts.tr
        self.theme_menu.setTitle(tr("Theme"))
        self.theme_actions["light"].setText(tr("Light"))
        self.theme_actions["dark"].setText(tr("Dark"))
        self.theme_actions[self.theme].setChecked(True)
        self.presentation_action.setText(tr("Presentation mode"))
        self.helpers_action.setText(tr("Helper processes (fork server, resource tracker)"))
        self.reset_action.setText(tr("Reset settings…"))

    def set_theme(self, name: str) -> None:
        """Light or dark, for the whole window and its timeline (pictures choose their own)."""
        self.theme = name
        apply_app_theme(name)
        apply_palette(self.window.timeline, THEMES[name])
        self.theme_actions[name].setChecked(True)

    def reset_settings(self, ask: bool = False) -> None:
        """Forget what was remembered and go back to the defaults."""
        question = texts.tr("Forget the remembered scenario, parameters, language and theme?")
        yes = QMessageBox.StandardButton.Yes
        if ask and QMessageBox.question(self.window, texts.tr("Reset settings"), question) != yes:
            return
        settings.reset(self.window)
        self.window.files.picture_options = PictureOptions()
