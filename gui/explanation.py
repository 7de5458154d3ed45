"""What to notice in the scenario on screen: its title and the explanation from the lesson, in the
current language, in a box above the timeline (large enough to read on a projected slide)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from gui import texts
from model import catalog

EXTRA_POINTS = 2  # a little larger than the rest of the window


class ExplanationPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenario: catalog.Scenario | None = None
        self.wanted = True  # View ▸ What to notice
        self.setObjectName("explanation")
        self.setStyleSheet(
            "#explanation { background: #f3f6fb; border: 1px solid #c9d6ea;"
            " border-left: 4px solid #4a78c2; border-radius: 3px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet("color: #1d2330;")
        font = QFont(self.label.font())
        font.setPointSize(font.pointSize() + EXTRA_POINTS)
        self.label.setFont(font)
        layout.addWidget(self.label)
        self.setVisible(False)

    def show_scenario(self, scenario: catalog.Scenario | None) -> None:
        """Explain ``scenario``; None (a user's own script) hides the box."""
        self.scenario = scenario
        self.retranslate()

    def set_wanted(self, on: bool) -> None:
        self.wanted = on
        self.retranslate()

    def retranslate(self) -> None:
        s = self.scenario
        self.setVisible(s is not None and self.wanted)
        if s is None:
            self.label.clear()
            return
        title = html.escape(texts.scenario_text(s.title))
        body = html.escape(texts.scenario_text(s.summary))
        notice = html.escape(texts.tr("What to notice: {explanation}")).format(explanation=body)
        self.label.setText(f"<b>{title}</b><br>{notice}")

    def text(self) -> str:
        return self.label.text()
