"""``time.sleep`` as a state: the lane shows *sleeping* for as long as the call lasts.

Patched on the ``time`` module before the script is imported, so ``from time import sleep`` in the
script binds the traced function too. ``--time-scale`` stretches or shrinks every sleep.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from workers import callsite, tracer
from workers.events import S_SLEEPING
from workers.reprs import plain_number

_original_sleep = time.sleep


def original_sleep(seconds: float) -> None:
    """The real sleep, for the tracer's own waits."""
    _original_sleep(seconds)


def traced_sleep(seconds: Any) -> None:
    """The program's own value goes to the real sleep (``sleep(Fraction(1, 10))`` fails as it
    does without mpscope); the event carries it as a plain number."""
    real = tracer.scaled(seconds)
    if not tracer.on_main_thread():
        _original_sleep(real)
        return
    line = callsite.user_line()
    with tracer.state_scope(S_SLEEPING, line, on="sleep", secs=plain_number(seconds)):
        _original_sleep(real)


# The program's name for it: a Pool task ``apply_async(time.sleep, …)`` is "sleep", not the
# tracer's wrapper, and it pickles by reference as time.sleep (traced in every watched process).
functools.update_wrapper(traced_sleep, _original_sleep)


def install() -> None:
    time.sleep = traced_sleep
