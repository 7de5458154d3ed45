"""Figure 5, start-up: the window on screen within 1.5 s of ``python main.py`` (median of 5).

Each run launches a fresh ``python bench/startup.py --child``, with the launch time (monotonic ns,
taken just before the fork) in an environment variable. The child hooks the app from outside: it
wraps ``gui.app_setup.ensure_app`` so that the new QApplication gets an event filter, then runs
``main.py`` exactly as ``python main.py`` would (``runpy``, ``__main__``). When the MainWindow's
first paint has finished (a zero timer posted at its first Paint event has fired) the child prints
its timings as JSON and exits at once. No app code changes.

Platforms: ``offscreen`` always; ``xcb`` on a private Xvfb server too when Xvfb is installed (a
real X window that is mapped and exposed). Importing ``gui.app_setup`` first to hook it moves the
PySide6/pyqtgraph import ahead of ``control.cli``; the total is the same.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import common

TARGET_S = 1.5
ENV_T0 = "MPSCOPE_BENCH_T0"


# ---- the child: main.py with a hook --------------------------------------------------------------
def child() -> None:
    t0 = int(os.environ[ENV_T0])
    marks = {"interpreter": time.monotonic_ns()}
    import runpy

    import gui.app_setup as app_setup

    marks["qt_imported"] = time.monotonic_ns()
    original = app_setup.ensure_app

    def hooked(lang=None):
        app = original(lang)
        marks["app_created"] = time.monotonic_ns()
        _watch_first_paint(app, marks, t0)
        return app

    app_setup.ensure_app = hooked
    main_py = os.path.join(common.ROOT, "main.py")
    sys.argv = [main_py]
    runpy.run_path(main_py, run_name="__main__")


def _watch_first_paint(app, marks: dict, t0: int) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow

    def done() -> None:
        marks["painted"] = time.monotonic_ns()
        out = {k: (v - t0) / 1e6 for k, v in marks.items()}
        print(json.dumps(out), flush=True)
        os._exit(0)

    class Filter(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
            kind = event.type()
            if kind == QEvent.Type.Show and isinstance(obj, QMainWindow):
                marks.setdefault("window_built", time.monotonic_ns())
            elif kind == QEvent.Type.Paint and _first_paint_of_window(obj, marks):
                marks["paint_start"] = time.monotonic_ns()
                QTimer.singleShot(0, done)
            return False

    app._bench_filter = Filter()
    app.installEventFilter(app._bench_filter)


def _first_paint_of_window(obj, marks: dict) -> bool:
    from PySide6.QtWidgets import QMainWindow

    if "paint_start" in marks or not obj.isWidgetType():
        return False
    return isinstance(obj.window(), QMainWindow)


# ---- the parent --------------------------------------------------------------------------------
def launch(env: dict) -> dict:
    env = dict(env)
    env[ENV_T0] = str(time.monotonic_ns())
    cmd = [common.PYTHON, os.path.abspath(__file__), "--child"]
    out = subprocess.run(
        cmd, env=env, cwd=common.ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise SystemExit(f"start-up child failed: {out.stderr[-2000:]}")
    return json.loads(lines[-1])


class Xvfb:
    """A private X server on a free display, for real (xcb) windows; ended by its own pid."""

    def __enter__(self) -> str:
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as f:
            number = f.readline().strip()
        return f":{number}"

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(5)


def runs_on(platform: str, reps: int, display: str | None = None) -> list[dict]:
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    if display:
        env["DISPLAY"] = display
    launch(env)  # warm the disk cache; not counted
    return [launch(env) for _ in range(reps)]


def report(name: str, runs: list[dict]) -> bool:
    total = common.median(r["painted"] for r in runs)
    ok = common.figure(
        f"startup to first paint of the window ({name})",
        total,
        "ms",
        f"<= {TARGET_S * 1000:g} ms median",
        total <= TARGET_S * 1000,
    )
    common.raw("to first paint", [r["painted"] for r in runs], "ms", 0)
    steps = ("interpreter", "qt_imported", "app_created", "window_built", "paint_start", "painted")
    labels = {
        "interpreter": "python up, running the driver",
        "qt_imported": "PySide6 + pyqtgraph imported",
        "app_created": "control.cli imported, CLI parsed, QApplication made",
        "window_built": "MainWindow imported, built, shown",
        "paint_start": "first Paint event reached the window",
        "painted": "first paint done",
    }
    prev = 0.0
    for step in steps:
        at = common.median(r.get(step, float("nan")) for r in runs)
        common.note(f"{at:7.0f} ms  (+{at - prev:5.0f})  {labels[step]}")
        prev = at
    return bool(ok)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--platform", choices=("offscreen", "xvfb", "both"), default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return 1  # main.py returned without a paint: the hook did not fire
    common.machine()
    ok = True
    if args.platform in ("offscreen", "both"):
        ok = report("offscreen", runs_on("offscreen", args.reps)) and ok
    if args.platform in ("xvfb", "both"):
        if shutil.which("Xvfb"):
            with Xvfb() as display:
                ok = report("xcb on Xvfb", runs_on("xcb", args.reps, display)) and ok
        else:
            common.note("Xvfb is not installed: the xcb measurement is skipped")
    common.machine()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
