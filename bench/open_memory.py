"""Opening a recording costs memory in proportion to what it holds: peak memory of
``recording_file.load`` on a ~20 MB recording, as a multiple of the file's size (issue 16: it
was ~28x; target well under 10x).

The recording is made for real: a user script (a Queue of messages, printed lines, a pool.map)
runs under the tracer in a headless Session; its events are replicated (later timestamps, new
job and message ids: bench/scale.py's ``replicated``) until the saved file weighs ~20 MB. Each
measurement runs in a fresh child process: its peak RSS (VmHWM of /proc/self/status: ru_maxrss
would start at this process's own peak, the child being forked from it) after the imports is the
baseline, the peak after ``load`` the figure; the RSS still held once loaded and the time taken
are printed too. ``--tracemalloc`` adds a child that reports Python's own allocation peak.
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

TARGET_RATIO = 10.0
FILE_MB = 20.0
MESSAGES = 5_000

WORKLOAD = """
    import multiprocessing as mp
    import sys

    N = int(sys.argv[1])


    def square(x):
        return x * x


    def producer(q, n):
        for i in range(n):
            q.put(("item", i, "数据"))


    if __name__ == "__main__":
        q = mp.Queue()
        p = mp.Process(target=producer, args=(q, N))
        p.start()
        for i in range(N):
            q.get()
            if i % 4 == 0:
                print(f"got {i} 条消息")
        p.join()
        with mp.Pool(4) as pool:
            pool.map(square, range(N))
"""


def record(folder: str, messages: int):
    """A real traced run of WORKLOAD (headless, as ``--export`` runs it)."""
    from control.session import RunSpec, Session

    script = common.write_script(folder, "workload.py", WORKLOAD)
    with common.quiet_output():
        session = Session(RunSpec(script, [str(messages)], "fork", 1.0))
        session.start()
        if not session.wait_finished(300):
            session.stop()
    rec = session.recording
    print(f"recorded: {len(rec.events):,} events, {len(rec.lanes)} processes (headless Session)")
    return rec


def grown(rec, megabytes: float, folder: str) -> str:
    """``rec``'s events replicated until the saved recording weighs about ``megabytes``."""
    from scale import replicated

    from model import recording_file
    from model.recording import Recording

    probe = os.path.join(folder, "probe.mpscope.json")
    recording_file.save(rec, probe, {"title": "workload"})
    per_event = os.path.getsize(probe) / max(len(rec.events), 1)
    total = int(megabytes * 1e6 / per_event)
    big = Recording(limit=total + len(rec.events))
    base = list(rec.events)
    for batch in replicated(base, total):
        big.add(batch)
    big.finish(big.last_ts)
    path = os.path.join(folder, "big.mpscope.json")
    recording_file.save(big, path, {"title": "workload", "start_method": "fork"})
    size = os.path.getsize(path) / 1e6
    print(f"saved {len(big.events):,} events: {size:.1f} MB ({per_event:.0f} B an event)")
    return path


def child(path: str, traced: bool) -> None:
    """In a fresh process: load ``path`` once; one JSON line with the peak and held memory."""
    import tracemalloc

    from model import recording_file

    if traced:
        tracemalloc.start()
    base_peak = common.proc_status_kb("VmHWM") / 1024
    base_rss = common.rss_mb()
    t0 = time.perf_counter()
    rec, _meta = recording_file.load(path)
    seconds = time.perf_counter() - t0
    result = {
        "events": len(rec.events),
        "file_mb": os.path.getsize(path) / 2**20,
        "peak_mb": common.proc_status_kb("VmHWM") / 1024 - base_peak,
        "held_mb": common.rss_mb() - base_rss,
        "seconds": seconds,
    }
    if traced:
        held, peak = tracemalloc.get_traced_memory()
        result["traced_peak_mb"], result["traced_held_mb"] = peak / 2**20, held / 2**20
    print(json.dumps(result), flush=True)


def measure(path: str, traced: bool = False) -> dict:
    cmd = [common.PYTHON, os.path.abspath(__file__), "--child", path]
    if traced:
        cmd.append("--tracemalloc")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    lines = out.stdout.splitlines()
    if out.returncode != 0 or not lines or not lines[-1].startswith("{"):
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit("open_memory: the child failed")
    return json.loads(lines[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--megabytes", type=float, default=FILE_MB, help="size of the recording")
    parser.add_argument("--file", help="measure this recording instead of making one")
    parser.add_argument("--keep", metavar="PATH", help="keep the recording made at PATH")
    parser.add_argument("--tracemalloc", action="store_true", help="also Python's own peak")
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.tracemalloc)
        return 0
    common.machine()
    with common.temp_folder() as folder:
        path = args.file or grown(record(folder, MESSAGES), args.megabytes, folder)
        if args.keep and not args.file:
            shutil.copyfile(path, args.keep)
        runs = [measure(path) for _ in range(args.reps)]
        traced = measure(path, traced=True) if args.tracemalloc else None
    ratios = [r["peak_mb"] / r["file_mb"] for r in runs]
    ratio = common.median(ratios)
    first = runs[0]
    ok = common.figure(
        f"open memory: peak over the file's size ({first['file_mb']:.1f} MB, "
        f"{first['events']:,} events)",
        ratio,
        "x",
        f"< {TARGET_RATIO:g}x",
        ratio < TARGET_RATIO,
    )
    common.raw("peak / file size", ratios, "x")
    common.raw("peak growth", [r["peak_mb"] for r in runs], "MB")
    common.raw("held once loaded", [r["held_mb"] for r in runs], "MB")
    common.raw("load time", [r["seconds"] for r in runs], "s", digits=2)
    if traced is not None:
        common.note(
            f"tracemalloc: peak {traced['traced_peak_mb']:.0f} MB, held once loaded "
            f"{traced['traced_held_mb']:.0f} MB"
        )
    common.machine()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
