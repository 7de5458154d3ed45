"""Render resources/icons/mpscope.svg to the PNG sizes and a Windows .ico (the outputs are committed).

    python packaging/make_icons.py

Uses Qt's own SVG renderer (QSvgRenderer) offscreen, so no display and no other tool is needed.
The .ico is written by Qt's "ico" image plugin (qico, shipped with PySide6); where that plugin is
missing it is skipped with a message. The macOS .icns is made on a Mac (see the README).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ICONS = os.path.join(ROOT, "resources", "icons")
SVG = os.path.join(ICONS, "mpscope.svg")
SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(SVG)
    if not renderer.isValid():
        print(f"make_icons: cannot read {SVG}", file=sys.stderr)
        return 1
    images = {}
    for size in SIZES:
        images[size] = render(renderer, size)
        path = os.path.join(ICONS, f"mpscope-{size}.png")
        if not images[size].save(path, "PNG"):
            print(f"make_icons: cannot write {path}", file=sys.stderr)
            return 1
        print(f"wrote {os.path.relpath(path, ROOT)}")
    formats = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    if "ico" not in formats:
        print("make_icons: Qt has no 'ico' image plugin here: mpscope.ico skipped")
        return 0
    # Qt's ico writer stores one image per file; a multi-size .ico is written by hand below,
    # from PNG-compressed entries (valid in .ico since Windows Vista).
    ico = os.path.join(ICONS, "mpscope.ico")
    write_ico(ico, [images[s] for s in ICO_SIZES])
    print(f"wrote {os.path.relpath(ico, ROOT)}")
    return 0


def write_ico(path: str, images: list[QImage]) -> None:
    """A multi-size .ico whose entries are PNGs."""
    import struct

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    blobs = []
    for image in images:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        blobs.append(bytes(data))
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for image, blob in zip(images, blobs, strict=True):
        side = image.width() if image.width() < 256 else 0  # 0 means 256 in an .ico
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    with open(path, "wb") as f:
        f.write(header + entries + b"".join(blobs))


if __name__ == "__main__":
    sys.exit(main())
