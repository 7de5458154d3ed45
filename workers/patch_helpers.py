"""multiprocessing's own helper processes as lanes: the fork server and the resource tracker.

They are real processes of the run (a forkserver child's OS parent is the fork server), started
by exec'ing a fresh interpreter, so no tracer runs in them: the process that starts one
announces it, marked ``helper`` (the picture draws them quietly and makes no claim about their
states), and the app sees its end from outside.
"""

from __future__ import annotations

from typing import Any

from workers import tracer
from workers.events import K_CREATED, now_ns

_orig: dict[str, Any] = {}
# What the helper's command line runs -> the name its lane gets (a code: the GUI translates it).
HELPERS = {
    "multiprocessing.forkserver import main": "fork server",
    "multiprocessing.resource_tracker import main": "resource tracker",
}


def _helper_name(args: Any) -> str | None:
    for arg in args if isinstance(args, list | tuple) else ():
        for code, name in HELPERS.items():
            if isinstance(arg, str) and code in arg:
                return name
    return None


def traced_spawnv_passfds(path: Any, args: Any, passfds: Any) -> int:
    t0 = now_ns()
    pid = _orig["spawnv_passfds"](path, args, passfds)
    name = _helper_name(args)
    if name is not None:
        data = {"name": name, "parent": tracer.pid(), "daemon": True, "helper": True}
        tracer.emit_event((K_CREATED, pid, t0, 0, data))
    return pid


def install() -> None:
    from multiprocessing import util

    _orig["spawnv_passfds"] = util.spawnv_passfds
    util.spawnv_passfds = traced_spawnv_passfds
