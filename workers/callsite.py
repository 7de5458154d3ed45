"""Which line of the watched script caused an event.

The code panel highlights that line, so we walk up the stack to the first frame whose file lies in
the script's own folder (the script or a helper module beside it), skipping the tracer itself.
"""

from __future__ import annotations

import os
import sys
from types import CodeType

_user_dirs: tuple[str, ...] = ()
_is_user: dict[CodeType, bool] = {}
_MAX_DEPTH = 40


def set_script(path: str) -> None:
    """Remember the folder of the script being watched: as given, and the real one of a script
    reached through a symlink, which is where its neighbours are imported from."""
    global _user_dirs
    given = os.path.dirname(os.path.abspath(path)) + os.sep
    _user_dirs = (given, os.path.dirname(os.path.realpath(path)) + os.sep)
    _is_user.clear()


def _check(code: CodeType) -> bool:
    ok = _is_user.get(code)
    if ok is None:
        name = code.co_filename
        ok = bool(_user_dirs) and os.path.abspath(name).startswith(_user_dirs)
        _is_user[code] = ok
    return ok


def user_line(skip: int = 2) -> int:
    """The line of the innermost user frame above the caller, or 0."""
    try:
        frame = sys._getframe(skip)
    except ValueError:
        return 0
    depth = 0
    while frame is not None and depth < _MAX_DEPTH:
        if _check(frame.f_code):
            return frame.f_lineno
        frame = frame.f_back
        depth += 1
    return 0


_PASS_THROUGH = (
    os.path.join("multiprocessing", "context.py"),
    os.path.join("workers", "patch_channels.py"),
)


def direct_user_line() -> int:
    """The line of user code that called the API directly (through multiprocessing's context
    helpers and the tracer only), or 0 when a library made the call (a Queue's own Pipe)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.endswith(_PASS_THROUGH):
        frame = frame.f_back
    if frame is not None and _check(frame.f_code):
        return frame.f_lineno
    return 0
