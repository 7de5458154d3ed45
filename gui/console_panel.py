"""All printed output of the run, each line coloured by the process that printed it."""

from __future__ import annotations

import html

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from gui import texts
from gui.theme import process_color
from model import plain
from model.recording import Recording
from workers.events import K_PRINT

MAX_LINES = 20000
MAX_LINES_PER_UPDATE = 200
LINE_LIMIT = 4000  # characters of one line: a recording's line of megabytes froze the window


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
        """Append the lines that arrived since the last call (in arrival order).

        A flood (a million prints) would freeze the window in appendHtml (bench/ingest.py: 38% of
        its time): per call at most MAX_LINES_PER_UPDATE lines are shown, the newest, and a note
        says how many were left out here (every line stays in the recording and the event log)."""
        events = rec.events
        start, self._seen = self._seen, len(events)
        new = [
            i for i in range(start, len(events)) if events.kind(i) == K_PRINT and events.has_data(i)
        ]
        if not new:
            return
        skipped = max(len(new) - MAX_LINES_PER_UPDATE, 0)
        shown = (rec.event(i) for i in new[skipped:])
        chunks = [self._line_html(rec, pid, data) for _kind, pid, _ts, _line, data in shown]
        if skipped:
            note = texts.tr("… {n} more lines not shown here (all are in the event log)").format(
                n=skipped
            )
            chunks.insert(0, f'<span style="color:#888888">{html.escape(note)}</span>')
        self.appendHtml("<br>".join(chunks))

    def _line_html(self, rec: Recording, pid: int, data: dict) -> str:
        color = self._colors.setdefault(pid, process_color(len(self._colors)))
        name = html.escape(rec.lane_name(pid))
        text = html.escape(plain.text(data.get("text", ""), LINE_LIMIT))
        weight = "bold" if data.get("stream") == 2 else "normal"
        return (
            f'<span style="color:{color};font-weight:{weight}">[{name}]</span>'
            f'&nbsp;<span style="color:{color}">{text}</span>'
        )
