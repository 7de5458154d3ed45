"""Queue and Pipe messages as events: each message paired exactly from sender to receiver.

Only channels the user's code creates are traced (a Pool's or executor's own queues are not the
user's messages). Each traced channel carries an id, also across pickling to spawn children. A
message travels sealed with its id beside the user's own object; the receiving side
opens it, so ``get()`` returns exactly what ``put()`` was given. A wait shows as *blocked* only
when it really waits: the call is first tried without blocking.
"""

from __future__ import annotations

import itertools
import linecache
import queue as queue_mod
import select
import sys
from multiprocessing import connection, queues, reduction
from typing import Any

from workers import callsite, tracer
from workers.events import K_MSG, S_BLOCKED, now_ns
from workers.reprs import plain_number, plain_str, short_repr

_orig: dict[str, Any] = {}
_ids = itertools.count(1)
CH = "_mpscope_ch"
END = "_mpscope_end"
UNBOUNDED = 1 << 30  # Queue(0) keeps the semaphore's maximum as its _maxsize


MARK = "\x00mpscope-message"


def _sealed(obj: Any) -> tuple[str, str, Any]:
    """A message in transit: ``(MARK, its id, the user's object untouched)``. A plain tuple, not
    an object of a class of ours: pickling looks a class up by name on both sides, 2.2 µs to
    write and 0.9 to read it against 1.4 and 0.2 for the tuple (bench/overhead.py sends 50k)."""
    return (MARK, _new_id(), obj)


def _opened(value: Any) -> tuple[str, Any] | None:
    """The id and the user's object of a message in transit; None for anything else (a value
    put by untraced code)."""
    if type(value) is tuple and len(value) == 3:
        mark = value[0]
        if type(mark) is str and mark == MARK:
            return value[1], value[2]
    return None


def _new_id() -> str:
    return f"{tracer._pid}-{next(_ids)}"


def _emit(phase: str, line: int, **data: Any) -> None:
    tracer.emit(K_MSG, tracer.pid(), line, {"phase": phase, **data})


def _emit_send(ts: int, line: int, ch: str, mid: str, how: str, payload: str, end: str) -> None:
    """``ts`` and the payload's repr are taken before the message leaves: the receiver may
    record its side before put() or send() has even returned. Built here and emitted in one
    call: this runs once a message (bench/overhead.py)."""
    data = {"phase": "send", "ch": ch, "mid": mid, "how": how, "payload": payload}
    if end:
        data["end"] = end
    tracer.emit_event((K_MSG, tracer._pid, ts, line, data))


def _received(value: Any, ch: str, line: int, how: str, end: str = "") -> Any:
    """What get() or recv() returns: the user's object of a message in transit, recorded as
    received; any other value as it came."""
    opened = _opened(value)
    if opened is None:
        return value
    data = {"phase": "recv", "ch": ch, "mid": opened[0], "how": how}
    if end:
        data["end"] = end
    tracer.emit_event((K_MSG, tracer._pid, now_ns(), line, data))
    return opened[1]


# ---- channel creation --------------------------------------------------------------------
def _bound_names() -> tuple[list[str], int]:
    """The names the creating line assigns to (``q``, ``fd1, fd2``) and that line."""
    import ast  # here: most runs create few channels, and every traced process imports us

    frame = sys._getframe(2)
    while frame is not None and not callsite._check(frame.f_code):
        frame = frame.f_back
    if frame is None:
        return [], 0
    text = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    try:
        node = ast.parse(text).body[0]
    except (SyntaxError, IndexError):
        return [], frame.f_lineno
    if not isinstance(node, ast.Assign):
        return [], frame.f_lineno
    target = node.targets[0]
    elts = target.elts if isinstance(target, ast.Tuple) else [target]
    return [ast.unparse(e) for e in elts], frame.f_lineno


def _register(obj: Any, maxsize: int = 0) -> None:
    """Give a queue the user's code created an id (once: JoinableQueue runs Queue's init too)."""
    if hasattr(obj, CH) or callsite.direct_user_line() == 0:
        return  # already done, or created by a library (a Pool's own queues)
    names, line = _bound_names()
    kind = plain_str(type(obj).__name__)
    ch = _new_id()
    setattr(obj, CH, ch)
    name = names[0] if names else ""
    bounded = 0 < maxsize < UNBOUNDED
    _emit("channel", line, ch=ch, kind=kind, name=name, maxsize=int(maxsize) if bounded else 0)


def _traced_init(key: str) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        _orig[key](self, *args, **kwargs)
        _register(self, getattr(self, "_maxsize", 0))

    return __init__


def _traced_pipe(duplex: bool = True) -> tuple[Any, Any]:
    a, b = _orig["Pipe"](duplex)
    if callsite.direct_user_line() == 0:
        return a, b
    names, line = _bound_names()
    ch = _new_id()
    for end, conn in enumerate((a, b)):
        setattr(conn, CH, ch)
        setattr(conn, END, names[end] if len(names) == 2 else f"end {end + 1}")
    name = ", ".join(names) if len(names) == 2 else ""
    _emit("channel", line, ch=ch, kind="Pipe", name=name, duplex=bool(duplex))
    return a, b


