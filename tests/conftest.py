"""Test setup: the project importable, and no child process of pytest left behind by a test.

The runner of a traced run leads its own session and its processes are not pytest's children once
it has gone; tests that start runs check the pids they recorded themselves (helpers.still_alive).
"""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# The safety tests' fixtures (signals recorded, a victim outside the run, runs started and
# stopped), shared by tests/test_safety_signals.py and tests/test_lane_ends.py.
from tests.safety_helpers import sent, start, victim  # noqa: E402, F401


def _children(ppid: int) -> set[int]:
    """Live (non-zombie) processes whose parent is ``ppid``, from /proc/*/stat."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] not in ("Z", "X") and int(fields[1]) == ppid:
            found.add(int(entry))
    return found


def _helpers_of_multiprocessing() -> set[int]:
    """Long-lived helpers multiprocessing keeps for this process (resource tracker, fork server)."""
    import multiprocessing.resource_tracker as rt

    pids = {getattr(rt._resource_tracker, "_pid", None)}
    try:
        import multiprocessing.forkserver as fs

        pids.add(getattr(fs._forkserver, "_forkserver_pid", None))
    except ImportError:
        pass
    return {p for p in pids if p}


@pytest.fixture(scope="session")
def qapp():
    """The app's own QApplication (language, fonts), as the window makes it; a test module may
    define its own (another language)."""
    from gui.app_setup import ensure_app

    return ensure_app()


@pytest.fixture
def window(qtbot):
    """A MainWindow shown; its run, if any, ended after the test."""
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.controller.shutdown()


@pytest.fixture
def english_window(qtbot):
    """A MainWindow shown in English (whatever an earlier test chose); English again after."""
    from gui import app_setup
    from gui.main_window import MainWindow

    app_setup.set_language("en")
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.controller.shutdown()
    app_setup.set_language("en")


@pytest.fixture(autouse=True)
def settings_in_a_temporary_folder(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's settings: each test gets a fresh, empty config folder."""
    monkeypatch.setenv("MPSCOPE_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(autouse=True)
def no_child_left_alive():
    yield
    left = _children(os.getpid()) - _helpers_of_multiprocessing()
    deadline = time.monotonic() + 1.0
    while left and time.monotonic() < deadline:
        time.sleep(0.02)
        left = _children(os.getpid()) - _helpers_of_multiprocessing()
    for pid in left:  # ours, started by this test: end them so the next test starts clean
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    assert not left, f"child processes left alive by the test: {sorted(left)}"
