"""All printed output of the run, each line coloured by the process that printed it."""

from __future__ import annotations

import html

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from gui.theme import process_color
from model.recording import Recording
from workers.events import K_PRINT

MAX_LINES = 20000


class ConsolePanel(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._seen = 0
        self._colors: dict[int, str] = {}

    def reset(self) -> None:
        self.clear()
        self._seen = 0
        self._colors = {}

    def update_from(self, rec: Recording) -> None:
        """Append the lines that arrived since the last call (in arrival order)."""
        events = rec.events
        chunks = []
        for kind, pid, _ts, _line, data in events[self._seen :]:
            if kind == K_PRINT and data:
                chunks.append(self._line_html(rec, pid, data))
        self._seen = len(events)
        if chunks:
            self.appendHtml("<br>".join(chunks))

    def _line_html(self, rec: Recording, pid: int, data: dict) -> str:
        color = self._colors.setdefault(pid, process_color(len(self._colors)))
        name = html.escape(rec.lane_name(pid))
        text = html.escape(str(data.get("text", "")))
        weight = "bold" if data.get("stream") == 2 else "normal"
        return (
            f'<span style="color:{color};font-weight:{weight}">[{name}]</span>'
            f'&nbsp;<span style="color:{color}">{text}</span>'
        )
