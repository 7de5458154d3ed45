"""Figure 1, ingest: does the window keep up with >= 100,000 events/s for 10 s from 4 workers,
and does a 10 ms QTimer stay on time meanwhile (p99 lateness < 50 ms)?

A user script (written to a temp folder) starts 4 Processes that each print as fast as they can
for SECONDS (every printed line is one traced ``print`` event; ``--source sleep`` uses
``time.sleep(0)`` instead, two ``state`` events each; ``--source queue``: two workers put into one
Queue that the other two drain, a send and a receive event per message). It runs under the real tracer from a real
MainWindow (offscreen): its RunController drains the channel every 30 ms, the Recording grows and
the timeline, console and event log refresh. The runner's stdout goes to /dev/null.

Each repetition runs the same flood three ways, in this order:
  capacity  a reader that only receives frames: what the producers can offer;
  headless  Session.wait_finished (decode + Recording, no view): the model's own rate;
  window    the MainWindow: the figure.
Producers block on a full pipe, so a slow reader slows them: "received/s" is the rate the reader
took in during the flood; backlog is what had been offered and not yet received at its end.
If the window misses a target, one more window run is profiled (cProfile of the GUI thread).
"""

from __future__ import annotations

import argparse
import cProfile
import fcntl
import glob
import json
import os
import time

import common

TARGET_RATE = 100_000  # events/s
TARGET_P99_LATE_MS = 50.0
CATCH_UP_S = 0.5  # "keeps up": everything offered is in the Recording within this of the end
PROBE_MS = 10
TICK_MS = 16  # gui.run_controller.TICK_MS, read here without importing Qt
F_GETPIPE_SZ = 1032  # Linux fcntl

FLOOD = """
    import json
    import multiprocessing as mp
    import os
    import sys
    import time

    SECONDS = float(sys.argv[1])
    SOURCE = sys.argv[2]
    WORKERS = 4


    def flood(index, folder, q):
        start = time.monotonic_ns()
        end = start + int(SECONDS * 1e9)
        n = 0
        consumer = SOURCE == "queue" and index >= WORKERS // 2
        while not consumer and time.monotonic_ns() < end:
            if SOURCE == "print":
                for _ in range(100):
                    print("x")
            elif SOURCE == "queue":
                for i in range(100):
                    q.put(i)
            else:
                for _ in range(100):
                    time.sleep(0)
            n += 100
        if SOURCE == "queue" and not consumer:
            q.put(None)  # one end mark per producer: each consumer stops at one
        while consumer and q.get() is not None:
            pass
        stop = time.monotonic_ns()
        per = 1 if SOURCE == "print" else 2  # sleep: two state changes; queue: send and receive
        with open(os.path.join(folder, f"count{index}.json"), "w") as f:
            json.dump({"events": n * per, "start": start, "stop": stop}, f)


    if __name__ == "__main__":
        here = os.path.dirname(os.path.abspath(__file__))
        q = mp.Queue()
        workers = [mp.Process(target=flood, args=(i, here, q)) for i in range(WORKERS)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
"""


# ---- the flood's own account ------------------------------------------------------------------
def producers(folder: str) -> dict:
    """What the workers offered: events, and when the flood started and ended (monotonic ns)."""
    counts = []
    for path in glob.glob(os.path.join(folder, "count*.json")):
        with open(path, encoding="utf-8") as f:
            counts.append(json.load(f))
        os.remove(path)
    if not counts:
        return {"events": 0, "start": 0, "stop": 0}
    return {
        "events": sum(c["events"] for c in counts),
        "start": min(c["start"] for c in counts),
        "stop": max(c["stop"] for c in counts),
    }


def received_at(samples: list[tuple[int, int]], t: int) -> float:
    """Events received by time ``t``, linear between (time, count) samples."""
    prev = (samples[0][0], 0) if samples else (t, 0)
    for ts, n in samples:
        if ts >= t:
            span = ts - prev[0]
            frac = (t - prev[0]) / span if span > 0 else 1.0
            return prev[1] + frac * (n - prev[1])
        prev = (ts, n)
    return float(prev[1])


