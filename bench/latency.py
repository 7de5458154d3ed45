"""Figure 2, latency: from an event in a worker to the timeline showing it, at 1,000 events/s
(target: median < 30 ms, p99 < 100 ms).

A user script starts one Process that emits 1,000 events/s for SECONDS, paced by an untraced
``threading.Event.wait``: ``time.sleep(0)`` calls (two ``state`` events each, 500 calls/s) or
``print`` lines (one event each, 1,000/s). A real MainWindow (offscreen) runs it. Each event's ``ts``
is ``time.monotonic_ns()`` in the worker; the GUI reads the same clock:

  refreshed  after the RunController tick that put the event in the Recording, when the window's
             refresh (timeline, log, console) has returned;
  painted    when the timeline's viewport has next been painted after that refresh (the figure).
"""

from __future__ import annotations

import argparse
import bisect
import time

import common

TARGET_MEDIAN_MS = 30.0
TARGET_P99_MS = 100.0
RATE = 1000

EMITTER = """
    import multiprocessing as mp
    import sys
    import threading
    import time

    SECONDS = float(sys.argv[1])
    SOURCE = sys.argv[2]
    RATE = 1000


    def emit():
        pause = threading.Event()
        period = (2 if SOURCE == "sleep" else 1) / RATE
        start = time.monotonic()
        i = 0
        while time.monotonic() - start < SECONDS:
            wait = start + i * period - time.monotonic()
            if wait > 0:
                pause.wait(wait)
            if SOURCE == "sleep":
                time.sleep(0)
            else:
                print(i)
            i += 1


    if __name__ == "__main__":
        worker = mp.Process(target=emit)
        worker.start()
        worker.join()
"""


class PaintProbe:
    """Times each paint of a widget: its start at the Paint event, its end when a zero timer
    posted then fires (after the paint is done). ``paints`` rows: (start, end) monotonic ns."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.paints: list[tuple[int, int]] = []
        probe = self

        class Filter(QObject):
            def eventFilter(self, _obj, event) -> bool:  # noqa: N802 (Qt name)
                if event.type() == QEvent.Type.Paint:
                    start = time.monotonic_ns()
                    QTimer.singleShot(0, lambda: probe.paints.append((start, time.monotonic_ns())))
                return False

        self._filter = Filter()
        widget.installEventFilter(self._filter)


def run_once(app, script: str, seconds: float, source: str) -> dict:
    from control.session import RunSpec
    from gui.main_window import MainWindow
    from workers.events import K_PRINT, K_STATE

    window = MainWindow()
    window.resize(1600, 900)
    window.show()
    app.processEvents()
    probe = PaintProbe(window.timeline.plot.viewport())
    meter = common.TickMeter(window)
    with common.quiet_output():
        window.controller.run_script(RunSpec(script, [str(seconds), source], "fork", 1.0))
    meter.attach(window.controller.session)
    common.run_loop(lambda: not window.controller.running(), seconds + 30)
    app.processEvents()
    rec = window.controller.recording
    window.close()
    window.deleteLater()
    app.processEvents()
    worker = next(p for p, lane in rec.lanes.items() if lane.name == "Process-1")
    kind = K_STATE if source == "sleep" else K_PRINT
    wanted = [(i, ev[2]) for i, ev in enumerate(rec.events) if ev[1] == worker and ev[0] == kind]
    out = latencies(wanted, meter.ticks, sorted(probe.paints))
    out["ticks"] = meter.summary()
    return out


def latencies(wanted: list[tuple[int, int]], ticks: list, paints: list) -> dict:
    """For each (row, ts), ms from ts to: the end of the drain that put it in the Recording,
    the end of the refresh after that drain, the end of the first paint begun after it."""
    counts = [t[4] for t in ticks]
    starts = [p[0] for p in paints]
    out: dict = {"drained": [], "refreshed": [], "painted": [], "events": len(wanted)}
    for row, ts in wanted:
        k = bisect.bisect_right(counts, row)  # the first tick after which the row was there
        if k >= len(ticks):
            continue
        _t0, drained, refreshed, _n, _count = ticks[k]
        out["drained"].append((drained - ts) / 1e6)
        out["refreshed"].append((refreshed - ts) / 1e6)
        p = bisect.bisect_left(starts, refreshed)
        if p < len(paints):
            out["painted"].append((paints[p][1] - ts) / 1e6)
    out["paint_wait"], out["paint_took"] = _paint_steps(ticks, paints, starts)
    return out


def _paint_steps(ticks: list, paints: list, starts: list[int]) -> tuple[list, list]:
    """Per tick: ms from the refresh's end to the next paint's start, and that paint's length
    (to when the event loop is free again: the whole window's repaint)."""
    wait, took = [], []
    for tick in ticks:
        p = bisect.bisect_left(starts, tick[2])
        if p < len(paints):
            wait.append((paints[p][0] - tick[2]) / 1e6)
            took.append((paints[p][1] - paints[p][0]) / 1e6)
    return wait, took


def report(source: str, runs: list[dict]) -> bool:
    use = "painted" if all(r["painted"] for r in runs) else "refreshed"
    med = common.median(common.median(r[use]) for r in runs)
    p99 = common.median(common.percentile(r[use], 99) for r in runs)
    label = f"latency ({source} events, {use})"
    print(f"latency: {source} events at {RATE}/s from one worker, {len(runs)} runs")
    ok1 = common.figure(f"{label} median", med, "ms", f"< {TARGET_MEDIAN_MS:g} ms", med < 30)
    ok2 = common.figure(f"{label} p99", p99, "ms", f"< {TARGET_P99_MS:g} ms", p99 < 100)
    for what in ("painted", "refreshed", "drained"):
        common.raw(f"{what} median", [common.median(r[what]) for r in runs], "ms")
        common.raw(f"{what} p99", [common.percentile(r[what], 99) for r in runs], "ms")
        common.raw(f"{what} max", [max(r[what], default=float("nan")) for r in runs], "ms")
    common.raw("events measured", [r["events"] for r in runs], "", 0)
    common.raw(
        "per tick: refresh end -> paint start, median",
        [common.median(r["paint_wait"]) for r in runs],
        "ms",
    )
    common.raw(
        "per tick: paint start -> loop free, median",
        [common.median(r["paint_took"]) for r in runs],
        "ms",
    )
    for i, r in enumerate(runs, 1):
        common.note(f"run {i}: {r['ticks']}")
    return bool(ok1 and ok2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--sources", default="sleep,print", help="comma list: sleep, print")
    args = parser.parse_args()
    common.machine()
    app = common.qt_app()
    ok = True
    with common.temp_folder() as folder:
        script = common.write_script(folder, "emitter.py", EMITTER)
        for source in args.sources.split(","):
            runs = [run_once(app, script, args.seconds, source) for _ in range(args.reps)]
            ok = report(source, runs) and ok
    common.machine()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
