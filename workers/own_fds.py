"""mpscope's own file descriptors inside a watched process, kept out of the program's way.

A program may close every descriptor it inherited (``os.closerange(3, ...)``, as daemons do),
close or ``dup2`` over one by number, then open files of its own, which get the lowest free
numbers: the numbers mpscope held. Written to or closed by mpscope after that, they would put
mpscope's bytes in the program's files, or close them under it. So every descriptor of mpscope's
is *claimed* here:

- moved up, out of the low numbers the program's files get (the program then sees the numbers it
  would see without mpscope, and a ``closerange(3, 256)`` leaves mpscope alone), close-on-exec;
- remembered with its identity (device and inode), checked before each use (``is_ours``): a
  number that now names something else is never written to, read or closed again;
- watched: ``os.close``, ``os.closerange`` and ``os.dup2`` are wrapped (``install``) so that
  the owner hears *before* the program closes its descriptor (the event channel then says so
  while it still can), and forgets the number.

A close that bypasses the wrappers (a C library, ``ctypes``) is noticed afterwards by the
identity check. The real close runs as the program asked, always: the program's descriptors, and
what it gets from ``close`` (an error for a bad number too), are as without mpscope.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable

try:
    import fcntl
    import resource
except ImportError:  # Windows: no fork, no fcntl; descriptors stay where they are
    fcntl = resource = None  # type: ignore[assignment]

OnLost = Callable[[int, str], None]  # told which and how: "os.close", "os.closerange", "os.dup2"

_held: dict[int, tuple[int, int, OnLost | None]] = {}  # fd -> (st_dev, st_ino, on_lost)
_orig: dict[str, Callable] = {"close": os.close, "closerange": os.closerange, "dup2": os.dup2}


def _new_lock() -> None:
    """Held over a close of the program's that takes descriptors of ours, and over a claim: a
    descriptor claimed by a thread of mpscope meanwhile would land in the range being closed."""
    global _closing
    _closing = threading.RLock()


_new_lock()
os.register_at_fork(after_in_child=_new_lock)  # another thread may hold it while the parent forks


def claim(fd: int, on_lost: OnLost | None = None) -> int:
    """Make ``fd`` mpscope's: moved up (the original number closed), close-on-exec, its identity
    remembered. Returns the number to use from now on."""
    with _closing:
        fd = _moved_up(fd)
        st = os.fstat(fd)
        _held[fd] = (st.st_dev, st.st_ino, on_lost)
    return fd


def pipe(on_lost: OnLost | None = None) -> tuple[int, int]:
    """A pipe of mpscope's (read end, write end)."""
    r, w = os.pipe()
    return claim(r, on_lost), claim(w, on_lost)


def dup(fd: int, on_lost: OnLost | None = None) -> int:
    """A copy of someone else's descriptor (a child's sentinel), as mpscope's."""
    return claim(os.dup(fd), on_lost)


def is_ours(fd: int | None) -> bool:
    """Is ``fd`` still the descriptor mpscope claimed? False once the program closed it or put
    something else under its number (checked with one fstat: cheap next to a write)."""
    held = _held.get(fd) if fd is not None else None
    if held is None:
        return False
    try:
        st = os.fstat(fd)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == held[:2]


def forget(fd: int | None) -> None:
    """Stop holding ``fd`` without closing it (it is no longer ours to close)."""
    if fd is not None:
        _held.pop(fd, None)


def close(fd: int | None) -> None:
    """Close a descriptor of mpscope's, only if it still is one."""
    with _closing:
        if is_ours(fd):
            _orig["close"](fd)
        forget(fd)


def write(fd: int | None, data: bytes) -> bool:
    """Write to a descriptor of mpscope's if it still is one; False if it is not (or failed)."""
    if not is_ours(fd):
        return False
    try:
        os.write(fd, data)
    except OSError:
        return False
    return True


def _moved_up(fd: int) -> int:
    base = _base()
    if base is None or fd >= base:
        return fd
    try:
        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, base)
    except OSError:  # no free number up there (a low limit): keep it where it is
        return fd
    _orig["close"](fd)
    return high


def _base() -> int | None:
    """Where mpscope's descriptors go: three quarters up the first 1024 numbers (or the limit,
    if lower). Not near a limit of a million: the kernel sizes a process's table to its highest
    number."""
    if fcntl is None:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    top = 1024 if soft == resource.RLIM_INFINITY else min(soft, 1024)
    return top * 3 // 4 if top >= 64 else None


# ---- the program closing descriptors -----------------------------------------------------------
def _let_go(fds: Iterable[int], how: str) -> None:
    """The program is about to close (or dup2 over) these numbers: tell their owners first
    (still theirs while told: the channel says so through its descriptor), then forget them."""
    for fd in sorted(fds):
        held = _held.get(fd)
        if held is not None and held[2] is not None:
            with contextlib.suppress(Exception):  # mpscope's trouble never stops the close
                held[2](fd, how)
        _held.pop(fd, None)


def _traced_close(fd: int) -> None:
    if type(fd) is not int or fd not in _held:  # anything else fails as Python's own does
        _orig["close"](fd)
        return
    with _closing:
        _let_go([fd], "os.close")
        _orig["close"](fd)


def _traced_closerange(fd_low: int, fd_high: int) -> None:
    if type(fd_low) is not int or type(fd_high) is not int:
        _orig["closerange"](fd_low, fd_high)
        return
    with _closing:
        _let_go([fd for fd in list(_held) if fd_low <= fd < fd_high], "os.closerange")
        _orig["closerange"](fd_low, fd_high)


def _traced_dup2(fd: int, fd2: int, inheritable: bool = True) -> int:
    if type(fd2) is not int or fd2 not in _held or fd2 == fd:
        return _orig["dup2"](fd, fd2, inheritable)
    with _closing:
        _let_go([fd2], "os.dup2")
        return _orig["dup2"](fd, fd2, inheritable)


def install() -> None:
    """Wrap the program's ways of closing a descriptor by number (once per process tree: a fork
    child inherits the wrapped functions)."""
    if os.close is not _traced_close:
        os.close, os.closerange, os.dup2 = _traced_close, _traced_closerange, _traced_dup2