def summary(samples: list[tuple[int, int]], offered: dict) -> dict:
    start, stop, total = offered["start"], offered["stop"], offered["events"]
    seconds = max((stop - start) / 1e9, 1e-9)
    got = received_at(samples, stop) - received_at(samples, start)
    reached = next((ts for ts, n in samples if n >= total), None)
    catch_up = (reached - stop) / 1e9 if reached is not None else float("inf")
    return {
        "offered_per_s": total / seconds,
        "received_per_s": got / seconds,
        "backlog": max(total - received_at(samples, stop), 0.0),
        "catch_up_s": max(catch_up, 0.0),
        "received": samples[-1][1] if samples else 0,
        "offered": total,
    }


# ---- the three readers ------------------------------------------------------------------------
def spec_for(script: str, seconds: float, source: str):
    from control.session import RunSpec

    return RunSpec(script, [str(seconds), source], "fork", 1.0)


def run_capacity(script: str, seconds: float, source: str) -> None:
    """Receive frames and drop them: the producers' own rate, with a reader that costs nothing."""
    from control.session import Session

    session = Session(spec_for(script, seconds, source))
    with common.quiet_output():
        session.start()
    reader = session._reader
    while True:
        try:
            reader.recv_bytes()
        except (EOFError, OSError):
            break
    session.stop()


def run_headless(script: str, seconds: float, source: str) -> dict:
    from control.session import Session

    session = Session(spec_for(script, seconds, source))
    with common.quiet_output():
        session.start()
    samples = []
    while session.running():
        if session.drain() == 0:
            session._wait_readable(0.01)
        samples.append((time.monotonic_ns(), session.recording.received))
    return {"samples": samples}


def run_window(app, script: str, seconds: float, source: str, profile: bool = False) -> dict:
    """The real window runs the flood; returns its ticks, the probe's ticks and the profile."""
    from PySide6.QtCore import Qt, QTimer

    from gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 900)
    window.show()
    app.processEvents()
    probe_times: list[int] = []
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(PROBE_MS)
    probe.timeout.connect(lambda: probe_times.append(time.monotonic_ns()))
    meter = common.TickMeter(window)
    profiler = cProfile.Profile() if profile else None
    rss_start = common.rss_mb()
    with common.quiet_output():
        window.controller.run_script(spec_for(script, seconds, source))
    meter.attach(window.controller.session)
    pipe_bytes = fcntl.fcntl(window.controller.session._reader.fileno(), F_GETPIPE_SZ)
    probe.start()
    if profiler:
        profiler.enable()
    finished = common.run_loop(lambda: not window.controller.running(), seconds + 60)
    if profiler:
        profiler.disable()
    probe.stop()
    if not finished:
        window.controller.stop()
    rec = window.controller.recording
    memory = {"rss_growth": common.rss_mb() - rss_start, "kept": len(rec.events)}
    memory["counted"] = rec.summarised_total
    window.close()
    window.deleteLater()
    app.processEvents()
    return {"meter": meter, "probe": probe_times, "profile": profiler, "pipe": pipe_bytes, **memory}


def probe_lateness(probe: list[int], start: int, stop: int) -> list[float]:
    """Lateness (ms) of each 10 ms tick that fired during the flood."""
    inside = [t for t in probe if start <= t <= stop]
    return [max((b - a) / 1e6 - PROBE_MS, 0.0) for a, b in zip(inside, inside[1:], strict=False)]


# ---- reporting --------------------------------------------------------------------------------
def one_rep(app, script: str, folder: str, args: argparse.Namespace) -> dict:
    out = {}
    run_capacity(script, args.seconds, args.source)
    offered = producers(folder)
    out["capacity"] = offered["events"] / max((offered["stop"] - offered["start"]) / 1e9, 1e-9)
    run = run_headless(script, args.seconds, args.source)
    out["headless"] = summary(run["samples"], producers(folder))
    run = run_window(app, script, args.seconds, args.source)
    offered = producers(folder)
    out["window"] = summary(run["meter"].samples(), offered)
    late = probe_lateness(run["probe"], offered["start"], offered["stop"])
    out["late_p99"] = common.percentile(late, 99)
    out["late_median"] = common.median(late)
    out["ticks"] = run["meter"].summary()
    out["per_drain"] = common.median(t[3] for t in run["meter"].ticks if t[3] > 0)
    out["pipe"] = run["pipe"]
    out.update({k: run[k] for k in ("rss_growth", "kept", "counted")})
    return out


