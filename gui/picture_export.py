"""Pictures of a recording for slides: PNG at a chosen width, or SVG, or an image for the
clipboard; of the whole run or of a time range; in the light theme unless asked otherwise.

The timeline widget itself (title, legend, lanes, axes) is rendered after the layout has settled (too early and pyqtgraph's axis labels are missing). SVG goes through
QSvgGenerator: pyqtgraph 0.14's SVGExporter fails on Qt 6.11/6.12 (pyqtgraph issue #3485).
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from gui.app_setup import current_language, ensure_app, font_warning, set_language
from gui.theme import LIGHT, Palette
from model.recording import Recording

ROW_PX = 70
MIN_HEIGHT = 360


def picture_size(rec: Recording, width: int) -> QSize:
    lanes = max(len(rec.lanes), 1)
    return QSize(width, max(MIN_HEIGHT, min(int(width * 0.75), 170 + lanes * ROW_PX)))


def title_text(meta: dict[str, Any], rec: Recording) -> str:
    """The picture's title: what ran, the start method its processes really used (a program
    may choose its own), the date, and the time scale when it was not 1."""
    from gui import texts

    date = meta.get("date") or datetime.date.today().isoformat()
    title = texts.scenario_text(meta.get("title", ""))
    method = rec.start_method(str(meta.get("start_method", "")))
    text = texts.tr("{title} · start method: {method} · {date}").format(
        title=title, method=method, date=date
    )
    scale = meta.get("time_scale", 1)
    if isinstance(scale, int | float) and scale != 1:
        text += texts.tr(" · time scale ×{scale}").format(scale=f"{scale:g}")
    return text


def export_picture(
    rec: Recording,
    path: str,
    width: int,
    meta: dict[str, Any],
    lang: str | None = None,
    x_range: tuple[float, float] | None = None,
    palette: Palette = LIGHT,
) -> None:
    """Write the picture in ``lang`` (None: the app's current language, or the system's).

    ``x_range`` (seconds since the start) shows only that span; None shows the whole run.
    """
    before = current_language() if QApplication.instance() is not None else None
    ensure_app(lang)
    try:
        warning = font_warning()
        if warning:
            print(f"mpscope: warning: {warning}", file=sys.stderr)
        _export(rec, path, width, meta, x_range, palette)
    finally:
        if before is not None and current_language() != before:
            set_language(before)  # a window that asked for another language keeps its own


def picture_image(
    rec: Recording,
    width: int,
    meta: dict[str, Any],
    x_range: tuple[float, float] | None = None,
    palette: Palette = LIGHT,
) -> QImage:
    """The PNG picture as an image (for the clipboard), in the app's current language."""
    view, size = _picture_view(rec, width, meta, x_range, palette)
    try:
        return _image(view, size, palette)
    finally:
        view.deleteLater()


def _export(
    rec: Recording,
    path: str,
    width: int,
    meta: dict[str, Any],
    x_range: tuple[float, float] | None,
    palette: Palette,
) -> None:
    view, size = _picture_view(rec, width, meta, x_range, palette)
    try:
        if path.lower().endswith(".svg"):
            _render_svg(view, path, size)
        elif not _image(view, size, palette).save(path):
            raise OSError(f"could not save {path}")
    finally:
        view.deleteLater()


def _picture_view(
    rec: Recording,
    width: int,
    meta: dict[str, Any],
    x_range: tuple[float, float] | None,
    palette: Palette,
) -> tuple[Any, QSize]:
    """A TimelineView of ``rec`` laid out at the picture's size, ready to render."""
    from gui.timeline_view import TimelineView
    from gui.view_style import apply_palette, set_text_size

    view = TimelineView(palette)
    apply_palette(view, palette)
    view.title.setText(title_text(meta, rec))
    view.title.setVisible(True)
    set_text_size(view, max(9, width // 160))
    font = view.title.font()
    font.setPointSize(max(11, width // 120))
    font.setBold(True)
    view.title.setFont(font)
    size = picture_size(rec, width)
    view.resize(size)
    view.set_recording(rec)
    _settle(view, x_range)
    return view, size


def _settle(view: Any, x_range: tuple[float, float] | None) -> None:
    view.show()
    app = QApplication.instance()
    _show_range(view, x_range)
    for _ in range(4):
        app.processEvents()
    view.refresh()
    _show_range(view, x_range)
    for _ in range(4):
        app.processEvents()


def _show_range(view: Any, x_range: tuple[float, float] | None) -> None:
    if x_range is None:
        view.zoom_to_fit()
    else:
        view.set_follow(False)
        view.vb.setXRange(x_range[0], x_range[1], padding=0)


def _image(view: Any, size: QSize, palette: Palette) -> QImage:
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor(palette.background))
    _paint(view, image)
    return image


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
