"""Short, safe reprs of the watched program's values for labels and tooltips.

A user's ``__repr__`` may be slow, huge or raise: reprlib bounds the size, and a failure gives a
placeholder instead of breaking the watched program.
"""

from __future__ import annotations

import reprlib
from typing import Any

_repr = reprlib.Repr()
_repr.maxstring = 60
_repr.maxother = 60
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 6
_repr.maxlevel = 3
LIMIT = 120


# Exact plain types whose repr reprlib leaves whole up to a length (its maxlong, maxstring,
# maxother): for these, short_repr gives that repr directly, without reprlib's dispatch.
_PLAIN_MAX = {int: _repr.maxlong, float: _repr.maxother, bool: _repr.maxother}
_PLAIN_MAX[type(None)] = _repr.maxother
_SMALL_INT = 10**30  # a larger int could be beyond int's repr limit, which makes repr raise


def short_repr(value: Any, limit: int = LIMIT) -> str:
    kind = type(value)
    if kind is str:
        if len(value) <= _repr.maxstring:
            text = repr(value)
            if len(text) <= _repr.maxstring:
                return _cut(text, limit)
    elif kind in _PLAIN_MAX and (kind is not int or -_SMALL_INT < value < _SMALL_INT):
        text = repr(value)
        if len(text) <= _PLAIN_MAX[kind]:
            return _cut(text, limit)
    try:
        text = _repr.repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def call_repr(func: Any, args: Any, kwds: dict[str, Any], limit: int = LIMIT) -> str:
    """``worker('hello 3')``: how the call would look in the source."""
    name = getattr(func, "__name__", type(func).__name__)
    if not kwds and type(args) is tuple and len(args) == 1:  # the usual map call: one argument
        return _cut(f"{name}({short_repr(args[0], 40)})", limit)
    parts = [short_repr(a, 40) for a in (args if isinstance(args, tuple) else (args,))]
    parts += [f"{k}={short_repr(v, 40)}" for k, v in kwds.items()]
    return _cut(f"{name}({', '.join(parts)})", limit)
