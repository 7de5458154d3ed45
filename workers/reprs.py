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


def short_repr(value: Any, limit: int = LIMIT) -> str:
    try:
        text = _repr.repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def call_repr(func: Any, args: Any, kwds: dict[str, Any], limit: int = LIMIT) -> str:
    """``worker('hello 3')``: how the call would look in the source."""
    name = getattr(func, "__name__", type(func).__name__)
    parts = [short_repr(a, 40) for a in (args if isinstance(args, tuple) else (args,))]
    parts += [f"{k}={short_repr(v, 40)}" for k, v in kwds.items()]
    text = f"{name}({', '.join(parts)})"
    return text if len(text) <= limit else text[: limit - 1] + "…"
