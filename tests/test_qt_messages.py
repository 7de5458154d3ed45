"""Qt's own warnings never reach a command-line user's stderr (unless asked for)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import PROJECT_ROOT

WARN = """
from gui.app_setup import ensure_app
from gui import qt_messages
from PySide6.QtGui import QFont
ensure_app()
with qt_messages.quieted():
    QFont().setPointSize(0)  # Qt warns: point size <= 0
print("done")
"""


def _run(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WARN],
        cwd=PROJECT_ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_qt_warnings_stay_off_stderr_during_an_export():
    done = _run()
    assert done.returncode == 0 and done.stdout.strip() == "done"
    assert "QFont" not in done.stderr and "Point size" not in done.stderr


def test_qt_warnings_come_back_when_asked_for():
    done = _run(MPSCOPE_QT_MESSAGES="1")
    assert "Point size" in done.stderr
