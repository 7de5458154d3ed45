"""How a TimelineView looks, changed at run time: its theme (light or dark) and its text size
(the window's, larger in presentation mode, or a picture's). The data on it stays as it is."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette

from gui.arrows import LINE_PX
from gui.theme import Palette
from gui.timeline_view import LABEL_AXIS_WIDTH, TimelineView

BASE_POINTS = 9  # the text size LABEL_AXIS_WIDTH is made for


def apply_palette(view: TimelineView, palette: Palette) -> None:
    """Background, axes, grid, highlight, arrows, legend, title and exit labels in ``palette``."""
    view.palette_ = palette
    view.plot.setBackground(palette.background)
    item = view.plot.getPlotItem()
    view.grid.set_color(palette.foreground, palette.grid)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(palette.foreground))
        axis.setTextPen(pg.mkPen(palette.foreground))
    view.cursor_line.setPen(pg.mkPen(palette.highlight, width=2))
    view.ring.setPen(pg.mkPen(palette.highlight, width=3))
    view.messages.arrows.set_style(color=palette.arrow)
    colors = QPalette(view.palette())
    colors.setColor(QPalette.ColorRole.Window, QColor(palette.background))
    colors.setColor(QPalette.ColorRole.WindowText, QColor(palette.foreground))
    view.setPalette(colors)  # the legend and title above the plot
    view.setAutoFillBackground(True)
    view.legend.set_dark(palette.name == "dark")
    view.retranslate()  # redraws the exit labels in the new text colour


def set_text_size(view: TimelineView, points: int) -> None:
    """Every text of the view at ``points``: lane names, ticks, axis label, legend, bar labels."""
    font = QFont(view.font())
    font.setPointSize(points)
    view.set_fonts(points)
    view.plot.setFont(font)  # bar labels ("join → Process-1") are painted in the plot's font
    view.plot.scene().setFont(font)  # exit-code labels
    item = view.plot.getPlotItem()
    item.getAxis("left").setWidth(int(LABEL_AXIS_WIDTH * max(points, BASE_POINTS) / BASE_POINTS))
    bottom = item.getAxis("bottom")
    bottom.labelStyle["font-size"] = f"{points}pt"
    bottom.setLabel(bottom.labelText)
    view.messages.arrows.set_style(width=LINE_PX * max(points, BASE_POINTS) / BASE_POINTS)
    view.retranslate()
