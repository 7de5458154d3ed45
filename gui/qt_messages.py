"""Qt's own messages (font fallbacks, platform plugin notes) kept off a command-line user's stderr.

They speak of Qt's internals, not of the user's program: a teacher exporting a picture from a
terminal should see mpscope's one line, nothing else. They go to the ``mpscope.qt`` logger
instead; ``MPSCOPE_QT_MESSAGES=1`` prints them again, for whoever debugs the app.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

LOG = logging.getLogger("mpscope.qt")
_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.DEBUG,
    QtMsgType.QtWarningMsg: logging.DEBUG,
    QtMsgType.QtCriticalMsg: logging.INFO,
    QtMsgType.QtFatalMsg: logging.ERROR,
}


def _to_log(kind: QtMsgType, _context: Any, message: str) -> None:
    LOG.log(_LEVELS.get(kind, logging.DEBUG), "%s", message)


def quiet() -> Any:
    """From now on Qt's messages go to the log; returns the handler that was there before."""
    if os.environ.get("MPSCOPE_QT_MESSAGES") == "1":
        return None
    return qInstallMessageHandler(_to_log)


@contextmanager
def quieted() -> Iterator[None]:
    """Qt's messages go to the log while the block runs (an export), then as before."""
    if os.environ.get("MPSCOPE_QT_MESSAGES") == "1":
        yield
        return
    before = qInstallMessageHandler(_to_log)
    try:
        yield
    finally:
        qInstallMessageHandler(before)
