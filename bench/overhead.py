"""Figure 4, overhead: 20,000 tiny pool tasks plus 50,000 Queue messages, traced vs untraced
(target: traced wall time <= 1.5x untraced, every task and message recorded), VizTracer on the
same script for comparison.

Each repetition runs the same workload script four ways, one after the other:
  untraced   ``python workload.py``, from launch to exit;
  window     a fresh process that opens the MainWindow (offscreen, 1600x900), lets it put its
             runner on standby, presses Run on the script and times the Run until the window
             has recorded every event (drained on its timer, timeline drawn as it goes): what a
             Run costs in the open app, the headline ratio;
  traced     a fresh process that runs it in a headless Session, as ``--export`` does (the
             runner, the tracer in every process, every event drained into a Recording), and
             checks the Recording's counts. Two times: the *run*, from Session.start to the last
             event recorded, with a runner on standby; and the *whole process*, launch to exit,
             the app's own start-up and a cold runner included;
  viztracer  ``viztracer -o trace.json workload.py`` (it follows the pool workers and the
             Process itself; its time includes writing its trace file), when installed.
Memory: the peak RSS of the largest single process of the tree (from wait4) and the peak of the
tree's summed RSS (sampled every 100 ms). The workload prints its own phase times. If traced
misses its target, one more traced run profiles the watched MainProcess (cProfile) to show where
its time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import threading
import time

import common

TARGET_RATIO = 1.5
TASKS = 20_000
MESSAGES = 50_000

WORKLOAD = """
    import json
    import multiprocessing as mp
    import time

    TASKS = 20000
    MESSAGES = 50000
    WORKERS = 4


    def tiny(x):
        return x + 1


    def producer(q, n):
        for i in range(n):
            q.put(i)


    if __name__ == "__main__":
        t0 = time.perf_counter()
        with mp.Pool(WORKERS) as pool:
            results = pool.map(tiny, range(TASKS))
        t1 = time.perf_counter()
        q = mp.Queue()
        p = mp.Process(target=producer, args=(q, MESSAGES))
        p.start()
        got = [q.get() for _ in range(MESSAGES)]
        p.join()
        t2 = time.perf_counter()
        print(json.dumps({"pool_s": t1 - t0, "queue_s": t2 - t1, "tasks": len(results), "messages": len(got)}))
"""

# Runs the workload in the real __main__ namespace (pool functions pickle by reference) under
# cProfile; forked children switch the profiler off (they never get to dump it).
PROFILED = """
    import cProfile
    import os

    HERE = os.path.dirname(os.path.abspath(__file__))
    WORK = os.path.join(HERE, "workload.py")

    if __name__ == "__main__":
        profiler = cProfile.Profile()
        os.register_at_fork(after_in_child=profiler.disable)
        with open(WORK, encoding="utf-8") as f:
            code = compile(f.read(), WORK, "exec")
        profiler.enable()
        exec(code, globals())
        profiler.disable()
        profiler.dump_stats(os.path.join(HERE, "main.prof"))
"""


# ---- the traced child: a headless Session -------------------------------------------------------
def traced_child(script: str) -> None:
    """Run ``script`` traced to its end, then print what the Recording holds as one JSON line."""
    from control.session import RunSpec, Session
    from control.standby import Standby

    standby = Standby()  # as the window keeps one while idle (gui/run_controller.py)
    standby.ready(60)
    t0 = time.perf_counter()
    session = Session(RunSpec(script, [], "fork", 1.0))
    session.start(standby)
    session.wait_finished(600)
    print_result(session.recording, time.perf_counter() - t0)


def print_result(rec, run_s: float) -> None:
    """What a traced run recorded, its time and the app's CPU, as one JSON line."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "run_s": run_s,
        "events": len(rec.events),
        "dropped": rec.dropped,
        "tasks_ended": sum(1 for t in rec.tasks.tasks.values() if t.end is not None),
        "tasks_started": sum(1 for t in rec.tasks.tasks.values() if t.start is not None),
        "messages_sent": sum(1 for m in rec.messages.messages.values() if m.sent is not None),
        "messages_paired": len(rec.messages.complete()),
        "app_cpu_s": usage.ru_utime + usage.ru_stime,
    }
    print("\n" + json.dumps(result), flush=True)


