"""Queue and Pipe messages as events: each message paired exactly from sender to receiver.

Only channels the user's code creates are traced (a Pool's or executor's own queues are not the
user's messages). Each traced channel carries an id, also across pickling to spawn children.
A Queue message travels sealed with its id beside the user's own object (the program never sees
a Queue's bytes); the receiving side opens it, so ``get()`` returns exactly what ``put()`` was
given. A Connection's messages carry the id in a header in front of the program's own bytes,
read off before multiprocessing sees them (workers/framing.py): every pairing of send/send_bytes
with recv/recv_bytes/recv_bytes_into delivers exactly what plain Python does. A wait shows as
*blocked* only when it really waits: the call is first tried without blocking.
"""

from __future__ import annotations

import itertools
import linecache
import queue as queue_mod
import select
import sys
import threading
from multiprocessing import connection, queues, reduction
from typing import Any

from workers import callsite, framing, tracer
from workers.events import K_MSG, S_BLOCKED, now_ns
from workers.reprs import exception_text, plain_number, plain_str, short_repr

_orig: dict[str, Any] = {}
_ids = itertools.count(1)
CH = "_mpscope_ch"
END = "_mpscope_end"
FRAMED = "_mpscope_framed"  # a Connection whose peer may send framed messages (patch_sockets)
UNBOUNDED = 1 << 30  # Queue(0) keeps the semaphore's maximum as its _maxsize
BYTES_SHOWN = 32  # the first bytes of a send_bytes() shown as its payload
_local = threading.local()  # payload: send()'s repr, for the _send_bytes under it


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
    """The names the creating line binds (``q``, ``fd1, fd2``, ``with Client(a) as conn:``)
    and that line."""
    import ast  # here: most runs create few channels, and every traced process imports us

    frame = sys._getframe(2)
    while frame is not None and not callsite._check(frame.f_code):
        frame = frame.f_back
    if frame is None:
        return [], 0
    text = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    try:
        node = ast.parse(text + " pass" if text.endswith(":") else text).body[0]
    except (SyntaxError, IndexError):
        return [], frame.f_lineno
    if isinstance(node, ast.Assign):
        target = node.targets[0]
    elif isinstance(node, ast.With) and node.items[0].optional_vars is not None:
        target = node.items[0].optional_vars
    else:
        return [], frame.f_lineno
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
    ch, framed = getattr(conn, CH, None), getattr(conn, FRAMED, False)
    if ch is None and not framed:  # not the user's (the tracer's own pipe, as a child boots)
        return rebuild, args
    return (_rebuild_connection, (rebuild, args, ch, getattr(conn, END, None), framed))


def _rebuild_connection(
    rebuild: Any, args: tuple[Any, ...], ch: str | None, end: str | None, framed: bool = False
) -> Any:
    """The end as it was: its channel, and whether it may be sent framed messages (a socket
    to a traced peer, patch_sockets.py)."""
    conn = rebuild(*args)
    if ch is not None:
        setattr(conn, CH, ch)
        setattr(conn, END, end)
    if framed:
        setattr(conn, FRAMED, True)
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
    """send(): the payload shown is the object's repr, taken here for _traced_send_bytes,
    which frames the pickle Python makes of it (and records a failed write)."""
    if self._mpscope_ch is None:
        return _orig["send"](self, obj)
    _local.payload = short_repr(obj)
    try:
        _orig["send"](self, obj)
    except OSError as err:
        if _local.payload is not None:  # refused before the write: a closed or read-only end
            _emit_fail(self, "send", err)
        raise
    finally:
        _local.payload = None


def _emit_fail(conn: Any, how: str, err: OSError, line: int = 0) -> None:
    line = line or callsite.user_line(3)
    _emit("fail", line, ch=getattr(conn, CH), error=str(err), how=how, end=getattr(conn, END, ""))


