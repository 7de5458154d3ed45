"""Waits on ``multiprocessing``'s synchronisation primitives as *blocked* states.

A process waiting in ``Lock.acquire``, ``Semaphore.acquire``, ``Event.wait``, ``Condition.wait``
or ``Barrier.wait`` is blocked, not running: the lane says on what and where, and whether the
wait timed out. Every timeout the program gives is stretched by ``--time-scale``, so slow motion
changes nothing but time. An acquire that succeeds at once is no wait and leaves no trace.

Only primitives the program makes are traced: those multiprocessing builds for itself (a Queue's
lock, the semaphores inside a Condition, an Event or a Barrier) are inside a wait that is already
shown. Which ones are the program's is decided once, when one is made, and travels with it when
it is pickled to a spawn or forkserver child.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from workers import tracer, waits

FLAG = "_mpscope_on"  # on a primitive: the name its waits are shown under, or None (untraced)
_STATE_MARK = "\x00mpscope-sync"  # a pickled state carrying that flag
_orig: dict[str, Any] = {}


def _blocked(on: str, timeout: Any, call: Callable[..., Any], *args: Any) -> Any:
    """A wait on a primitive: a Barrier's ends as it returns; the others return False (or
    nothing) when their timeout ran out."""
    judge = waits.returned if on == "Barrier.wait" else waits.truthy
    return waits.blocked(on, timeout, call, *args, judge=judge)


# ---- which primitives are the program's --------------------------------------------------------
def _mp_dir() -> str:
    import multiprocessing

    return os.path.dirname(multiprocessing.__file__) + os.sep


def _made_by_the_program(cls_names: frozenset[str]) -> bool:
    """Is the object being made (by the ``__init__`` frames of ``cls_names``) the program's own?

    The first frame above those constructors and multiprocessing's context helpers decides:
    the program's code (or a library's) makes its own; multiprocessing (but for a Value's or an
    Array's lock) and concurrent.futures make theirs."""
    frame = sys._getframe(2)
    mp_dir = _mp_dir()
    while frame is not None:
        code = frame.f_code
        name = code.co_filename
        if name == __file__ or name.endswith(_CONTEXT):
            frame = frame.f_back
            continue
        if code.co_name == "__init__" and type(frame.f_locals.get("self")).__name__ in cls_names:
            frame = frame.f_back
            continue
        if name.endswith(_SHAREDCTYPES):
            return True  # Value(...) / Array(...): the lock the program's get_lock() returns
        return not (name.startswith(mp_dir) or _CONCURRENT in name)
    return False


_CONTEXT = os.path.join("multiprocessing", "context.py")
_SHAREDCTYPES = os.path.join("multiprocessing", "sharedctypes.py")
_CONCURRENT = os.path.join("concurrent", "futures") + os.sep
_SEMLOCKS = frozenset({"SemLock", "Lock", "RLock", "Semaphore", "BoundedSemaphore"})
_CONDITIONS = frozenset({"Condition"})


# ---- Lock, RLock, Semaphore, BoundedSemaphore ----------------------------------------------------
def _traced_acquire(raw: Callable[..., bool], on: str) -> Callable[..., bool]:
    def acquire(block: bool = True, timeout: Any = None) -> bool:
        if not block:
            return raw(False)
        if raw(False):  # free: no wait (a blocking acquire would have returned at once too)
            return True
        return _blocked(on, timeout, raw, True, tracer.scaled(timeout))

    return acquire


def _semlock_init(self: Any, *args: Any, **kwargs: Any) -> None:
    made = _made_by_the_program(_SEMLOCKS)
    setattr(self, FLAG, _acquire_name(self) if made else None)
    _orig["SemLock.__init__"](self, *args, **kwargs)


def _acquire_name(lock: Any) -> str:
    """``Lock.acquire`` and so on: the class the program made it from (or a subclass of)."""
    from multiprocessing import synchronize as s

    for cls in (s.RLock, s.BoundedSemaphore, s.Semaphore, s.Lock):
        if isinstance(lock, cls):
            return f"{cls.__name__}.acquire"
    return "Lock.acquire"


def _semlock_make_methods(self: Any) -> None:
    _orig["SemLock._make_methods"](self)
    on = getattr(self, FLAG, None)
    if on:
        self.acquire = _traced_acquire(self._semlock.acquire, on)


def _semlock_enter(self: Any) -> bool:
    """``with lock:`` waits as ``lock.acquire()`` does (the C ``__enter__`` is that call)."""
    return self.acquire()


# ---- Condition, Event, Barrier -------------------------------------------------------------------
def _condition_init(self: Any, lock: Any = None, *, ctx: Any) -> None:
    made = _made_by_the_program(_CONDITIONS)
    setattr(self, FLAG, "Condition.wait" if made else None)
    _orig["Condition.__init__"](self, lock, ctx=ctx)
    if made and lock is None:  # its own RLock: `with cond:` waits on the condition
        setattr(self._lock, FLAG, "Condition.acquire")
        self._lock._make_methods()
        self._make_methods()


def _condition_wait(self: Any, timeout: Any = None) -> bool:
    if not getattr(self, FLAG, None) or waits.inside():
        return _orig["Condition.wait"](self, timeout)  # untraced, or one of wait_for's waits
    return _blocked(
        "Condition.wait", timeout, _orig["Condition.wait"], self, tracer.scaled(timeout)
    )


def _condition_wait_for(self: Any, predicate: Callable[[], Any], timeout: Any = None) -> Any:
    call = _orig["Condition.wait_for"]
    if not getattr(self, FLAG, None):
        return call(self, predicate, timeout)
    return _blocked("Condition.wait_for", timeout, call, self, predicate, tracer.scaled(timeout))


def _event_wait(self: Any, timeout: Any = None) -> bool:
    if self.is_set():
        return _orig["Event.wait"](self, timeout)
    return _blocked("Event.wait", timeout, _orig["Event.wait"], self, tracer.scaled(timeout))


def _barrier_wait(self: Any, timeout: Any = None) -> int:
    """A Barrier's default timeout, given when it was made, is stretched like one given here."""
    given = timeout if timeout is not None else self._timeout
    return _blocked("Barrier.wait", given, _orig["Barrier.wait"], self, tracer.scaled(given))


# ---- the flag across pickling --------------------------------------------------------------------
def _carry_flag(cls: type) -> None:
    """``cls``'s pickled state also says whether the object is traced; a spawn child's copy is
    what the parent's was."""
    getstate, setstate = cls.__getstate__, cls.__setstate__

    def __getstate__(self: Any) -> Any:
        return (_STATE_MARK, getstate(self), getattr(self, FLAG, None))

    def __setstate__(self: Any, state: Any) -> None:
        if type(state) is tuple and len(state) == 3 and state[0] == _STATE_MARK:
            setattr(self, FLAG, state[2])
            state = state[1]
        setstate(self, state)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__


def install() -> None:
    try:
        from multiprocessing import synchronize
    except ImportError:  # no working sem_open on this platform: nothing to trace
        return
    semlock, condition = synchronize.SemLock, synchronize.Condition
    _orig.update(
        {
            "SemLock.__init__": semlock.__init__,
            "SemLock._make_methods": semlock._make_methods,
            "Condition.__init__": condition.__init__,
            "Condition.wait": condition.wait,
            "Condition.wait_for": condition.wait_for,
            "Event.wait": synchronize.Event.wait,
            "Barrier.wait": synchronize.Barrier.wait,
        }
    )
    semlock.__init__ = _semlock_init
    semlock._make_methods = _semlock_make_methods
    semlock.__enter__ = _semlock_enter
    condition.__init__ = _condition_init
    condition.wait = _condition_wait
    condition.wait_for = _condition_wait_for
    synchronize.Event.wait = _event_wait
    synchronize.Barrier.wait = _barrier_wait
    _carry_flag(semlock)
    _carry_flag(condition)
