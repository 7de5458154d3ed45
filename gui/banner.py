"""A message strip above the timeline: what went wrong with the script, or that it changed on
disk, with the one action that helps (Rerun). Never a modal dialog in the middle of a lesson."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from gui import texts

STYLES = {
    "error": "background: #fdecea; border: 1px solid #e0a9a3; border-left: 4px solid #c62828;",
    "info": "background: #fff8e1; border: 1px solid #e6d28c; border-left: 4px solid #f2a900;",
}
STYLES["limit"] = STYLES["info"]  # the detail limit's strip: an info strip the window updates


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.action = QPushButton()
        self.close_button = QPushButton("✕")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        self.close_button.clicked.connect(self.hide)
        row.addWidget(self.label, 1)
        row.addWidget(self.action)
        row.addWidget(self.close_button)
        self._callback: Callable[[], None] | None = None
        self.action.clicked.connect(self._act)
        self.kind = ""
        self.hide()

    def show_message(
        self,
        text: str,
        kind: str = "info",
        action: str = "",
        callback: Callable[[], None] | None = None,
    ) -> None:
        self.kind = kind
        style = STYLES.get(kind, STYLES["info"])
        # a light strip in either theme: its text stays dark in the dark theme too
        dark_text = '#banner QLabel, #banner QPushButton[flat="true"] { color: #202020; }'
        self.setStyleSheet(f"#banner {{ {style} }} {dark_text}")
        self.label.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self._callback = callback
        self.close_button.setToolTip(texts.tr("Close"))
        self.show()

    def _act(self) -> None:
        self.hide()
        if self._callback is not None:
            self._callback()
