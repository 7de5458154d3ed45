"""Getting the tracer into spawn and forkserver children before they import the script.

A spawn child is a fresh interpreter: it unpickles its *preparation data*, then imports the main
script (``prepare``), then unpickles the Process object and runs it. We add one entry to the
preparation data whose unpickling installs the tracer, so the tracer is in place before the
script's module-level code (and its ``from time import sleep``) runs in the child. The event
pipe travels in that entry like any Connection passed to a child. The entry brings mpscope's
folder onto ``sys.path`` only while it loads the tracer (workers/private_names.py).

The fork server would otherwise import the script once, untraced, and fork every child from that
copy; we keep ``__main__`` out of its preload list so each child imports the script traced.
"""

from __future__ import annotations

import os
from multiprocessing import spawn
from typing import Any

from workers import private_names, tracer

_orig_get_preparation_data = spawn.get_preparation_data


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _TracerBoot:
    """Pickles to the tracer's boot in the child: installed from mpscope's folder, then its
    modules moved out of the script's way (workers/private_names.py)."""

    def __reduce__(self) -> tuple[Any, ...]:
        conn = tracer.connection()
        if conn is None:  # lost since the data was made: a child of this process is untraced
            return (int, ())
        return private_names.boot_call(ROOT, conn, tracer.config())


def _get_preparation_data(name: str) -> dict[str, Any]:
    """The child's preparation data, with the tracer's boot in it; none once this process has
    lost its channel (it closed its descriptor): a pickled Connection would hand the child a
    copy of whatever the program now has under that number."""
    data = _orig_get_preparation_data(name)
    if tracer.connection() is not None:
        data["mpscope_tracer"] = _TracerBoot()
    return data


def _without_main(modules: list[str]) -> list[str]:
    return [m for m in modules if m != "__main__"]


def install() -> None:
    spawn.get_preparation_data = _get_preparation_data
    try:
        from multiprocessing import forkserver
    except ImportError:
        return
    server_cls = forkserver.ForkServer
    original_set = server_cls.set_forkserver_preload

    def set_forkserver_preload(self: Any, modules_names: list[str]) -> None:
        original_set(self, _without_main(list(modules_names)))

    server_cls.set_forkserver_preload = set_forkserver_preload
    server = forkserver._forkserver
    forkserver.set_forkserver_preload = server.set_forkserver_preload
    server._preload_modules = _without_main(server._preload_modules)
