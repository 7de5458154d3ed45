"""mpscope's own modules under a private name inside a watched program.

A script's own ``workers.py`` is a natural home for the functions a Pool runs (spawn needs them
importable), and ``from workers import square`` in it got mpscope's ``workers`` package instead:
an ImportError under every start method. So once the tracer is in place in a watched process
(the runner; a spawn or forkserver child as it boots), ``hide`` moves every ``workers`` module in
``sys.modules`` to ``_mpscope_workers``: the script's ``import workers`` then finds its own file,
while the tracer's modules, which hold one another as objects, go on working. Their functions and
classes are renamed too, so that what is pickled by reference (a Pool worker's target, a
Connection's rebuild function) names the private module, which every watched process holds.

Nothing of ``workers`` may be imported by name after ``hide`` (no import inside a function): it
would find the script's module, or load a second, untraced copy of mpscope's.
"""

from __future__ import annotations

import sys
import types

PUBLIC = "workers"
PRIVATE = "_mpscope_workers"


def hide() -> None:
    """Move mpscope's ``workers`` modules out of the script's way (idempotent)."""
    names = [n for n in sys.modules if n == PUBLIC or n.startswith(PUBLIC + ".")]
    for name in names:
        module = sys.modules.pop(name)
        private = PRIVATE + name[len(PUBLIC) :]
        sys.modules[private] = module
        _rename(module, name, private)


def _rename(module: types.ModuleType, old: str, new: str) -> None:
    is_package = hasattr(module, "__path__")
    module.__name__ = new
    module.__package__ = new if is_package else new.rpartition(".")[0]
    for value in list(vars(module).values()):
        if isinstance(value, (type, types.FunctionType)) and value.__module__ == old:
            value.__module__ = new


BOOT = """
import sys
sys.path.insert(0, root)
try:
    from workers import private_names, tracer
finally:
    sys.path.remove(root)
tracer.install(conn, cfg)
private_names.hide()
"""
"""Run by a spawn or forkserver child while it unpickles its preparation data: a builtin
(``exec``) is the only callable such a child can be sure to find before anything of mpscope is
loaded (the script's folder, or the working directory, may hold a ``workers`` of its own)."""


def boot_call(root: str, conn: object, cfg: dict) -> tuple:
    """A pickle reduce value that boots the tracer in the process that unpickles it."""
    return (exec, (BOOT, {"root": root, "conn": conn, "cfg": cfg}))
