"""Figure 3, scale: ``pool.map`` of 100,000 tiny tasks on 4 workers. The whole timeline renders,
a pan or a zoom redraws in < 50 ms (median, offscreen at 1920x1080), and 1,000,000 events are
held in < 500 MB of the window's memory.

The recording is made for real: a user script runs under the tracer (headless Session). A
TimelineView of 1920x1080 (offscreen) is given it; each redraw is ``setXRange`` + ``plot.grab()``
(one full synchronous render of the plot, axes included); pending events run untimed between.

  whole     zoomed to fit: the whole run on screen (3 renders);
  pan       a window of 1/10 of the run moved by 1/4 of its width, 20 steps;
  zoom      the visible width halved 7 times from the whole run, then doubled back (14 steps).

Memory runs in a fresh child process: the real recording's events are replicated (later
timestamps, new job ids) to 1,000,000, sent through the channel's own frame encoding and decoding
as the window would receive them, added to a Recording and shown in a TimelineView. It reports
the RSS growth over the child's own baseline (Qt and an empty view already up). The same again
for a real Queue flood (two producers, 20,000 messages, replicated with new message ids): each
of its events is a message end, the heaviest kind to keep.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import subprocess
import sys
import time
import tracemalloc

import common

TARGET_REDRAW_MS = 50.0
TARGET_MEMORY_MB = 500.0
TASKS = 100_000
MEMORY_EVENTS = 1_000_000
WIDTH, HEIGHT = 1920, 1080
LIFECYCLE = ("created", "started", "exited", "joined", "terminated", "exit_status")

POOL_MAP = """
    import multiprocessing as mp
    import sys

    TASKS = int(sys.argv[1])
    WORKERS = 4


    def tiny(x):
        return x


    if __name__ == "__main__":
        with mp.Pool(WORKERS) as pool:
            pool.map(tiny, range(TASKS))