# ---- carrying the channel id through pickling ---------------------------------------------
def _traced_getstate(key: str) -> Any:
    def __getstate__(self: Any) -> Any:
        return (_orig[key](self), getattr(self, CH, None))

    return __getstate__


def _traced_setstate(key: str) -> Any:
    def __setstate__(self: Any, state: Any) -> None:
        inner, ch = state
        _orig[key](self, inner)
        if ch is not None:
            setattr(self, CH, ch)

    return __setstate__


def _reduce_connection(conn: Any) -> tuple[Any, ...]:
    rebuild, args = _orig["reduce_connection"](conn)
    ch = getattr(conn, CH, None)
    if ch is None:  # not the user's (the tracer's own event pipe, unpickled as a child boots)
        return rebuild, args
    return (_rebuild_connection, (rebuild, args, ch, getattr(conn, END, None)))


def _rebuild_connection(
    rebuild: Any, args: tuple[Any, ...], ch: str | None, end: str | None
) -> Any:
    conn = rebuild(*args)
    if ch is not None:
        setattr(conn, CH, ch)
        setattr(conn, END, end)
    return conn


# ---- sending -----------------------------------------------------------------------------
def _traced_put(key: str) -> Any:
    original = _orig[key]

    def put(self: Any, obj: Any, block: bool = True, timeout: float | None = None) -> None:
        ch = getattr(self, CH, None)
        if ch is None:
            return original(self, obj, block, timeout)
        line, env, payload = callsite.user_line(), _sealed(obj), short_repr(obj)
        if block and self._maxsize < UNBOUNDED and self.full():  # full() costs a semaphore call
            ts = _blocked_put(original, self, env, timeout, ch, line)
        else:  # no wait asked for, or room for it: no blocked state
            ts = now_ns()
            try:
                original(self, env, block, tracer.scaled(timeout))
            except queue_mod.Full:  # full, or filled by another process first and timed out
                _emit("fail", line, ch=ch, error="Full", how="put")
                raise
        _emit_send(ts, line, ch, env[1], "put", payload, "")

    return put


def _blocked_put(
    original: Any, q: Any, env: tuple[str, str, Any], timeout: float | None, ch: str, line: int
) -> int:
    """Put into a full queue, blocked until there is room; the time the message went in."""
    with tracer.state_scope(S_BLOCKED, line, on="Queue.put", ch=ch, timeout=plain_number(timeout)):
        try:
            original(q, env, True, tracer.scaled(timeout))
        except queue_mod.Full:
            _emit("fail", line, ch=ch, error="Full", how="put")
            raise
    return now_ns()


def _traced_simple_put(self: Any, obj: Any) -> None:
    ch = getattr(self, CH, None)
    if ch is None:
        return _orig["SimpleQueue.put"](self, obj)
    line, env, payload = callsite.user_line(), _sealed(obj), short_repr(obj)
    ts = now_ns()
    _orig["SimpleQueue.put"](self, env)
    _emit_send(ts, line, ch, env[1], "put", payload, "")


def _traced_send(self: Any, obj: Any) -> None:
    ch = getattr(self, CH, None)
    if ch is None:
        return _orig["send"](self, obj)
    line, env, payload = callsite.user_line(), _sealed(obj), short_repr(obj)
    end = getattr(self, END, "")
    ts = now_ns()
    try:
        _orig["send"](self, env)
    except OSError as err:
        _emit("fail", line, ch=ch, error=str(err), how="send", end=end)
        raise
    _emit_send(ts, line, ch, env[1], "send", payload, end)


# ---- receiving ---------------------------------------------------------------------------
_polls: dict[int, Any] = {}  # fd -> a poll object watching it (poll() keeps no kernel state)


def _readable(conn: Any) -> bool:
    """Is a message waiting (or the other end gone)? One poll() on the fd, with a poll object
    kept per fd: cheaper than select(), and much cheaper than Connection.poll(0), which builds
    a selector each call (bench/overhead.py)."""
    try:
        fd = conn.fileno()
        poller = _polls.get(fd)
        if poller is None:
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            _polls[fd] = poller
        return bool(poller.poll(0))
    except (OSError, ValueError, TypeError, AttributeError):  # a closed end; Windows: no poll
        return bool(_orig["poll"](conn, 0)) if not conn.closed else True


def _traced_get(self: Any, block: bool = True, timeout: float | None = None) -> Any:
    ch = getattr(self, CH, None)
    if ch is None:
        return _orig["Queue.get"](self, block, timeout)
    line = callsite.user_line()
    if block and not _readable(self._reader):
        value = _blocked_get(self, timeout, ch, line)
    else:  # a message is there (or no wait asked for): no blocked state
        try:
            value = _orig["Queue.get"](self, block, tracer.scaled(timeout))
        except queue_mod.Empty:
            _emit("fail", line, ch=ch, error="Empty", how="get")
            raise
    return _received(value, ch, line, "get")


