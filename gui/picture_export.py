"""Pictures of a recording for slides: PNG at a chosen width, or SVG.

The timeline widget itself (title, legend, lanes, axes) is rendered, in the light theme, after
the layout has settled (too early and pyqtgraph's axis labels are missing). SVG goes through
QSvgGenerator: pyqtgraph 0.14's SVGExporter fails on Qt 6.11/6.12 (pyqtgraph issue #3485).
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from gui.app_setup import current_language, ensure_app, font_warning, set_language
from gui.theme import LIGHT
from model.recording import Recording

ROW_PX = 70
MIN_HEIGHT = 360


def picture_size(rec: Recording, width: int) -> QSize:
    lanes = max(len(rec.lanes), 1)
    return QSize(width, max(MIN_HEIGHT, min(int(width * 0.75), 170 + lanes * ROW_PX)))


def title_text(meta: dict[str, Any]) -> str:
    from gui import texts

    date = datetime.date.today().isoformat()
    title = texts.scenario_text(meta.get("title", ""))
    return texts.tr("{title} · start method: {method} · {date}").format(
        title=title, method=meta.get("start_method", ""), date=date
    )


def export_picture(
    rec: Recording, path: str, width: int, meta: dict[str, Any], lang: str | None = None
) -> None:
    """Write the picture in ``lang`` (None: the app's current language, or the system's)."""
    before = current_language() if QApplication.instance() is not None else None
    ensure_app(lang)
    try:
        warning = font_warning()
        if warning:
            print(f"mpscope: warning: {warning}", file=sys.stderr)
        _export(rec, path, width, meta)
    finally:
        if before is not None and current_language() != before:
            set_language(before)  # a window that asked for another language keeps its own


def _export(rec: Recording, path: str, width: int, meta: dict[str, Any]) -> None:
    from gui.timeline_view import TimelineView

    view = TimelineView(LIGHT)
    view.title.setText(title_text(meta))
    view.title.setVisible(True)
    view.set_fonts(max(9, width // 160))
    font = view.title.font()
    font.setPointSize(max(11, width // 120))
    font.setBold(True)
    view.title.setFont(font)
    view.setStyleSheet("background: white; color: #202020;")
    size = picture_size(rec, width)
    view.resize(size)
    view.set_recording(rec)
    view.zoom_to_fit()
    _settle(view)
    if path.lower().endswith(".svg"):
        _render_svg(view, path, size)
    else:
        _render_png(view, path, size)
    view.deleteLater()


def _settle(view: Any) -> None:
    view.show()
    app = QApplication.instance()
    for _ in range(4):
        app.processEvents()
    view.refresh()
    view.zoom_to_fit()
    for _ in range(4):
        app.processEvents()


def _render_png(view: Any, path: str, size: QSize) -> None:
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    _paint(view, image)
    if not image.save(path):
        raise OSError(f"could not save {path}")


def _render_svg(view: Any, path: str, size: QSize) -> None:
    gen = QSvgGenerator()
    gen.setFileName(path)
    gen.setSize(size)
    gen.setViewBox(QRect(0, 0, size.width(), size.height()))
    gen.setTitle("mpscope")
    _paint(view, gen)


def _paint(view: Any, device: Any) -> None:
    painter = QPainter(device)
    try:
        view.render(painter, QPoint(0, 0))
    finally:
        painter.end()
