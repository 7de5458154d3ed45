"""A call that may wait, run as a *blocked* state of the main thread, saying how it ended.

One way for every patch whose call can wait with a timeout (Lock.acquire, Event.wait,
AsyncResult.get, Future.result, concurrent.futures.wait, …): the lane is blocked on ``on`` while
the call runs, and the state after it says ``result``: ``ok``, ``timeout`` (the call returned
"not done" or raised a timeout), ``broken`` (a Barrier) or ``error``. A wait inside another
(``Condition.wait`` taking its lock back, ``AsyncResult.get`` calling ``wait``) is part of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FuturesTimeout
from multiprocessing import TimeoutError as PoolTimeout
from typing import Any

from workers import callsite, tracer
from workers.events import S_BLOCKED
from workers.reprs import plain_number

_local = threading.local()  # .inside: this thread is in a traced wait
_TIMEOUTS = (TimeoutError, FuturesTimeout, PoolTimeout)


def truthy(value: Any) -> str:
    """The outcome of a call that returns False (or an empty result) when it timed out."""
    return "ok" if value else "timeout"


def returned(_value: Any) -> str:
    """The outcome of a call that raises when it times out."""
    return "ok"


def inside() -> bool:
    return getattr(_local, "inside", False)


def blocked(
    on: str,
    timeout: Any,
    call: Callable[..., Any],
    *args: Any,
    judge: Callable[[Any], str] = returned,
    **info: Any,
) -> Any:
    """``call(*args)`` as a wait on ``on`` (``timeout``: as the program gave it, for the label;
    the caller passes the scaled one in ``args``)."""
    if inside():
        return call(*args)
    line = callsite.user_line()
    state: dict[str, Any] = {"on": on, **info}
    if timeout is not None:
        state["timeout"] = plain_number(timeout)  # numpy, IntEnum, Fraction: plain; nan: "nan"
    tracer.push_state(S_BLOCKED, line, **state)
    result = "error"
    _local.inside = True
    try:
        value = call(*args)
        result = judge(value)
        return value
    except _TIMEOUTS:
        result = "timeout"
        raise
    except threading.BrokenBarrierError:
        result = "broken"
        raise
    except StopIteration:  # an iterator's next(): it ended, nothing timed out
        result = "ok"
        raise
    finally:
        _local.inside = False
        tracer.pop_state(line, after=on, result=result)
