"""The watched program's values reduced to plain data for events: short, safe reprs for labels
and tooltips, and names, numbers and exit codes as exact ``str``/``int``/``float``.

Why exact types: the app's unpickler refuses any frame that names a class (workers/channel.py),
so one ``IntEnum`` exit code, ``numpy.float64`` timeout or ``str`` subclass name in an event
would cost the whole frame, hundreds of events. A user's ``__repr__`` (or ``__str__``,
``__float__``) may also be slow, huge, return a non-str or raise: sizes are bounded and a
failure gives a placeholder instead of breaking the watched program. Exact-type checks come
first: these run per message and per task.
"""

from __future__ import annotations

import math
import operator
import reprlib
from typing import Any

_repr = reprlib.Repr()
_repr.maxstring = 60
_repr.maxother = 60
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 6
_repr.maxlevel = 3
LIMIT = 120
NAME_LIMIT = 200  # a process or function name (a lane label)
TEXT_LIMIT = 1000  # an exception's message shown as a task's result

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_C_INT_MIN, _C_INT_MAX = -(2**31), 2**31 - 1

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
        text = _placeholder(value)
    if type(text) is not str:  # a __repr__ that returned a str subclass
        text = str.__str__(text)
    return _cut(text, limit)


def _placeholder(value: Any) -> str:
    """What a value whose repr fails is shown as: ``<int of 100001 bits>`` (an int past the
    interpreter's 4300-digit str limit), else ``<TypeName>``."""
    if isinstance(value, int):
        return f"<{plain_str(type(value).__name__)} of {int.bit_length(value)} bits>"
    return f"<{plain_str(type(value).__name__)}>"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_str(value: Any, limit: int = NAME_LIMIT) -> str:
    """An exact ``str`` of at most ``limit`` characters: ``value`` itself when it is one, the
    characters of a ``str`` subclass (not its own ``__str__``), else a short repr."""
    if type(value) is not str:
        value = str.__str__(value) if isinstance(value, str) else short_repr(value, limit)
    return value if len(value) <= limit else _cut(value, limit)


def plain_int(value: Any) -> int | None:
    """An exact 64-bit ``int`` for an integer of any type (``IntEnum``, ``numpy.int64``),
    None for anything else or out of that range."""
    if type(value) is not int:
        if isinstance(value, int):
            value = int.__int__(value)  # the int's own value, not a subclass's __int__
        else:
            try:
                value = operator.index(value)
            except Exception:
                return None
            if type(value) is not int:
                value = int.__int__(value)
    return value if INT64_MIN <= value <= INT64_MAX else None


def plain_number(value: Any) -> int | float | str | None:
    """A number (a sleep's seconds, a timeout) as plain data: an exact ``int`` or finite
    ``float``; ``'nan'``/``'inf'`` as text (JSON has no such numbers); None stays None;
    anything else (a ``str``, an object that is no number) its short repr. Never raises, so
    the program's own call fails as it would without mpscope."""
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else repr(value)
    if value is None or kind is bool:
        return value
    if isinstance(value, float):  # numpy.float64 and other float subclasses
        return plain_number(float.__float__(value))
    integer = plain_int(value)  # int, its subclasses, numpy ints: anything with __index__
    if integer is not None:
        return integer
    if isinstance(value, (int, str, bytes, bytearray)):  # beyond 64 bits; text is no number
        return short_repr(value)
    try:
        number = float(value)  # Fraction, Decimal, numpy.float32
    except Exception:
        return short_repr(value)
    return plain_number(number) if type(number) is float else short_repr(value)


def exit_code(value: Any) -> int | None:
    """An exit code as the OS can be given it (a C int): ``sys.exit(MyIntEnum.X)`` gives X's
    int; None when there is none (the observer's code is then the one kept)."""
    code = plain_int(value)
    return code if code is not None and _C_INT_MIN <= code <= _C_INT_MAX else None


def name_of(func: Any) -> str:
    """A callable's ``__name__`` (or its type's) as an exact, bounded ``str``."""
    try:
        name = getattr(func, "__name__", None)
    except Exception:
        name = None
    if type(name) is str and len(name) <= NAME_LIMIT:
        return name
    return plain_str(name if isinstance(name, str) else type(func).__name__)


def exception_text(exc: BaseException) -> str:
    """``TypeName: message``, safe against a ``__str__`` that raises (as Python's own
    traceback printing is)."""
    try:
        message = str(exc)
    except Exception:
        message = "<exception str() failed>"
    head = plain_str(type(exc).__name__)
    return _cut(f"{head}: {plain_str(message, TEXT_LIMIT)}", TEXT_LIMIT)


def call_repr(func: Any, args: Any, kwds: dict[str, Any], limit: int = LIMIT) -> str:
    """``worker('hello 3')``: how the call would look in the source."""
    name = name_of(func)
    if not kwds and type(args) is tuple and len(args) == 1:  # the usual map call: one argument
        return _cut(f"{name}({short_repr(args[0], 40)})", limit)
    parts = [short_repr(a, 40) for a in (args if isinstance(args, tuple) else (args,))]
    parts += [f"{plain_str(k, 40)}={short_repr(v, 40)}" for k, v in kwds.items()]
    return _cut(f"{name}({', '.join(parts)})", limit)
