"""Soak (issue 8): 200 run/stop cycles in one window session leak no process, thread or file
descriptor, and the window's memory grows less than 50 MB from cycle 10 to the last.

One offscreen ``MainWindow``, keeping a runner ready as the app does, runs short scenarios
through the scenario panel and ``window.run_current()`` (plain Processes, Queue, Pool, Pipe and
the crashes scenario in turn, under fork, spawn and forkserver in turn). Half the runs go to
their end; a quarter are stopped with the Stop action as soon as they have children; a quarter
are ended by pressing Run again mid-run (the new run then goes to its end). After each cycle every pid the recordings saw
(runner, lanes, and their parents such as a fork server) must be gone within 2 s.

After the last cycle (and closing the window) it reports: processes left (children of this
process, zombies included, less multiprocessing's resource tracker; recorded pids still alive),
threads (``threading.active_count`` and ``/proc/self/task``), open file descriptors
(``/proc/self/fd``) and RSS, each against its value after cycle 10, and the temporary folders the
runs left (TMPDIR points at a private folder). When one grows it says what: thread names, the
targets of the new descriptors, the Python object types whose count grew (``gc.get_objects``,
after cycle 10 and after the half-way cycle: growth in the second half is steady, not first use)
and the window's QObject children.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import gc
import os
import tempfile
import threading
import time

import common

RSS_TARGET_MB = 50.0
STOP_WITHIN_S = 2.0
CYCLE_TIMEOUT_S = 30.0
BASELINE_CYCLE = 10
METHODS = ("fork", "spawn", "forkserver")
# scenario id -> short values (each run takes ~0.2–0.6 s of the scenario's own time)
SCENARIOS = {
    "process-basics": {"CHILD_SLEEP": 0.3, "PARENT_SLEEP": 0.2},
    "queue-producer-consumer": {"ITEMS": 5, "PUT_SECONDS": 0.05, "GET_SECONDS": 0.08},
    "pool-map": {"POOL_SIZE": 2, "ITEMS": 6, "TASK_SECONDS": 0.05},
    "pipe-ping-pong": {"ROUNDS": 4, "THINK_SECONDS": 0.05},
    "crashes": {"WORK_SECONDS": 0.2, "KILL_AFTER": 0.1},
}


# ---- what the process holds ---------------------------------------------------------------
def _stat(pid: int | str) -> list[str] | None:
    """``/proc/PID/stat`` fields after the command name (state first); None if gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def children() -> dict[int, str]:
    """This process's children (zombies too) -> state, less multiprocessing's own helpers."""
    me, found = os.getpid(), {}
    for entry in os.listdir("/proc"):
        fields = _stat(entry) if entry.isdigit() else None
        if fields is not None and int(fields[1]) == me:
            found[int(entry)] = fields[0]
    for helper in _mp_helpers():
        found.pop(helper, None)
    return found


def _mp_helpers() -> set[int]:
    """The resource tracker (started by the first spawn of a runner): long-lived, not a leak."""
    import multiprocessing.resource_tracker as rt

    pid = getattr(rt._resource_tracker, "_pid", None)
    return {pid} if pid else set()


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()[:120]
    except OSError:
        return "?"


def fd_targets() -> dict[int, str]:
    out = {}
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor, closed by now
            out[int(name)] = os.readlink(f"/proc/self/fd/{name}")
    return out


QT_POOLED = "Thread (pooled)"  # QThreadPool's workers: at most maxThreadCount, gone after 30 s idle


def task_count() -> int:
    """OS threads of this process, less Qt's pooled workers (counted apart)."""
    return sum(1 for name in thread_names() if name != QT_POOLED)


def type_counts() -> collections.Counter:
    """Python objects by type, frozen ones included (the RunController freezes the recording)."""
    gc.unfreeze()
    gc.collect()
    return collections.Counter(type(o).__qualname__ for o in gc.get_objects())


def qobject_count(window) -> int:
    from PySide6.QtCore import QObject

    return len(window.findChildren(QObject))


