"""Tracebacks as the user would see them without mpscope: the tracer's own frames left out.

The tracer wraps library calls (Pool.map, Process.start …), so its frames sit in the middle of
a traceback raised through them; the runner's frames sit at its top. Neither exists when the
script runs alone, so neither is shown.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

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


def without_tracer_frames(tb: TracebackType | None) -> TracebackType | None:
    """The same traceback chain without the tracer's entries (they are rebuilt, not edited:
    the exception keeps its own)."""
    kept = []
    while tb is not None:
        if not _is_tracer_file(tb.tb_frame.f_code.co_filename):
            kept.append(tb)
        tb = tb.tb_next
    chain = None
    for entry in reversed(kept):
        chain = TracebackType(chain, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return chain


def install_hooks() -> None:
    """Python's own printers of an error nobody caught, in a thread or in a finalizer ("Exception
    ignored in"), print it without the tracer's frames: a wrapped call that fails (os.close of a
    bad descriptor, in multiprocessing's own finalizer) shows the lines Python shows."""
    sys.unraisablehook = _stripping(sys.unraisablehook)
    threading.excepthook = _stripping(threading.excepthook)


def _stripping(hook: Any) -> Any:
    def hook_without_tracer_frames(args: Any) -> None:
        fields = list(args)
        fields[2] = tb = without_tracer_frames(args.exc_traceback)
        if isinstance(args.exc_value, BaseException):  # what the thread printer prints
            args.exc_value.__traceback__ = tb
        hook(type(args)(fields))

    return hook_without_tracer_frames