def _traced_send_bytes(self: Any, buf: Any) -> None:
    """Connection._send_bytes, under send() and send_bytes() alike: a traced end writes the
    message's ids in front of exactly the bytes Python would write."""
    ch = self._mpscope_ch
    if ch is None:
        return _orig["_send_bytes"](self, buf)
    payload = getattr(_local, "payload", None)
    _local.payload = None
    how = "send" if payload is not None else "send_bytes"
    if payload is None:
        payload = _bytes_repr(buf)
    mid, line = _new_id(), callsite.user_line()
    ts = now_ns()
    try:
        framing.write(self, framing.head(ch, mid), buf)
    except OSError as err:
        _emit_fail(self, how, err, line)
        raise
    _emit_send(ts, line, ch, mid, how, payload, getattr(self, END, ""))


def _bytes_repr(buf: Any) -> str:
    """The repr of the first bytes only: a 50 MB message is not turned into a 200 MB repr."""
    text = short_repr(bytes(buf[:BYTES_SHOWN]))
    return text if len(buf) <= BYTES_SHOWN else text + "…"


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


def _traced_receive(name: str) -> Any:
    """recv(), recv_bytes() or recv_bytes_into() of a traced end: blocked while it waits; the
    message itself is recorded by _traced_recv_bytes, under all three."""
    original, on = _orig[name], f"Connection.{name}"

    def receive(self: Any, *args: Any, **kwargs: Any) -> Any:
        ch = self._mpscope_ch
        if ch is None:
            return original(self, *args, **kwargs)
        line, end = callsite.user_line(), getattr(self, END, "")
        try:
            if not self.readable or self.closed or _readable(self):
                return original(self, *args, **kwargs)
            with tracer.state_scope(S_BLOCKED, line, on=on, ch=ch, end=end):
                return original(self, *args, **kwargs)
        except OSError as err:
            _emit_fail(self, name, err, line)
            raise

    receive.__name__ = receive.__qualname__ = name
    return receive


def _traced_recv_bytes(self: Any, maxsize: int | None = None) -> Any:
    """Connection._recv_bytes: the frame's header is read off and the message recorded as
    received; what the program gets are the bytes that were sent (framing.py). Only an end that
    can be sent framed messages reads this way (a traced Pipe's, a socket's to a traced peer):
    read in Python, a message costs ~1 µs more, and every Queue get reads one."""
    if self._mpscope_ch is None and not self._mpscope_framed:
        return _orig["_recv_bytes"](self, maxsize)
    body, ids = framing.read(self, maxsize)
    if ids is not None:
        how = sys._getframe(1).f_code.co_name
        data = {"phase": "recv", "ch": ids[0], "mid": ids[1], "how": how}
        end = getattr(self, END, "")
        if end:
            data["end"] = end
        tracer.emit_event((K_MSG, tracer._pid, now_ns(), callsite.user_line(), data))
    return body


def _traced_poll(self: Any, timeout: float | None = 0.0) -> bool:
    if self._mpscope_ch is None or timeout == 0.0:
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
def _traced_feeder_error(err: BaseException, obj: Any) -> None:
    """A Queue's feeder thread could not pickle a message (a lambda, a lock): it never entered
    the pipe. Say it failed (not "never received"), then what Python does, with the program's
    own object."""
    opened = _opened(obj)
    if opened is not None:
        mid, obj = opened
        _emit("fail", 0, ch="", mid=mid, error=exception_text(err), how="put")
    _orig["feeder_error"](err, obj)


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
            "_send_bytes": C._send_bytes,
            "_recv_bytes": C._recv_bytes,
            "recv": C.recv,
            "recv_bytes": C.recv_bytes,
            "recv_bytes_into": C.recv_bytes_into,
            "poll": C.poll,
            "Pipe": connection.Pipe,
            "reduce_connection": connection.reduce_connection,
        }
    )
    _orig["feeder_error"] = Q._on_queue_feeder_error
    Q._on_queue_feeder_error = staticmethod(_traced_feeder_error)
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
    C.send, C._send_bytes = _traced_send, _traced_send_bytes
    setattr(C, CH, None)  # defaults, so that the checks on every message find them at once
    setattr(C, FRAMED, False)
    C.recv, C.recv_bytes = _traced_receive("recv"), _traced_receive("recv_bytes")
    C.recv_bytes_into = _traced_receive("recv_bytes_into")
    C._recv_bytes, C.poll = _traced_recv_bytes, _traced_poll
    connection.Pipe = _traced_pipe
    reduction.register(C, _reduce_connection)
