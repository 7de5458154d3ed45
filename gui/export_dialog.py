"""File ▸ Export picture…: PNG at a chosen width (1920 by default, up to 3840) or SVG, of the whole
run or of the visible range, light (default) or dark. The same choices serve Copy picture."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from gui import texts
from gui.theme import THEMES

MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 640, 3840, 1920
FORMATS = ("png", "svg")


@dataclass
class PictureOptions:
    fmt: str = "png"
    width: int = DEFAULT_WIDTH
    visible_only: bool = False
    theme: str = "light"

    def checked(self) -> PictureOptions:
        """The same options, any value out of bounds (e.g. from an edited settings file) fixed."""
        return PictureOptions(
            self.fmt if self.fmt in FORMATS else "png",
            min(max(int(self.width), MIN_WIDTH), MAX_WIDTH),
            bool(self.visible_only),
            self.theme if self.theme in THEMES else "light",
        )


class ExportDialog(QDialog):
    def __init__(self, options: PictureOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts.tr("Export picture"))
        form = QFormLayout(self)
        self.png = QRadioButton(texts.tr("PNG image"))
        self.svg = QRadioButton(texts.tr("SVG (vector, for scaling)"))
        form.addRow(texts.tr("Format"), self._pair(self.png, self.svg))
        self.width = QSpinBox()
        self.width.setRange(MIN_WIDTH, MAX_WIDTH)
        self.width.setSingleStep(160)
        self.width.setSuffix(texts.tr(" px"))
        form.addRow(texts.tr("Width"), self.width)
        self.whole = QRadioButton(texts.tr("Whole run"))
        self.visible = QRadioButton(texts.tr("Visible range"))
        form.addRow(texts.tr("Time range"), self._pair(self.whole, self.visible))
        self.theme = QComboBox()
        self.theme.addItem(texts.tr("Light"), "light")
        self.theme.addItem(texts.tr("Dark"), "dark")
        form.addRow(texts.tr("Theme"), self.theme)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.set_options(options)

    def _pair(self, first: QRadioButton, second: QRadioButton) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(box)
        for button in (first, second):
            group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        return box

    def set_options(self, options: PictureOptions) -> None:
        options = options.checked()
        (self.svg if options.fmt == "svg" else self.png).setChecked(True)
        self.width.setValue(options.width)
        (self.visible if options.visible_only else self.whole).setChecked(True)
        self.theme.setCurrentIndex(max(self.theme.findData(options.theme), 0))

    def options(self) -> PictureOptions:
        return PictureOptions(
            "svg" if self.svg.isChecked() else "png",
            self.width.value(),
            self.visible.isChecked(),
            self.theme.currentData(),
        )