class Snapshot:
    def __init__(self, window, cycle: int) -> None:
        self.cycle = cycle
        self.rss = common.rss_mb()
        self.threads = threading.active_count()
        self.thread_names = sorted(t.name for t in threading.enumerate())
        self.tasks = task_count()
        self.fds = fd_targets()
        self.types = type_counts()
        self.qobjects = qobject_count(window)
        self.rss = common.rss_mb()  # again: after the collection, as the end is measured


# ---- one cycle ----------------------------------------------------------------------------
def quiet_output() -> common.quiet_output:
    """fds 1 and 2 at /dev/null while a runner is spawned: it inherits them, and the scenarios
    print (the crashes scenario's tracebacks and faulthandler report go to stderr)."""
    return common.quiet_output((1, 2))


WAYS = ("finish", "stop", "finish", "rerun")  # how cycles 0, 1, 2, 3 (mod 4) end


def plan(cycle: int) -> tuple[str, str, str]:
    """(scenario, start method, way) of a cycle. Runs end by themselves and by Stop in turn;
    every fourth is ended by pressing Run again mid-run (the new run then goes to its end).
    Over any 60 cycles every scenario meets every way and every start method."""
    sids = list(SCENARIOS)
    return sids[(cycle // 4) % len(sids)], METHODS[cycle % len(METHODS)], WAYS[cycle % 4]


def start(window, sid: str, method: str) -> None:
    assert window.panel.select(sid), sid
    for name, value in SCENARIOS[sid].items():
        window.panel.params.set_text(name, str(value))
    window.panel.method.setCurrentText(method)
    window.panel.scale.setValue(1.0)
    with quiet_output():
        window.run_current()


def has_children(window) -> bool:
    rec = window.controller.recording
    return rec is not None and sum(1 for lane in rec.lanes.values() if lane.name) >= 2


def run_pids(session) -> set[int]:
    """Every pid of a run: the runner, its lanes and their parents (a fork server)."""
    rec = session.recording
    pids = set(rec.lanes) | {session.runner_pid}
    pids |= {lane.ppid for lane in rec.lanes.values() if isinstance(lane.ppid, int)}
    return pids - {os.getpid(), 1, None}


def left_after(pids: set[int], within: float = STOP_WITHIN_S) -> dict[int, str]:
    """The pids still alive ``within`` seconds from now, with their command lines."""
    deadline = time.monotonic() + within
    left = {p for p in pids if alive(p)}
    while left and time.monotonic() < deadline:
        time.sleep(0.02)
        left = {p for p in left if alive(p)}
    return {p: cmdline(p) for p in left}


def run_cycle(window, cycle: int) -> dict:
    sid, method, way = plan(cycle)
    t0 = time.monotonic()
    controller = window.controller
    start(window, sid, method)
    out = {"sid": sid, "method": method, "way": way, "mid_run": False, "left": {}, "pids": 0}
    if way in ("stop", "rerun"):
        common.run_loop(lambda: has_children(window) or not controller.running(), 15, 10)
        out["mid_run"] = controller.running()
        first = controller.session
        if way == "stop":
            window.stop_action.trigger()
        else:  # Run again while it runs: the controller ends the first run, the new one goes on
            start(window, sid, method)
            out["pids"] += len(run_pids(first))
            out["left"].update(left_after(run_pids(first)))
    if way != "stop":
        common.run_loop(lambda: not controller.running(), CYCLE_TIMEOUT_S, 10)
        if controller.running():  # did not end by itself: a failure, stopped and counted
            window.stop_action.trigger()
    session = controller.session
    pids = run_pids(session)
    out["pids"] += len(pids)
    out["left"].update(left_after(pids))
    out["timed_out"] = way != "stop" and session.stopped
    out["exit_code"] = session.exit_code
    out["seconds"] = time.monotonic() - t0
    out["shown"] = window.isVisible()
    return out


# ---- report -------------------------------------------------------------------------------
def count(name: str, value: int, target: str, ok: bool) -> bool:
    """A figure that is a count: ``soak <figure>: N (target …) PASS/FAIL``."""
    print(f"{name}: {value} (target {target}) {'PASS' if ok else 'FAIL'}", flush=True)
    return ok


def report(snaps: list[Snapshot], tally: Tally) -> bool:
    base, end, all_left = snaps[0], snaps[-1], tally.left
    kids = children()
    still = {p: c for p, c in all_left.items() if alive(p)}
    ok = [
        count("soak processes left (children of the app)", len(kids), "0", not kids),
        count("soak recorded pids alive 2 s after their cycle", len(all_left), "0", not all_left),
        count("soak recorded pids alive at the end", len(still), "0", not still),
    ]
    for pid, state in sorted(kids.items()):
        common.note(f"child {pid} state {state}: {cmdline(pid)}")
    for pid, cmd in sorted(all_left.items()):
        common.note(f"left after its cycle: {pid} ({'alive' if pid in still else 'gone'}) {cmd}")
    ok += report_threads_fds(base, end)
    growth = end.rss - base.rss
    ok.append(
        common.figure(
            f"soak RSS growth, cycle {base.cycle} to {end.cycle}",
            growth,
            "MB",
            f"< {RSS_TARGET_MB:g} MB",
            growth < RSS_TARGET_MB,
        )
    )
    common.note(f"RSS {base.rss:.1f} MB after cycle {base.cycle}, {end.rss:.1f} MB at the end")
    for then in snaps[:-1]:
        report_objects(then, end)
    tally.report()
    return all(ok)


def report_threads_fds(base: Snapshot, end: Snapshot) -> list[bool]:
    since = f"as after cycle {base.cycle}"
    ok = [
        count(
            "soak threads (threading.active_count)",
            end.threads,
            f"<= {base.threads}, {since}",
            end.threads <= base.threads,
        ),
        count(
            "soak threads (/proc/self/task, less Qt's pooled workers)",
            end.tasks,
            f"<= {base.tasks}, {since}",
            end.tasks <= base.tasks,
        ),
        count(
            "soak open file descriptors (/proc/self/fd)",
            len(end.fds),
            f"<= {len(base.fds)}, {since}",
            len(end.fds) <= len(base.fds),
        ),
    ]
    if end.thread_names != base.thread_names:
        common.note(f"Python threads then: {base.thread_names}; now: {end.thread_names}")
    from PySide6.QtCore import QThreadPool

    pooled = thread_names().count(QT_POOLED)
    cap = QThreadPool.globalInstance().maxThreadCount()
    common.note(f"OS threads: {thread_names()} ({pooled} of Qt's pool, capped at {cap})")
    if len(end.fds) > len(base.fds):
        new = {fd: t for fd, t in end.fds.items() if base.fds.get(fd) != t}
        for fd, target in sorted(new.items())[:20]:
            common.note(f"new fd {fd} -> {target}")
        kinds = collections.Counter(
            t.split(":", 1)[0] if ":" in t else "file" for t in new.values()
        )
        common.note(f"new fds by kind: {dict(kinds)}")
    return ok


def thread_names() -> list[str]:
    """The OS threads of this process by name (Qt's and Python's alike)."""
    names = []
    for tid in sorted(os.listdir("/proc/self/task"), key=int):
        try:
            with open(f"/proc/self/task/{tid}/comm", encoding="utf-8") as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return names


def report_objects(base: Snapshot, end: Snapshot, top: int = 12) -> None:
    grew = [(name, end.types[name] - base.types.get(name, 0)) for name in end.types]
    grew = sorted((g for g in grew if g[1] > 0), key=lambda g: -g[1])[:top]
    total = sum(end.types.values()) - sum(base.types.values())
    common.note(
        f"cycle {base.cycle} to {end.cycle}: Python objects {sum(base.types.values()):,} to "
        f"{sum(end.types.values()):,} ({total:+,}); QObjects under the window "
        f"{base.qobjects} to {end.qobjects}"
    )
    if grew:
        common.note("  types that grew most: " + ", ".join(f"{n} +{d:,}" for n, d in grew))


class Tally:
    """What the cycles did, summed as they go (a list of 200 result dicts would itself show up
    as growth in the object counts)."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self.ways: collections.Counter = collections.Counter()
        self.mid_run = self.pids = self.hidden = 0
        self.timed_out: list[str] = []
        self.nonzero: list[str] = []
        self.left: dict[int, str] = {}

    def add(self, c: dict) -> None:
        self.seconds.append(c["seconds"])
        self.ways[c["way"]] += 1
        self.mid_run += c["mid_run"]
        self.pids += c["pids"]
        self.left.update(c["left"])
        self.hidden += not c["shown"]
        what = f"{c['sid']} under {c['method']}"
        if c["timed_out"]:
            self.timed_out.append(what)
        if c["way"] != "stop" and c["exit_code"] != 0:
            self.nonzero.append(f"{what}: exit code {c['exit_code']}")

    def report(self) -> None:
        secs, ways = self.seconds, self.ways
        common.note(
            f"{len(secs)} cycles in {sum(secs):.0f} s (median {common.median(secs):.2f} s, "
            f"max {max(secs):.2f} s): {ways['finish']} ran to their end, {ways['stop']} stopped, "
            f"{ways['rerun']} ended by a new Run ({self.mid_run} of these "
            f"{ways['stop'] + ways['rerun']} while children ran); {len(self.timed_out)} did not "
            f"end within {CYCLE_TIMEOUT_S:g} s; {self.pids} processes in all"
        )
        if self.hidden:
            common.note(f"the window was not visible after {self.hidden} cycles")
        for what in self.timed_out[:5]:
            common.note(f"did not end: {what}")
        for what in self.nonzero[:5]:
            common.note(f"ended badly: {what}")


def report_temp_folders(tmp: str) -> bool:
    """What the runs left in the temporary folder once the window is closed: the app's own
    folders (scenario copies, crash-report scratch) and any other (e.g. multiprocessing's
    ``pymp-*``, removed only by an exit handler that a killed process never runs)."""
    names = sorted(os.listdir(tmp))
    mine = [n for n in names if n.startswith("mpscope-")]
    other = [n for n in names if n not in mine]
    ok = count("soak temporary folders of the app left after closing", len(mine), "0", not mine)
    ok = count("soak other temporary folders left by the runs", len(other), "0", not other) and ok
    for name in (mine + other)[:6]:
        inside = (
            os.listdir(os.path.join(tmp, name)) if os.path.isdir(os.path.join(tmp, name)) else []
        )
        common.note(f"left: {name}/ holding {inside[:3]}")
    return ok


def rss_trend(samples: list[tuple[int, float]]) -> None:
    common.raw("RSS every 10 cycles", [r for _c, r in samples], "MB")


# ---- main ---------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200)
    args = parser.parse_args()
    if args.cycles < 2:
        parser.error("--cycles must be at least 2")
    common.machine()
    with common.temp_folder("mpscope-soak-") as root:
        config, tmp = os.path.join(root, "config"), os.path.join(root, "tmp")
        os.mkdir(config)
        os.mkdir(tmp)
        os.environ["MPSCOPE_CONFIG_DIR"] = config  # never the user's settings.ini
        # the runs' temporary folders (scenario copies, crash reports) go here, to be counted
        os.environ["TMPDIR"] = tempfile.tempdir = tmp
        ok = soak(args.cycles, tmp)
    common.machine()
    return 0 if ok else 1


def soak(n_cycles: int, tmp: str) -> bool:
    app = common.qt_app()
    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    with quiet_output():  # as the app does once its window shows (gui/app.py)
        window.controller.keep_runner_ready()
    app.processEvents()
    # snapshots after cycle 10 (the baseline), half-way (growth since then is steady growth, not
    # first use: every scenario, way and start method has been met by cycle 60) and at the end
    marks = sorted({min(BASELINE_CYCLE, n_cycles // 2), max(n_cycles // 2, 1)} - {n_cycles})
    tally, samples, snaps = Tally(), [], []
    for cycle in range(1, n_cycles + 1):
        with quiet_output():  # runners kept ready are started as runs end: they inherit it too
            tally.add(run_cycle(window, cycle))
        if cycle in marks:
            snaps.append(Snapshot(window, cycle))
        if cycle % 10 == 0:
            samples.append((cycle, common.rss_mb()))
    app.processEvents()
    snaps.append(Snapshot(window, n_cycles))
    window.close()  # the last run's folder goes with the window
    app.processEvents()
    ok = report(snaps, tally)
    ok = report_temp_folders(tmp) and ok
    rss_trend(samples)
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
