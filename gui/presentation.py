"""Presentation mode (View ▸ Presentation mode, F11; Esc leaves): for the back of a lecture room.

Full screen, the timeline given the whole height (the scenario list, code and console are put
away), every text of the window and of the timeline much larger, and zoomed to fit. Leaving
puts back the layout, the fonts and the window as they were.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from gui.view_style import set_text_size

SCALE = 1.8  # presentation text size, times the normal one
DEFAULT_POINTS = 10
WM_GRACE_MS = 300  # a window manager makes the window full screen within this time


def base_points() -> int:
    size = QApplication.font().pointSize()
    return size if size > 0 else DEFAULT_POINTS


class Presentation(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.active = False
        self._saved: dict[str, Any] = {}
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self._escape.setEnabled(False)
        self._escape.activated.connect(lambda: self.set_active(False))

    def points(self) -> int:
        return round(base_points() * SCALE)

    def set_active(self, on: bool) -> None:
        if on and not self.active:
            self._enter()
        elif not on and self.active:
            self._leave()
        self.window.presentation_action.setChecked(self.active)

    def _enter(self) -> None:
        w = self.window
        label = w.explanation.label
        self._saved = {
            "state": w.saveState(),
            "geometry": QRect(w.geometry()),
            "maximized": w.isMaximized(),
            "fullscreen": w.isFullScreen(),
            "font": QFont(w.font()),
            "explanation": QFont(label.font()),
            "tabs": w.tabs.isVisibleTo(w),
        }
        self.active = True
        for dock in (w.scenario_dock, w.code_dock):
            dock.hide()
        w.tabs.hide()
        self._set_fonts(self.points())
        w.showFullScreen()
        QTimer.singleShot(WM_GRACE_MS, self._cover_the_screen)
        w.timeline.zoom_to_fit()
        self._escape.setEnabled(True)

    def _cover_the_screen(self) -> None:
        """Without a window manager (a bare X server) full screen is only a flag: fill the screen."""
        w = self.window
        screen = w.screen().geometry()
        if self.active and w.isFullScreen() and w.geometry() != screen:
            w.setGeometry(screen)
            w.setWindowState(w.windowState() | Qt.WindowState.WindowFullScreen)
            w.timeline.zoom_to_fit()

    def _leave(self) -> None:
        w, saved = self.window, self._saved
        self.active = False
        self._escape.setEnabled(False)
        w.setFont(saved["font"])
        w.explanation.label.setFont(saved["explanation"])
        set_text_size(w.timeline, base_points())
        w.tabs.setVisible(saved["tabs"])
        if saved["maximized"]:
            w.showMaximized()
        elif not saved["fullscreen"]:
            w.showNormal()
            w.setGeometry(saved["geometry"])
            # again once the layouts have taken in the smaller fonts (until then the minimum
            # size is the presentation's, and the window would stay too wide)
            QTimer.singleShot(0, lambda: w.setGeometry(saved["geometry"]))
        w.restoreState(saved["state"])
        w.timeline.zoom_to_fit()

    def _set_fonts(self, points: int) -> None:
        w = self.window
        font = QFont(w.font())
        font.setPointSize(points)
        w.setFont(font)
        explanation = QFont(w.explanation.label.font())
        explanation.setPointSize(points + 2)
        w.explanation.label.setFont(explanation)
        set_text_size(w.timeline, points)
