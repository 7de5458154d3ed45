"""Shared helpers of the benchmark scripts: statistics, verdict lines, temp scripts, memory.

Every bench script is run from anywhere as ``.venv/bin/python bench/NAME.py``; importing this module
puts the project root on ``sys.path``. Keep module-level imports light: the runner is spawned from
the bench script, and spawn children re-import it as ``__mp_main__``.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterable

# Benchmarks never write the user's settings (gui/settings.py honours this variable).
if "MPSCOPE_CONFIG_DIR" not in os.environ:  # once: spawned children import this module too
    os.environ["MPSCOPE_CONFIG_DIR"] = tempfile.mkdtemp(prefix="mpscope-bench-config-")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


# ---- statistics ---------------------------------------------------------------------------
def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else math.nan


def percentile(values: Iterable[float], p: float) -> float:
    """The ``p``-th percentile (0–100), linear between closest ranks; NaN for no values."""
    data = sorted(values)
    if not data:
        return math.nan
    pos = (len(data) - 1) * p / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def fmt(value: float, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


# ---- output -------------------------------------------------------------------------------
def figure(name: str, value: float, unit: str, target: str, ok: bool | None) -> bool | None:
    """Print one result line: ``name: value unit (target …) PASS/FAIL``; return ``ok``."""
    verdict = "n/a" if ok is None else ("PASS" if ok else "FAIL")
    print(f"{name}: {fmt(value)} {unit} (target {target}) {verdict}", flush=True)
    return ok


def raw(name: str, values: Iterable[float], unit: str = "", digits: int = 1) -> None:
    """Print the runs behind a median: ``raw name: [a, b, c] unit``."""
    shown = ", ".join(fmt(v, digits) for v in values)
    print(f"  raw {name}: [{shown}] {unit}".rstrip(), flush=True)


def machine() -> None:
    """One line on what else the machine is doing: numbers on a shared 2-core box move with it."""
    load = os.getloadavg()
    print(f"  machine: {cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def note(text: str) -> None:
    print(f"  {text}", flush=True)


# ---- watched scripts ----------------------------------------------------------------------
def write_script(folder: str, name: str, source: str) -> str:
    """Write a user script (dedented) into ``folder``; return its path."""
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(textwrap.dedent(source).lstrip())
    return path


def temp_folder(prefix: str = "mpscope-bench-") -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix=prefix)


# ---- memory and time ----------------------------------------------------------------------
def proc_status_kb(field: str, pid: int | str = "self") -> int:
    """A ``/proc/PID/status`` field in kB (VmRSS, VmHWM …); 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb() -> float:
    return proc_status_kb("VmRSS") / 1024


def descendants(root: int) -> list[int]:
    """``root`` and every process below it, from ``/proc`` (ppid links)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def tree_rss_mb(root: int) -> float:
    return sum(proc_status_kb("VmRSS", pid) for pid in descendants(root)) / 1024


def ms_since(t0_ns: int) -> float:
    return (time.monotonic_ns() - t0_ns) / 1e6


def cpu_count() -> int:
    return os.cpu_count() or 1


# ---- Qt -----------------------------------------------------------------------------------
def qt_app():
    """The project's QApplication (offscreen unless a platform was chosen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler

    from gui.app_setup import ensure_app

    qInstallMessageHandler(_qt_message)
    return ensure_app()


def _qt_message(_mode, _context, message: str) -> None:
    """Qt's warnings to stderr, less the offscreen plugin's harmless propagateSizeHints note."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def run_loop(done, timeout_s: float, poll_ms: int = 20) -> bool:
    """Run the event loop until ``done()`` is true or ``timeout_s``; True if done.

    A local QEventLoop, not ``app.exec()`` ended by ``app.quit()``: on Qt 6 QGuiApplication
    answers a quit by closing every top-level window, so a window used for more than one loop
    (bench/soak.py) would be closed by the first (its closeEvent stops the run)."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout_s
    loop, timer = QEventLoop(), QTimer()
    timer.setInterval(poll_ms)
    timer.timeout.connect(lambda: (done() or time.monotonic() >= deadline) and loop.quit())
    timer.start()
    loop.exec()
    timer.stop()
    return bool(done())


