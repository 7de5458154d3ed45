"""Output without newlines, plain vs traced (issue 16): progress dots, a ``\\r`` bar, a long line.

One small script, run plain (``python workload.py``) and traced (``python main.py --trace
workload.py --export trace.json``), its standard output going to /dev/null in both:

- ``dots``: ``print('.', end='', flush=True)`` N times (default 100,000), then one newline;
- ``bar``: ``print(f'\\r{pct:3d}% ###…', end='', flush=True)`` N times, then one newline;
- ``long``: one line of ``--long-mb`` MB (default 50) written 1 KB at a time, then its newline.

The script times its own loop (``perf_counter``) and reports its peak RSS (``VmHWM``); the bench
also times the whole process (for the traced run: the app's start, the run, the export). Each
figure is the median of ``--reps`` runs (default 5), plain and traced interleaved. ``--mpscope
DIR`` traces with another checkout of mpscope (e.g. the commit before a change, from ``git
archive``), so before and after are measured by the same bench.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import time

import common

WORKLOAD = """
import sys, time
kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t0 = time.perf_counter()
if kind == "dots":
    for _ in range(n):
        print(".", end="", flush=True)
elif kind == "bar":
    for i in range(n):
        print(f"\\r{i * 100 // n:3d}% " + "#" * (i * 40 // n), end="", flush=True)
else:
    chunk = "x" * 1024
    for _ in range(n):
        sys.stdout.write(chunk)
print()
elapsed = time.perf_counter() - t0
with open("/proc/self/status") as f:
    peak = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
with open(out, "w") as f:
    f.write(f"{elapsed} {peak}")
"""


def run_once(cmd: list[str], out: str, timeout: float) -> tuple[float, float, float]:
    """(loop s, process wall s, peak RSS MB) of one run of the workload; NaNs past ``timeout``
    (the app is killed, and its runner ends the run's processes with it)."""
    t0 = time.perf_counter()
    try:
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return math.nan, math.nan, math.nan
    wall = time.perf_counter() - t0
    with open(out) as f:
        loop, peak_kb = f.read().split()
    os.remove(out)
    return float(loop), wall, int(peak_kb) / 1024


def measure(kind: str, n: int, reps: int, mpscope: str, folder: str, timeout: float) -> None:
    script = common.write_script(folder, "workload.py", WORKLOAD)
    out, trace = os.path.join(folder, "result.txt"), os.path.join(folder, "trace.json")
    plain_cmd = [common.PYTHON, script, kind, str(n), out]
    traced_cmd = [common.PYTHON, os.path.join(mpscope, "main.py"), "--trace", script]
    traced_cmd += ["--export", trace, "--", kind, str(n), out]
    runs: dict[str, list[tuple[float, float, float]]] = {"plain": [], "traced": []}
    for _ in range(reps):
        runs["plain"].append(run_once(plain_cmd, out, timeout))
        runs["traced"].append(run_once(traced_cmd, out, timeout))
    loops = {k: common.median(r[0] for r in v) for k, v in runs.items()}
    walls = {k: common.median(r[1] for r in v) for k, v in runs.items()}
    peaks = {k: max(r[2] for r in v) for k, v in runs.items()}
    if any(math.isnan(r[0]) for v in runs.values() for r in v):
        common.note(f"a run took more than {timeout:.0f} s: killed, counted as n/a")
    print(
        f"{kind} x{n:,}: loop plain {common.fmt(loops['plain'], 3)} s, traced "
        f"{common.fmt(loops['traced'], 3)} s ({loops['traced'] / loops['plain']:.1f}x); "
        f"process plain {common.fmt(walls['plain'], 2)} s, traced {common.fmt(walls['traced'], 2)} s;"
        f" peak RSS of the script plain {peaks['plain']:.0f} MB, traced {peaks['traced']:.0f} MB",
        flush=True,
    )
    for k, v in runs.items():
        common.raw(f"{kind} {k} loop", [r[0] for r in v], "s", 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--n", type=int, default=100_000, help="dots, and bar updates")
    parser.add_argument("--long-mb", type=int, default=50)
    parser.add_argument("--mpscope", default=common.ROOT, help="the mpscope checkout to trace with")
    parser.add_argument("--only", choices=["dots", "bar", "long"], action="append")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a run may take")
    args = parser.parse_args()
    common.machine()
    print(f"  tracing with {os.path.abspath(args.mpscope)}", flush=True)
    sizes = {"dots": args.n, "bar": args.n, "long": args.long_mb * 1024}
    with common.temp_folder() as folder:
        for kind in args.only or list(sizes):
            measure(kind, sizes[kind], args.reps, args.mpscope, folder, args.timeout)
    common.machine()


if __name__ == "__main__":
    main()
