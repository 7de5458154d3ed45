"""The colour key above the timeline: what each bar colour and marker means."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from gui import texts
from gui.theme import (
    IDLE_COLOR,
    MARKER_STYLE,
    STATE_COLORS,
    STATE_ORDER,
    TASK_COLORS,
    TASK_FAILED_COLOR,
)

_MARKER_GLYPHS = {
    "created": "○",
    "started": "▶",
    "print": "●",
    "exited": "✕",
    "terminated": "★",
    "stopped": "■",
    "joined": "■",
    "submit": "▼",
    "collect": "◆",
}


class Legend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(6, 2, 6, 2)
        self._layout.setHorizontalSpacing(14)
        self._layout.setVerticalSpacing(2)
        self._labels: list[QLabel] = []
        self._point_size: int | None = None
        self._dark = False
        self.retranslate()

    def retranslate(self) -> None:
        """Rebuild the labels in the current language (at the point size set, if any)."""
        for label in self._labels:
            self._layout.removeWidget(label)
            label.hide()
            label.deleteLater()
        self._labels = []
        self._row, self._col = 0, 0
        for state in STATE_ORDER:
            self._add(STATE_COLORS[state], "■", texts.state_name(state))
        self._add(IDLE_COLOR, "■", texts.tr("idle"))
        self._add(TASK_COLORS[0], "■", texts.tr("pool task"))
        self._add(TASK_FAILED_COLOR, "▩", texts.tr("failed task"))  # hatched, as drawn
        self._row, self._col = 1, 0
        for kind, glyph in _MARKER_GLYPHS.items():
            color = MARKER_STYLE[kind][1]
            if color == "#ffffff" or (self._dark and QColor(color).lightness() < 110):
                color = "#c8c8c8" if self._dark else "#444444"
            self._add(color, glyph, texts.event_name(kind))
        self._layout.setColumnStretch(len(_MARKER_GLYPHS) + 1, 1)
        if self._point_size is not None:
            self.set_point_size(self._point_size)

    def _add(self, color: str, glyph: str, text: str) -> None:
        label = QLabel(f'<span style="color:{color}">{glyph}</span>&nbsp;{text}')
        self._layout.addWidget(label, self._row, self._col)
        self._col += 1
        self._labels.append(label)

    def set_dark(self, dark: bool) -> None:
        """On a dark background, dark marker glyphs are drawn light."""
        self._dark = dark
        self.retranslate()

    def set_point_size(self, size: int) -> None:
        self._point_size = size
        for label in self._labels:
            font = QFont(label.font())
            font.setPointSize(size)
            label.setFont(font)