def window_child(script: str) -> None:
    """Run ``script`` from the MainWindow's Run, as a teacher would; one JSON line like
    traced_child's, with where the window's own time went during the Run: draining events
    into the Recording, refreshing the views after a drain, and the rest (painting, the
    event loop)."""
    import resource

    from control.session import RunSpec, Session
    from gui.main_window import MainWindow

    spent = {"drain_s": 0.0, "refresh_s": 0.0}
    Session.drain = _timed(Session.drain, spent, "drain_s")  # before the window connects them
    MainWindow._refresh = _timed(MainWindow._refresh, spent, "refresh_s")
    app = common.qt_app()
    window = MainWindow()
    window.resize(1600, 900)
    window.show()
    controller = window.controller
    controller.keep_runner_ready()  # as gui/app.py does once the window shows
    common.run_loop(lambda: controller.standby is not None and controller.standby.ready(0), 30)
    spent.update(drain_s=0.0, refresh_s=0.0)
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    controller.run_script(RunSpec(script, [], "fork", 1.0))
    common.run_loop(lambda: not controller.running(), 600, poll_ms=1)
    run_s = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    spent["run_cpu_s"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps(spent), flush=True)
    print_result(controller.recording, run_s)
    window.close()
    app.processEvents()


def _timed(method, spent: dict[str, float], key: str):
    """``method``, adding the time each call takes to ``spent[key]``."""

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - t0

    return timed


