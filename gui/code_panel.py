"""The scenario's code exactly as it runs, with the line behind the selected event highlighted."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontDatabase, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from model.script_source import script_lines


class CodePanel(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.highlighted_line = 0

    def show_code(self, source: str) -> None:
        """``source`` as read by model.script_source: one block per line as Python numbers them
        (a paragraph separator inside a line would start a block of its own: shown escaped)."""
        lines = (line.replace("\u2029", "\\u2029") for line in script_lines(source))
        numbered = "\n".join(f"{i:>3}  {line}" for i, line in enumerate(lines, 1))
        self.setPlainText(numbered)
        self.highlight_line(0)

    def highlight_line(self, line: int) -> None:
        """Mark ``line`` (1-based; 0 clears) and scroll to it."""
        self.highlighted_line = line
        if line <= 0 or line > self.document().blockCount():
            self.setExtraSelections([])
            return
        block = self.document().findBlockByNumber(line - 1)
        cursor = QTextCursor(block)
        sel = QTextEdit.ExtraSelection()
        sel.format.setBackground(QColor("#ffe680"))
        sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        sel.cursor = cursor
        self.setExtraSelections([sel])
        self.setTextCursor(cursor)
        self.centerCursor()