def _blocked_get(q: Any, timeout: float | None, ch: str, line: int) -> Any:
    with tracer.state_scope(S_BLOCKED, line, on="Queue.get", ch=ch, timeout=plain_number(timeout)):
        try:
            return _orig["Queue.get"](q, True, tracer.scaled(timeout))
        except queue_mod.Empty:
            _emit("fail", line, ch=ch, error="Empty", how="get")
            raise


def _traced_simple_get(self: Any) -> Any:
    ch = getattr(self, CH, None)
    if ch is None:
        return _orig["SimpleQueue.get"](self)
    line = callsite.user_line()
    if _readable(self._reader):
        value = _orig["SimpleQueue.get"](self)
    else:
        with tracer.state_scope(S_BLOCKED, line, on="SimpleQueue.get", ch=ch):
            value = _orig["SimpleQueue.get"](self)
    return _received(value, ch, line, "get")


def _traced_recv(self: Any) -> Any:
    ch = getattr(self, CH, None)
    if ch is None:
        return _orig["recv"](self)
    line, end = callsite.user_line(), getattr(self, END, "")
    try:
        if not self.readable or self.closed or _readable(self):
            value = _orig["recv"](self)
        else:
            with tracer.state_scope(S_BLOCKED, line, on="Connection.recv", ch=ch, end=end):
                value = _orig["recv"](self)
    except OSError as err:
        _emit("fail", line, ch=ch, error=str(err), how="recv", end=end)
        raise
    return _received(value, ch, line, "recv", end)


def _traced_poll(self: Any, timeout: float | None = 0.0) -> bool:
    if getattr(self, CH, None) is None or timeout == 0.0:
        return _orig["poll"](self, timeout)
    line = callsite.user_line()
    with tracer.state_scope(S_BLOCKED, line, on="Connection.poll", ch=getattr(self, CH)):
        return _orig["poll"](self, tracer.scaled(timeout))


def _traced_jq_join(self: Any) -> None:
    ch = getattr(self, CH, None)
    if ch is None:
        return _orig["JoinableQueue.join"](self)
    with tracer.state_scope(S_BLOCKED, callsite.user_line(), on="JoinableQueue.join", ch=ch):
        _orig["JoinableQueue.join"](self)


def _traced_task_done(self: Any) -> None:
    _orig["task_done"](self)
    ch = getattr(self, CH, None)
    if ch is not None:
        _emit("done", callsite.user_line(), ch=ch)


# ---- installation ------------------------------------------------------------------------
def install() -> None:
    Q, JQ, SQ, C = queues.Queue, queues.JoinableQueue, queues.SimpleQueue, connection.Connection
    _orig.update(
        {
            "Queue.__init__": Q.__init__,
            "JoinableQueue.__init__": JQ.__init__,
            "SimpleQueue.__init__": SQ.__init__,
            "Queue.__getstate__": Q.__getstate__,
            "Queue.__setstate__": Q.__setstate__,
            "SimpleQueue.__getstate__": SQ.__getstate__,
            "SimpleQueue.__setstate__": SQ.__setstate__,
            "Queue.put": Q.put,
            "JoinableQueue.put": JQ.put,
            "Queue.get": Q.get,
            "SimpleQueue.put": SQ.put,
            "SimpleQueue.get": SQ.get,
            "JoinableQueue.join": JQ.join,
            "task_done": JQ.task_done,
            "send": C.send,
            "recv": C.recv,
            "poll": C.poll,
            "Pipe": connection.Pipe,
            "reduce_connection": connection.reduce_connection,
        }
    )
    Q.__init__ = _traced_init("Queue.__init__")
    JQ.__init__ = _traced_init("JoinableQueue.__init__")
    SQ.__init__ = _traced_init("SimpleQueue.__init__")
    # JoinableQueue's own __getstate__ builds on Queue's, so Queue's wrapper carries the id.
    for cls, name in ((Q, "Queue"), (SQ, "SimpleQueue")):
        cls.__getstate__ = _traced_getstate(f"{name}.__getstate__")
        cls.__setstate__ = _traced_setstate(f"{name}.__setstate__")
    Q.put = _traced_put("Queue.put")
    JQ.put = _traced_put("JoinableQueue.put")
    Q.get = _traced_get
    SQ.put = _traced_simple_put
    SQ.get = _traced_simple_get
    JQ.join = _traced_jq_join
    JQ.task_done = _traced_task_done
    C.send, C.recv, C.poll = _traced_send, _traced_recv, _traced_poll
    connection.Pipe = _traced_pipe
    reduction.register(C, _reduce_connection)