# ---- measuring one process tree ----------------------------------------------------------------
class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants until told to stop."""

    def __init__(self, pid: int, every_s: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_mb = pid, every_s, 0.0
        self._stop_flag = threading.Event()

    def run(self) -> None:
        while not self._stop_flag.wait(self.every):
            self.peak_mb = max(self.peak_mb, common.tree_rss_mb(self.pid))

    def stop(self) -> None:
        self._stop_flag.set()
        self.join()


def measure(cmd: list[str], folder: str) -> dict:
    """Wall time, peak RSS (largest process, tree sum), CPU of the tree, and its JSON lines."""
    out_path = os.path.join(folder, "out.txt")
    with open(out_path, "w", encoding="utf-8") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=folder)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    with open(out_path, encoding="utf-8") as f:
        found = [json.loads(ln) for ln in f if ln.startswith("{")]
    merged = {k: v for d in found for k, v in d.items()}
    return {
        "wall": wall,
        "rc": proc.returncode,
        "max_rss_mb": usage.ru_maxrss / 1024,
        "tree_peak_mb": max(sampler.peak_mb, usage.ru_maxrss / 1024),
        "cpu_s": usage.ru_utime + usage.ru_stime,
        **merged,
    }


def commands(folder: str, script: str) -> dict[str, list[str]]:
    cmds = {
        "untraced": [common.PYTHON, script],
        "window": [common.PYTHON, os.path.abspath(__file__), "--window-child", script],
        "traced": [common.PYTHON, os.path.abspath(__file__), "--traced-child", script],
    }
    viz = shutil.which("viztracer") or os.path.join(os.path.dirname(common.PYTHON), "viztracer")
    if os.path.exists(viz):
        cmds["viztracer"] = [viz, "--quiet", "-o", os.path.join(folder, "viz.json"), script]
    return cmds


# ---- report ------------------------------------------------------------------------------------
def report(runs: dict[str, list[dict]]) -> bool:
    untraced, traced, window = runs["untraced"], runs["traced"], runs["window"]
    reps = len(untraced)
    in_window = [w["run_s"] / u["wall"] for w, u in zip(window, untraced, strict=True)]
    ratio = [t.get("run_s", t["wall"]) / u["wall"] for t, u in zip(traced, untraced, strict=True)]
    whole = [t["wall"] / u["wall"] for t, u in zip(traced, untraced, strict=True)]
    med = common.median(in_window)
    recorded = traced + window
    complete = all(
        t.get("tasks_ended") == TASKS and t.get("messages_paired") == MESSAGES for t in recorded
    )
    print(f"overhead: {TASKS:,} pool tasks + {MESSAGES:,} Queue messages, {reps} runs")
    ok_ratio = common.figure(
        "overhead a Run in the window/untraced wall time",
        med,
        "x",
        f"<= {TARGET_RATIO}x",
        med <= TARGET_RATIO,
    )
    common.figure(
        "overhead headless run (as --export)/untraced wall time",
        common.median(ratio),
        "x",
        "reference",
        None,
    )
    ok_all = common.figure(
        "overhead tasks and messages recorded (worst run)",
        min(
            min(t.get("tasks_ended", 0) / TASKS, t.get("messages_paired", 0) / MESSAGES)
            for t in recorded
        )
        * 100,
        "%",
        "100% of tasks ended and messages paired, in the window and headless",
        complete,
    )
    if "viztracer" in runs:
        viz = [v["wall"] / u["wall"] for v, u in zip(runs["viztracer"], untraced, strict=True)]
        common.figure(
            "overhead VizTracer/untraced wall time",
            common.median(viz),
            "x",
            "comparison only",
            None,
        )
        common.raw("viztracer/untraced", viz, "x", 2)
    common.raw("a Run in the window (runner on standby)/untraced", in_window, "x", 2)
    common.raw("a Run in the window", [w["run_s"] for w in window], "s", 3)
    common.raw("headless run (runner on standby)/untraced", ratio, "x", 2)
    common.raw("traced whole process (app start-up, cold runner)/untraced", whole, "x", 2)
    common.raw("headless run", [t.get("run_s", float("nan")) for t in traced], "s", 3)
    for name, rows in runs.items():
        _raw_rows(name, rows)
    for key in (
        "tasks_ended",
        "tasks_started",
        "messages_paired",
        "messages_sent",
        "events",
        "dropped",
    ):
        common.raw(f"traced {key}", [t.get(key, 0) for t in traced], "", 0)
    common.raw(
        "traced app-side CPU (Session + Recording)", [t.get("app_cpu_s", 0) for t in traced], "s", 2
    )
    common.raw("window app CPU during the Run", [w.get("run_cpu_s", 0) for w in window], "s", 3)
    common.raw("  of which draining events", [w.get("drain_s", 0) for w in window], "s", 3)
    common.raw("  of which refreshing views", [w.get("refresh_s", 0) for w in window], "s", 3)
    return bool(ok_ratio and ok_all)


def _raw_rows(name: str, rows: list[dict]) -> None:
    common.raw(f"{name} wall", [r["wall"] for r in rows], "s", 2)
    common.raw(f"{name} pool phase", [r.get("pool_s", float("nan")) for r in rows], "s", 3)
    common.raw(f"{name} queue phase", [r.get("queue_s", float("nan")) for r in rows], "s", 3)
    common.raw(f"{name} CPU, all processes", [r["cpu_s"] for r in rows], "s", 2)
    common.raw(f"{name} peak RSS, largest process", [r["max_rss_mb"] for r in rows], "MB")
    common.raw(f"{name} peak RSS, process tree (sampled)", [r["tree_peak_mb"] for r in rows], "MB")


def fixed_cost(folder: str) -> None:
    """What tracing costs a script that does nothing: a Run in an open app, and cold."""
    empty = common.write_script(folder, "empty.py", "pass\n")
    walls: dict[str, list[float]] = {"untraced": [], "traced": [], "run": []}
    for _ in range(3):
        for name, cmd in commands(folder, empty).items():
            if name in walls:
                got = measure(cmd, folder)
                walls[name].append(got["wall"])
                if name == "traced":
                    walls["run"].append(got.get("run_s", float("nan")))
    med = {name: common.median(values) for name, values in walls.items()}
    common.note(
        f"an empty script: untraced {med['untraced']:.3f} s; traced, a Run in an open app "
        f"{med['run']:.3f} s, the whole process (app start-up, cold runner) {med['traced']:.3f} s "
        "(medians of 3): the fixed cost of a traced run"
    )


def profile_main(folder: str) -> None:
    script = common.write_script(folder, "profiled.py", PROFILED)
    measure(commands(folder, script)["traced"], folder)
    path = os.path.join(folder, "main.prof")
    if os.path.exists(path):
        print("profile of the traced run's MainProcess (the pool's owner and the Queue consumer):")
        common.print_hot_spots(path, top=15, project_top=12)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-viztracer", action="store_true")
    parser.add_argument("--traced-child", metavar="SCRIPT", help=argparse.SUPPRESS)
    parser.add_argument("--window-child", metavar="SCRIPT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.traced_child:
        traced_child(args.traced_child)
        return 0
    if args.window_child:
        window_child(args.window_child)
        return 0
    common.machine()
    with common.temp_folder() as folder:
        script = common.write_script(folder, "workload.py", WORKLOAD)
        cmds = commands(folder, script)
        if args.no_viztracer:
            cmds.pop("viztracer", None)
        runs: dict[str, list[dict]] = {name: [] for name in cmds}
        for _ in range(args.reps):
            for name, cmd in cmds.items():
                runs[name].append(measure(cmd, folder))
        if "viztracer" not in runs:
            common.note("viztracer is not installed: pip install viztracer to compare")
        ok = report(runs)
        fixed_cost(folder)
        if not ok:
            profile_main(folder)
    common.machine()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
