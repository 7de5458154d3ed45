"""Event data as something every reader can show and every exporter can write.

What arrives is plain data but not always tame: a forged frame or a hand-edited recording may
carry an int of 5,000 digits (``str`` of it raises past 4,300), NaN, a list where a name
belongs, or a small pickle whose shared references unfold into billions of items. The model
keeps events as they came (checking each on arrival would cost the live path, which is most of
a traced run's overhead: bench/overhead.py); whoever turns a value into text or JSON goes
through here, where everything is bounded and cut with a mark, and nothing raises.
"""

from __future__ import annotations

import math
import reprlib
from typing import Any

INT_BITS = 1024  # a larger int is shown as its size: str() of one past 4,300 digits raises
TEXT_LIMIT = 4000  # a frame holds at most ~4 KB, so the tracer's own strings are never cut
DATA_TEXT = 65536  # all the text of one event's data, summed (shared strings count each time)
MAX_KEYS = 64  # the tracer's events have at most a dozen
CUT = "cut"  # the key the channel already uses to say an event was shortened
_SCALARS = (str, bool, type(None))


class _Repr(reprlib.Repr):
    """reprlib's bounds (levels, items, lengths), with ints that cannot fail."""

    def repr_int(self, x: int, level: int) -> str:
        return int_text(x)


_repr = _Repr()
_repr.maxstring = _repr.maxother = 80
_repr.maxlevel = 3
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 6


def int_text(value: int) -> str:
    """The digits of ``value``, or, when it is too large to show, how many there are."""
    if value.bit_length() <= INT_BITS:
        return str(value)
    digits = int(value.bit_length() * math.log10(2)) + 1
    return f"<int of about {digits:,} digits>"


def text(value: Any, limit: int = TEXT_LIMIT) -> str:
    """Any value as text of at most about ``limit`` characters; never raises."""
    if type(value) is str:
        return value if len(value) <= limit else cut_text(value, limit)
    try:
        if type(value) is int:
            shown = int_text(value)
        elif type(value) in (float, bool) or value is None:
            shown = repr(value)
        else:
            shown = _repr.repr(value)
    except Exception:  # a value whose repr fails (plain data should not): shown by its type
        shown = f"<{type(value).__name__}>"
    return shown if len(shown) <= limit else cut_text(shown, limit)


def cut_text(value: str, limit: int) -> str:
    """Its head and tail, and how much is left out between them."""
    half = max(limit // 2, 1)
    return f"{value[:half]} …[{len(value) - 2 * half:,} characters cut]… {value[-half:]}"


def small_int(value: Any, default: Any = None) -> Any:
    """``value`` if it is an int (not a bool) small enough to compute with, else ``default``."""
    if type(value) is int and -(2**63) <= value < 2**63:
        return value
    return default


def flat(data: Any) -> dict[str, Any] | None:
    """``data`` as a flat dict of str keys and JSON scalars (finite floats, ints of at most
    INT_BITS, bounded strings): the dict itself when it already is one (the tracer's always
    are), else a copy with anything else shown as bounded text and ``cut`` set to True."""
    if data is None:
        return None
    if type(data) is dict and len(data) <= MAX_KEYS and _is_flat(data):
        return data
    return _flattened(data)


def _is_flat(data: dict[Any, Any]) -> bool:
    total = 0
    for key, value in data.items():
        if type(key) is not str:
            return False
        kind = type(value)
        if kind is str:
            total += len(value)
        elif kind is int:
            if value.bit_length() > INT_BITS:
                return False
        elif kind is float:
            if value - value != 0:  # NaN or an infinity: not JSON
                return False
        elif kind not in _SCALARS:
            return False
    return total <= DATA_TEXT


def _flattened(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {"value": text(data), CUT: True}
    out: dict[str, Any] = {}
    budget, cut = DATA_TEXT, len(data) > MAX_KEYS
    for n, (key, value) in enumerate(data.items()):
        if n == MAX_KEYS:
            break
        name = key if type(key) is str else text(key, 200)
        value, changed = _scalar(value, max(budget, 200))
        if type(value) is str:
            budget -= len(value)
        out[name] = value
        cut = cut or changed or name is not key
    if cut:
        out[CUT] = True
    return out


def _scalar(value: Any, limit: int) -> tuple[Any, bool]:
    """A JSON scalar for ``value`` and whether something was lost on the way."""
    kind = type(value)
    if kind is float and value - value != 0:
        return repr(value), False  # 'nan', 'inf', '-inf': said as they are, nothing is lost
    if kind in (float, bool) or value is None:
        return value, False
    if kind is int and value.bit_length() <= INT_BITS:
        return value, False
    shown = text(value, limit)
    return shown, kind is not str or shown is not value


def json_safe(value: Any, depth: int = 0) -> Any:
    """Any plain value as JSON can hold it (for metadata and the like: small, but anything):
    containers kept to a few levels and items, the rest as in ``flat``."""
    if type(value) is dict and depth < 3:
        items = list(value.items())[:MAX_KEYS]
        return {k if type(k) is str else text(k, 200): json_safe(v, depth + 1) for k, v in items}
    if type(value) in (list, tuple) and depth < 3:
        return [json_safe(v, depth + 1) for v in value[:MAX_KEYS]]
    return _scalar(value, DATA_TEXT)[0]
