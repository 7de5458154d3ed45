"""``multiprocessing.connection`` Listener/Client connections as channels, when it is safe.

A connection made with ``Client()`` or ``Listener.accept()`` may lead anywhere: to another process
of the run, or to a program mpscope does not watch, which must get exactly the bytes Python would
send. Its messages carry the pairing header (workers/framing.py) only when the kernel says the
other end belongs to a traced process of this run: an AF_UNIX socket's peer (``SO_PEERCRED``)
holding the run's event pipe, which every traced process holds and nothing else does. Any other
connection (AF_INET, a peer outside the run) is left exactly as it is, and not recorded.
"""

from __future__ import annotations

import os
import socket
import struct
from multiprocessing import connection
from typing import Any

from workers import callsite, patch_channels, tracer

_orig: dict[str, Any] = {}
_CREDS = struct.Struct("3i")  # pid, uid, gid


def _traced_client(*args: Any, **kwargs: Any) -> Any:
    conn = _orig["Client"](*args, **kwargs)
    _framed_if_traced(conn, "Client", callsite.direct_user_line())
    return conn


def _traced_accept(self: Any) -> Any:
    conn = _orig["accept"](self)
    _framed_if_traced(conn, "Listener", callsite.direct_user_line())
    return conn


def _framed_if_traced(conn: Any, kind: str, line: int) -> None:
    """A connection whose peer is traced reads framed messages, wherever it was made (a
    library's end may talk to the user's); one made by the user's code also gets a channel of
    its own: messages it sends are drawn from it to whichever traced process receives them."""
    if not isinstance(conn, connection.Connection) or not _peer_is_traced(conn):
        return
    setattr(conn, patch_channels.FRAMED, True)
    if not line:
        return
    names, line = patch_channels._bound_names()
    ch = patch_channels._new_id()
    setattr(conn, patch_channels.CH, ch)
    setattr(conn, patch_channels.END, names[0] if len(names) == 1 else "")
    name = names[0] if len(names) == 1 else ""
    patch_channels._emit("channel", line, ch=ch, kind=kind, name=name)


def _peer_is_traced(conn: Any) -> bool:
    try:
        with socket.socket(fileno=os.dup(conn.fileno())) as sock:  # finds the family itself
            if sock.family != socket.AF_UNIX:
                return False
            creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CREDS.size)
    except (OSError, AttributeError, ValueError):  # not a socket; no SO_PEERCRED here
        return False
    return _holds_event_pipe(_CREDS.unpack(creds)[0])


def _holds_event_pipe(pid: int) -> bool:
    """Does process ``pid`` hold a descriptor of this run's event pipe?"""
    events = tracer.connection()
    if events is None or pid <= 0:
        return False
    try:
        target = os.readlink(f"/proc/self/fd/{events.fileno()}")
        folder = f"/proc/{pid}/fd"
        for fd in os.listdir(folder):
            try:
                if os.readlink(f"{folder}/{fd}") == target:
                    return True
            except OSError:  # closed meanwhile
                continue
    except OSError:  # the process is gone, or not ours to look at
        return False
    return False


def install() -> None:
    _orig.update({"Client": connection.Client, "accept": connection.Listener.accept})
    connection.Client = _traced_client
    connection.Listener.accept = _traced_accept