class quiet_output:
    """Point file descriptors ``fds`` (standard output by default) at /dev/null while a runner
    is spawned, so a printing script prints nowhere (the runner inherits them at spawn; this
    process gets its own back afterwards)."""

    def __init__(self, fds: tuple[int, ...] = (1,)) -> None:
        self._fds = fds

    def __enter__(self) -> quiet_output:
        sys.stdout.flush()
        sys.stderr.flush()
        self._saved = [os.dup(fd) for fd in self._fds]
        null = os.open(os.devnull, os.O_WRONLY)
        for fd in self._fds:
            os.dup2(null, fd)
        os.close(null)
        return self

    def __exit__(self, *exc: object) -> None:
        for fd, saved in zip(self._fds, self._saved, strict=True):
            os.dup2(saved, fd)
            os.close(saved)


# ---- profiles -----------------------------------------------------------------------------
def print_hot_spots(profile, top: int = 15, project_top: int = 12) -> None:
    """Self time (tottime) leaders overall, then the project's functions by inclusive time,
    each as a share of all the time the profiler saw. ``profile``: a cProfile.Profile or the
    path of a dumped one."""
    import pstats

    stats = pstats.Stats(profile)
    total = stats.total_tt or 1e-9
    rows = stats.stats.items()
    note(f"profile: {total:.2f} s seen by cProfile (wall clock, one thread)")
    note("self time (tottime), share of all profiled time:")
    for (file, line, func), (_cc, nc, tt, _ct, _callers) in sorted(
        rows, key=lambda r: r[1][2], reverse=True
    )[:top]:
        note(f"  {100 * tt / total:5.1f}%  {tt:7.3f} s  {nc:>9} calls  {_where(file, line, func)}")
    note("project functions by inclusive time (cumtime), share of all profiled time:")
    mine = [r for r in rows if r[0][0].startswith(ROOT) and "/bench/" not in r[0][0]]
    for (file, line, func), (_cc, nc, _tt, ct, _callers) in sorted(
        mine, key=lambda r: r[1][3], reverse=True
    )[:project_top]:
        note(f"  {100 * ct / total:5.1f}%  {ct:7.3f} s  {nc:>9} calls  {_where(file, line, func)}")


def _where(file: str, line: int, func: str) -> str:
    if file == "~":
        return func
    if "site-packages" + os.sep in file:
        short = file.split("site-packages" + os.sep, 1)[1]
    elif file.startswith(ROOT):
        short = os.path.relpath(file, ROOT)
    else:
        short = os.path.basename(file)
    return f"{short}:{line} {func}"


# ---- the window's drain ticks -------------------------------------------------------------
class TickMeter:
    """Times each RunController tick of a MainWindow: the drain, then the window's refresh.

    ``ticks`` rows: (drain start, drain end, refresh end) in monotonic ns, events drained, and
    the Recording's event count after the tick. The session's ``drain`` is wrapped on the
    instance (this run only); the ``updated`` slot is connected after the window's own, so it
    runs when the window's refresh has returned.
    """

    def __init__(self, window) -> None:
        self.window = window
        self.ticks: list[tuple[int, int, int, int, int]] = []
        self._mark: tuple[int, int, int] | None = None
        window.controller.updated.connect(self._after_refresh)

    def attach(self, session) -> None:
        drain = session.drain

        def timed(*args, **kwargs):
            t0 = time.monotonic_ns()
            n = drain(*args, **kwargs)
            self._mark = (t0, time.monotonic_ns(), n)
            return n

        session.drain = timed

    def _after_refresh(self) -> None:
        now = time.monotonic_ns()
        t0, t1, n = self._mark or (now, now, 0)
        self._mark = None
        self.ticks.append((t0, t1, now, n, self.window.controller.recording.received))

    def samples(self) -> list[tuple[int, int]]:
        """(time the refresh ended, events in the Recording) per tick."""
        return [(t[2], t[4]) for t in self.ticks]

    def summary(self) -> str:
        if not self.ticks:
            return "no ticks"
        drain = [(t[1] - t[0]) / 1e6 for t in self.ticks]
        refresh = [(t[2] - t[1]) / 1e6 for t in self.ticks]
        gaps = [(b[0] - a[2]) / 1e6 for a, b in zip(self.ticks, self.ticks[1:], strict=False)]
        n = [t[3] for t in self.ticks]
        return (
            f"{len(self.ticks)} ticks; drain median {median(drain):.1f} ms "
            f"(p99 {percentile(drain, 99):.1f}); events per drain median {median(n):.0f} "
            f"(max {max(n)}); refresh (timeline, log, console) median {median(refresh):.1f} ms "
            f"(p99 {percentile(refresh, 99):.1f}, max {max(refresh):.1f}); "
            f"between ticks median {median(gaps):.1f} ms"
        )
