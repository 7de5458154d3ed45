"""Tracebacks as the user would see them without mpscope: the tracer's own frames left out.

The tracer wraps library calls (Pool.map, Process.start …), so its frames sit in the middle of
a traceback raised through them; the runner's frames sit at its top. Neither exists when the
script runs alone, so neither is shown.
"""

from __future__ import annotations

import os
import traceback
from types import TracebackType

_WORKERS = os.path.dirname(os.path.abspath(__file__))


def _is_tracer_file(filename: str) -> bool:
    return os.path.dirname(os.path.abspath(filename)) == _WORKERS


def _strip(te: traceback.TracebackException) -> None:
    frames = [f for f in te.stack if not _is_tracer_file(f.filename)]
    te.stack = traceback.StackSummary.from_list(frames)
    for nested in (te.__cause__, te.__context__):
        if nested is not None:
            _strip(nested)


def format_exception(exc: BaseException, tb: TracebackType | None = None) -> str:
    """The traceback text of ``exc`` without the tracer's frames."""
    te = traceback.TracebackException(type(exc), exc, tb if tb is not None else exc.__traceback__)
    _strip(te)
    return "".join(te.format())