def report(reps: list[dict], args: argparse.Namespace) -> bool:
    win = [r["window"] for r in reps]
    rate = common.median(w["received_per_s"] for w in win)
    catch = common.median(w["catch_up_s"] for w in win)
    late = common.median(r["late_p99"] for r in reps)
    print(f"ingest ({args.source} flood, 4 workers, {args.seconds:g} s, {len(reps)} runs)")
    ok_rate = common.figure(
        "ingest rate received by the window",
        rate,
        "events/s",
        f">= {TARGET_RATE:,}/s, all in within {CATCH_UP_S} s of the end",
        rate >= TARGET_RATE and catch <= CATCH_UP_S,
    )
    ok_late = common.figure(
        "ingest p99 lateness of a 10 ms QTimer",
        late,
        "ms",
        f"< {TARGET_P99_LATE_MS:g} ms",
        late < 50,
    )
    common.raw("window received/s", [w["received_per_s"] for w in win], "events/s")
    common.raw(
        "window offered/s (producers, throttled by a full pipe)", [w["offered_per_s"] for w in win]
    )
    common.raw("window backlog at the flood's end", [w["backlog"] for w in win], "events")
    common.raw("window catch-up after the flood's end", [w["catch_up_s"] for w in win], "s", 2)
    common.raw("window events received in all", [w["received"] for w in win])
    common.raw("probe p99 lateness", [r["late_p99"] for r in reps], "ms")
    common.raw("probe median lateness", [r["late_median"] for r in reps], "ms")
    common.raw(
        "headless received/s (Session + Recording, no view)",
        [r["headless"]["received_per_s"] for r in reps],
    )
    common.raw(
        "producers' capacity (reader only receives)", [r["capacity"] for r in reps], "events/s"
    )
    common.raw("window RSS growth over the run", [r["rss_growth"] for r in reps], "MB")
    common.raw("events kept in the Recording", [r["kept"] for r in reps])
    common.raw("events counted past its detail limit, not kept", [r["counted"] for r in reps])
    ratio = [r["window"]["received_per_s"] / r["headless"]["received_per_s"] for r in reps]
    common.raw("ratio window/headless (same run)", ratio, "", 2)
    for i, r in enumerate(reps, 1):
        common.note(f"window run {i}: {r['ticks']}")
    per_drain = common.median(r["per_drain"] for r in reps)
    common.note(
        f"ceiling: a drain finds about what the {reps[0]['pipe'] // 1024} KiB pipe holds "
        f"(producers block on it between ticks): median {per_drain:,.0f} events per drain; at "
        f"one drain per {TICK_MS} ms that caps the window near {per_drain * 1000 / TICK_MS:,.0f} "
        "events/s even with a refresh that costs nothing"
    )
    return bool(ok_rate and ok_late)


def profile_run(app, script: str, folder: str, args: argparse.Namespace) -> None:
    print("profiling one more window run (cProfile, GUI thread; it slows the GUI itself)")
    run = run_window(app, script, args.seconds, args.source, profile=True)
    got = summary(run["meter"].samples(), producers(folder))
    common.note(
        f"profiled run received {got['received_per_s']:,.0f} events/s, "
        f"{got['received']:,} events in all"
    )
    common.note(f"profiled run: {run['meter'].summary()}")
    common.print_hot_spots(run["profile"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--source", choices=("print", "sleep", "queue"), default="print")
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto")
    args = parser.parse_args()
    common.machine()
    app = common.qt_app()
    with common.temp_folder() as folder:
        script = common.write_script(folder, "flood.py", FLOOD)
        reps = [one_rep(app, script, folder, args) for _ in range(args.reps)]
        ok = report(reps, args)
        if args.profile == "always" or (args.profile == "auto" and not ok):
            profile_run(app, script, folder, args)
    common.machine()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
