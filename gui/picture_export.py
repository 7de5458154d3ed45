"""Pictures of a recording for slides: PNG at a chosen width, or SVG, or an image for the
clipboard; of the whole run or of a time range; in the light theme unless asked otherwise.

The timeline widget itself (title, legend, lanes, axes) is rendered after the layout has
settled (too early and pyqtgraph's axis labels are missing). SVG goes through QSvgGenerator:
pyqtgraph 0.14's SVGExporter fails on Qt 6.11/6.12 (pyqtgraph issue #3485). A picture is
written whole or not at all (model/safe_file.py).
"""

from __future__ import annotations

import datetime
import errno
import re
import sys
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from gui.app_setup import current_language, ensure_app, font_warning, set_language
from gui.theme import LIGHT, Palette
from model.plain import text
from model.recording import Recording
from model.safe_file import replace_atomically

ROW_PX = 70
MIN_HEIGHT = 360


def picture_size(rec: Recording, width: int) -> QSize:
    lanes = max(len(rec.lanes), 1)
    return QSize(width, max(MIN_HEIGHT, min(int(width * 0.75), 170 + lanes * ROW_PX)))


def title_text(meta: dict[str, Any], rec: Recording) -> str:
    """The picture's title: what ran, the start method its processes really used (a program
    may choose its own), the date, and the time scale when it was not 1."""
    from gui import texts

    date = text(meta.get("date") or datetime.date.today().isoformat(), 40)
    title = texts.scenario_text(text(meta.get("title", ""), 300))
    method = text(rec.start_method(text(meta.get("start_method", ""), 40)), 40)
    line = texts.tr("{title} · start method: {method} · {date}").format(
        title=title, method=method, date=date
    )
    scale = meta.get("time_scale", 1)
    if isinstance(scale, int | float) and scale != 1:
        line += texts.tr(" · time scale ×{scale}").format(scale=f"{scale:g}")
    return line


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
            data = _svg_bytes(view, size)
        else:
            data = _png_bytes(_image(view, size, palette))
        replace_atomically(path, lambda tmp: _write_bytes(tmp, data))
    finally:
        view.deleteLater()


def _png_bytes(image: QImage) -> bytes:
    """The PNG, encoded in memory: written by Python, a failure says why (a full disk, the
    file size limit), where QImage.save only says False and libpng prints to stderr."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError(errno.EIO, "the picture could not be encoded")
    return bytes(buffer.data())


def _write_bytes(tmp: str, data: bytes) -> None:
    with open(tmp, "wb") as f:
        f.write(data)


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


def _svg_bytes(view: Any, size: QSize) -> bytes:
    """The SVG, made in memory, as well-formed XML whatever the names and lines drawn hold."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(size)
    gen.setViewBox(QRect(0, 0, size.width(), size.height()))
    gen.setTitle("mpscope")
    _paint(view, gen)
    return xml_text(bytes(buffer.data()))


# Characters XML 1.0 does not allow (C0 controls but tab and line ends, lone surrogates,
# U+FFFE/U+FFFF), and C1 controls and DEL, which it discourages: QSvgGenerator escapes < & >
# in drawn text but writes these as they are, and one of them makes the whole file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(svg: bytes) -> bytes:
    """``svg`` with every character XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", svg.decode("utf-8", "replace")).encode("utf-8")


def _paint(view: Any, device: Any) -> None:
    painter = QPainter(device)
    try:
        view.render(painter, QPoint(0, 0))
    finally:
        painter.end()