"""


QUEUE_FLOOD = """
    import multiprocessing as mp
    import sys

    MESSAGES = int(sys.argv[1])


    def producer(q, n):
        for i in range(n):
            q.put(i)


    if __name__ == "__main__":
        q = mp.Queue()
        producers = [mp.Process(target=producer, args=(q, MESSAGES // 2)) for _ in range(2)]
        for p in producers:
            p.start()
        for _ in range(MESSAGES // 2 * 2):
            q.get()
        for p in producers:
            p.join()
"""
QUEUE_MESSAGES = 20_000  # recorded for real, then replicated for the memory figure


def record_queue(folder: str, messages: int):
    """A real Queue run (2 producers, the main process getting): the memory figure of a
    message flood, whose events each carry a message end, not a task's."""
    from control.session import RunSpec, Session

    script = common.write_script(folder, "queue_flood.py", QUEUE_FLOOD)
    session = Session(RunSpec(script, [str(messages)], "fork", 1.0))
    session.start()
    if not session.wait_finished(300):
        session.stop()
    rec = session.recording
    paired = len(rec.messages.completed)
    print(f"recorded a Queue flood: {len(rec.events):,} events, {paired:,} messages paired")
    return rec


def record(folder: str, tasks: int):
    from control.session import RunSpec, Session

    script = common.write_script(folder, "pool_map.py", POOL_MAP)
    session = Session(RunSpec(script, [str(tasks)], "fork", 1.0))
    t0 = time.monotonic_ns()
    session.start()
    if not session.wait_finished(300):
        session.stop()
    rec = session.recording
    done = sum(1 for t in rec.tasks.tasks.values() if t.end is not None)
    print(
        f"recorded pool.map of {tasks:,} tasks: {len(rec.events):,} events, {done:,} tasks "
        f"ended, in {common.ms_since(t0) / 1000:.1f} s (headless Session)"
    )
    return rec


def make_view(app):
    from gui.timeline_view import TimelineView

    view = TimelineView()
    view.resize(WIDTH, HEIGHT)
    view.show()
    app.processEvents()
    return view


def redraw_ms(app, view, x0: float, x1: float) -> float:
    """One redraw: the range change and one full render of the plot (``grab``). Pending events,
    among them the previous step's repaint of the on-screen (offscreen) window, run untimed."""
    app.processEvents()
    t0 = time.perf_counter()
    view.vb.setXRange(x0, x1, padding=0)
    view.plot.grab()
    return (time.perf_counter() - t0) * 1000


def measure_view(app, rec) -> dict:
    view = make_view(app)
    t0 = time.perf_counter()
    view.set_recording(rec)
    app.processEvents()
    first = view.plot.grab()
    build_ms = (time.perf_counter() - t0) * 1000
    view.set_follow(False)
    span = (rec.now() - rec.t0) / 1e9
    whole = [redraw_ms(app, view, 0.0, span) for _ in range(3)]
    width = span / 10
    pan = [redraw_ms(app, view, i * width / 4, i * width / 4 + width) for i in range(1, 21)]
    widths = [span / 2**k for k in range(1, 8)]
    widths += widths[-2::-1] + [span]
    zoom = [redraw_ms(app, view, span / 2 - w / 2, span / 2 + w / 2) for w in widths]
    shown = _non_blank(first.toImage())
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(5):
        redraw_ms(app, view, i * width / 3, i * width / 3 + width)
    profiler.disable()
    view.close()
    view.deleteLater()
    app.processEvents()
    return {
        "build": build_ms,
        "whole": whole,
        "pan": pan,
        "zoom": zoom,
        "shown": shown,
        "profile": profiler,
    }


def measure_live(app, rec, batch: int = 2000) -> list[float]:
    """The run's own events again, in the order they arrived, into a live Recording shown in a
    view: ``batch`` at a time (about what a drain takes in a flood), each followed by the
    refresh the window makes after a drain. ms per refresh; late in the run the timeline holds
    ~100k task boxes, and a refresh must not grow with them."""
    from model.recording import Recording

    view = make_view(app)
    live = Recording(t0=rec.t0)
    live.live = True
    view.set_recording(live)
    events = list(rec.events)
    times = []
    for at in range(0, len(events), batch):
        live.add(events[at : at + batch])
        t0 = time.perf_counter()
        view.refresh()
        times.append((time.perf_counter() - t0) * 1000)
        app.processEvents()
    view.close()
    view.deleteLater()
    app.processEvents()
    return times


def _non_blank(image) -> float:
    """Share of sampled pixels that differ from the background: did anything get drawn?"""
    bg = image.pixel(image.width() - 2, 2)
    samples = [
        image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)
    ]
    return sum(1 for p in samples if p != bg) / max(len(samples), 1)


# ---- memory (child process) -------------------------------------------------------------------
def memory_child(events_path: str, total: int, sites: bool) -> None:
    """In a fresh process: replicate the events to ``total``, take them in as the window would
    (frames encoded and decoded), show them; print the RSS growth as one JSON line. With
    ``sites``, tracemalloc runs too and the top allocation sites are printed first."""
    app = common.qt_app()
    from model.recording import Recording
    from workers.channel import decode_frame, encode_frames

    with open(events_path, encoding="utf-8") as f:
        base = [tuple(ev) for ev in json.load(f)]
    view = make_view(app)
    if sites:
        tracemalloc.start()
    base_rss = common.rss_mb()
    rec = Recording()
    t0 = time.perf_counter()
    for batch in replicated(base, total):
        for frame in encode_frames(batch):
            rec.add(decode_frame(frame)[0])
    rec.finish(rec.last_ts)
    model_rss, add_s = common.rss_mb(), time.perf_counter() - t0
    t0 = time.perf_counter()
    view.set_recording(rec)
    app.processEvents()
    view.plot.grab()
    view_s = time.perf_counter() - t0
    if sites:
        _print_sites(tracemalloc.take_snapshot())
    result = {
        "events": len(rec.events),
        "model_mb": model_rss - base_rss,
        "window_mb": common.rss_mb() - base_rss,
        "peak_mb": common.proc_status_kb("VmHWM") / 1024 - base_rss,
        "base_mb": base_rss,
        "add_s": add_s,
        "view_s": view_s,
    }
    print(json.dumps(result), flush=True)
    os._exit(0)


def _print_sites(snapshot) -> None:
    """The allocation sites holding the most memory, as a share of all traced memory."""
    keep = tracemalloc.Filter(False, tracemalloc.__file__)
    stats = snapshot.filter_traces([keep]).statistics("lineno")
    total = sum(s.size for s in stats) or 1
    print(f"  tracemalloc: {total / 2**20:.0f} MB traced; top allocation sites:")
    for stat in stats[:12]:
        frame = stat.traceback[0]
        where = os.path.relpath(frame.filename, common.ROOT)
        if "site-packages" in where:
            where = where.split("site-packages" + os.sep, 1)[1]
        print(
            f"  {100 * stat.size / total:5.1f}%  {stat.size / 2**20:7.1f} MB  "
            f"{stat.count:>9} blocks  {where}:{frame.lineno}"
        )


def replicated(base: list, total: int, batch: int = 256):
    """``base`` again and again, later each time and with new job ids, in batches."""
    ts = [ev[2] for ev in base]
    span = max(ts) - min(ts) + 1_000_000
    out, n, r = [], 0, 0
    while n < total:
        for kind, pid, t, line, data in base:
            if r and kind in LIFECYCLE:
                continue
            if isinstance(data, dict) and "job" in data:
                data = {**data, "job": data["job"] + r * 1000}
            if r and isinstance(data, dict) and "mid" in data:
                data = {**data, "mid": f"{data['mid']}.{r}"}
            out.append((kind, pid, t + r * span, line, data))
            n += 1
            if len(out) == batch or n == total:
                yield out
                out = []
            if n == total:
                return
        r += 1


def save_events(rec, folder: str, name: str = "events.json") -> str:
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump([rec.event(i) for i in range(len(rec.events))], f)
    return path


def measure_memory(path: str, total: int, sites: bool = False) -> dict:
    cmd = [common.PYTHON, os.path.abspath(__file__), "--memory-child", path, "--events", str(total)]
    if sites:
        cmd.append("--sites")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=170, check=False)
    lines = out.stdout.splitlines()
    if not lines or not lines[-1].startswith("{"):
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit("memory child failed")
    for line in lines[:-1]:
        print(line)
    return json.loads(lines[-1])


# ---- report -----------------------------------------------------------------------------------
def report(view: dict, mem: dict, queue_mem: dict) -> bool:
    whole = common.median(view["whole"])
    pan = common.median(view["pan"])
    zoom = common.median(view["zoom"])
    print(f"scale: pool.map of {TASKS:,} tasks, TimelineView {WIDTH}x{HEIGHT} offscreen")
    ok_whole = common.figure(
        "scale whole-run render (zoomed to fit)",
        whole,
        "ms",
        "renders, drawn",
        view["shown"] > 0.01,
    )
    ok_pan = common.figure(
        "scale pan redraw median", pan, "ms", f"< {TARGET_REDRAW_MS:g} ms", pan < TARGET_REDRAW_MS
    )
    ok_zoom = common.figure(
        "scale zoom redraw median",
        zoom,
        "ms",
        f"< {TARGET_REDRAW_MS:g} ms",
        zoom < TARGET_REDRAW_MS,
    )
    mb = mem["window_mb"]
    ok_mem = common.figure(
        f"scale memory for {mem['events']:,} events (Recording + TimelineView, RSS growth)",
        mb,
        "MB",
        f"< {TARGET_MEMORY_MB:g} MB",
        mb < TARGET_MEMORY_MB,
    )
    qmb = queue_mem["window_mb"]
    ok_qmem = common.figure(
        f"scale memory for {queue_mem['events']:,} events of Queue messages (same)",
        qmb,
        "MB",
        f"< {TARGET_MEMORY_MB:g} MB",
        qmb < TARGET_MEMORY_MB,
    )
    common.note(f"set_recording + first render of the 100k-task run: {view['build']:.0f} ms")
    common.note(f"share of non-background pixels in that render: {view['shown']:.2f}")
    live = view["live"]
    common.note(
        f"live: the run's events fed again in arrival order, a view refresh per 2,000: median "
        f"{common.median(live):.1f} ms, last tenth {common.median(live[-len(live) // 10 :]):.1f} "
        f"ms, max {max(live):.1f} ms ({len(live)} refreshes)"
    )
    common.raw("whole renders", view["whole"], "ms")
    common.raw("pan redraws", view["pan"], "ms")
    common.raw("zoom redraws", view["zoom"], "ms")
    common.note(
        f"memory child: Recording alone {mem['model_mb']:.0f} MB, with the view "
        f"{mem['window_mb']:.0f} MB, peak {mem['peak_mb']:.0f} MB over a {mem['base_mb']:.0f} MB "
        f"baseline; adding took {mem['add_s']:.1f} s, set_recording + render {mem['view_s']:.1f} s"
    )
    common.note(
        f"memory child, Queue messages: Recording alone {queue_mem['model_mb']:.0f} MB, with the "
        f"view {qmb:.0f} MB, peak {queue_mem['peak_mb']:.0f} MB; adding took "
        f"{queue_mem['add_s']:.1f} s, set_recording + render {queue_mem['view_s']:.1f} s"
    )
    return bool(ok_whole and ok_pan and ok_zoom and ok_mem and ok_qmem)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=TASKS)
    parser.add_argument("--events", type=int, default=MEMORY_EVENTS, help="for the memory figure")
    parser.add_argument("--memory-child", metavar="EVENTS_JSON", help=argparse.SUPPRESS)
    parser.add_argument("--sites", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.events, args.sites)
        return 0
    common.machine()
    app = common.qt_app()
    with common.temp_folder() as folder:
        rec = record(folder, args.tasks)
        view = measure_view(app, rec)
        view["live"] = measure_live(app, rec)
        path = save_events(rec, folder)
        mem = measure_memory(path, args.events)
        queue_path = save_events(record_queue(folder, QUEUE_MESSAGES), folder, "queue.json")
        queue_mem = measure_memory(queue_path, args.events)
        ok = report(view, mem, queue_mem)
        if view_failed(view):
            print(
                "profile of 5 pan redraws (cProfile; each also repaints the offscreen window, untimed):"
            )
            common.print_hot_spots(view["profile"])
        for events, figures in ((path, mem), (queue_path, queue_mem)):
            if figures["window_mb"] >= TARGET_MEMORY_MB:
                small = args.events // 5
                print(f"where the memory goes: tracemalloc over {small:,} events in a fresh child")
                measure_memory(events, small, sites=True)
    common.machine()
    return 0 if ok else 1


def view_failed(view: dict) -> bool:
    return max(common.median(view["pan"]), common.median(view["zoom"])) >= TARGET_REDRAW_MS


if __name__ == "__main__":
    raise SystemExit(main())
