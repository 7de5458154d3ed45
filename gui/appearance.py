"""Light and dark themes for the whole window (View ▸ Theme): Qt's own widgets through the
application palette (Fusion style), the timeline through its Palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from gui.theme import THEMES

_before: tuple[str, QPalette] | None = None  # the style and palette the light theme goes back to

DARK_ROLES = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.ToolTipBase: "#3c3f41",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#8c8c8c",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#3c3f41",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Link: "#66a3ff",
    QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in DARK_ROLES.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


def apply_app_theme(name: str) -> None:
    """``light`` gives back the style and palette the app had; ``dark`` uses Fusion, dark."""
    global _before
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}")
    app = QApplication.instance()
    if _before is None:
        _before = (app.style().name(), QPalette(app.palette()))
    if name == "dark":
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(dark_palette())
    else:
        app.setStyle(QStyleFactory.create(_before[0]))
        app.setPalette(_before[1])
