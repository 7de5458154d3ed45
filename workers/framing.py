"""A traced Connection's messages on the wire: the program's bytes, exactly, behind a header.

Pairing a message needs the same id at both ends. Sealing it beside the user's object (as Queues
do) changes the bytes: ``recv_bytes()`` at the other end of a ``send()`` would get the pickle of
the seal, and a ``send_bytes()`` could not carry an id at all. So a traced Connection puts a header
*inside* the length-prefixed frame, in front of the bytes Python would have written (``send()``'s
own pickle, ``send_bytes()``'s slice), and the receiving side reads it off before multiprocessing
sees the message: ``recv()``, ``recv_bytes()`` and ``recv_bytes_into()`` get exactly the bytes
plain Python delivers, with Python's own checks and errors around them.

A frame is taken for one of ours only when it starts with ``MAGIC``, which no pickle does (a
pickle starts with ``\\x80``); raw bytes from untraced code that begin with these 16 bytes would be
misread, which only a deliberate forgery does. The header costs ``len(MAGIC) + 1 + ~16`` bytes of
the pipe's capacity per message.
"""

from __future__ import annotations

import io
import os
import struct
from typing import Any

MAGIC = b"\xffmpscope\x00frame\x01\x02"  # 16 bytes
_M = len(MAGIC)
HEAD_MIN = _M + 1  # the mark and the length of the ids
HEAD_MAX = HEAD_MIN + 255
SMALL = 1 << 16  # up to this size a frame is read whole, then its header cut off (a copy)
_INT = struct.Struct("!i")
_LONG = struct.Struct("!Q")


def head(ch: str, mid: str) -> bytes:
    """The header of message ``mid`` of channel ``ch`` (ids of a few digits, ASCII)."""
    ids = f"{ch} {mid}".encode("ascii")
    return MAGIC + bytes((len(ids),)) + ids


def write(conn: Any, header: bytes, buf: Any) -> None:
    """Connection._send_bytes, with ``header`` in front of ``buf`` in the same frame: one
    write() for a message up to 16 KiB (as Python: a small message is not split), the large
    ones without copying them."""
    n = len(buf)
    total = len(header) + n
    if total > 0x7FFFFFFF:
        conn._send(_INT.pack(-1))
        conn._send(_LONG.pack(total))
        conn._send(header)
        conn._send(buf)
    elif n > 16384:
        conn._send(_INT.pack(total) + header)
        conn._send(buf)
    else:
        conn._send(_INT.pack(total) + header + buf)


def read(conn: Any, maxsize: int | None) -> tuple[io.BytesIO | None, tuple[str, str] | None]:
    """Connection._recv_bytes: the message's bytes without a header (positioned at their end,
    as Python's), and the (channel, message) ids the header gave, else None. None for the bytes
    when they are longer than ``maxsize``: a frame only a header longer is read before it is
    refused (the connection is unusable after that anyway, as in Python)."""
    size = _INT.unpack(conn._recv(4).getvalue())[0]
    if size == -1:
        size = _LONG.unpack(conn._recv(8).getvalue())[0]
    if maxsize is not None and size > maxsize + HEAD_MAX:
        return None, None
    body, ids = _read_small(conn, size) if size <= SMALL else _read_large(conn, size)
    if maxsize is not None and body.tell() > maxsize:
        return None, None
    return body, ids


def _read_small(conn: Any, size: int) -> tuple[io.BytesIO, tuple[str, str] | None]:
    body = conn._recv(size)
    with body.getbuffer() as view:
        start, ids = _parse(view)
        if ids is None:
            return body, None
        out = io.BytesIO()
        out.write(view[start:])
    return out, ids


def _read_large(conn: Any, size: int) -> tuple[io.BytesIO, tuple[str, str] | None]:
    """Header first, then the rest straight into the buffer the program's bytes end up in."""
    first = conn._recv(HEAD_MIN)
    prefix = first.getvalue()
    if prefix[:_M] != MAGIC:
        _read_into(conn, first, size - HEAD_MIN)
        return first, None
    n = prefix[_M]
    ids_raw = _read_into(conn, io.BytesIO(), n).getvalue() if n else b""
    ids = _split(ids_raw)
    if ids is None:  # the mark without valid ids: not ours after all, keep every byte
        first.write(ids_raw)
        return _read_into(conn, first, size - HEAD_MIN - n), None
    return _read_into(conn, io.BytesIO(), size - HEAD_MIN - n), ids


def _read_into(conn: Any, out: io.BytesIO, size: int) -> io.BytesIO:
    """Append ``size`` more bytes of the message to ``out``; an end of file now is in the middle
    of a message (Python's words for it)."""
    handle = getattr(conn, "_handle", None)
    remaining = size
    while remaining > 0:
        chunk = os.read(handle, remaining)  # type: ignore[arg-type]
        if not chunk:
            raise OSError("got end of file during message")
        out.write(chunk)
        remaining -= len(chunk)
    return out


def _parse(view: memoryview) -> tuple[int, tuple[str, str] | None]:
    """Where the program's bytes start in a whole frame, and its ids (None: not ours)."""
    if len(view) < HEAD_MIN or view[:_M] != MAGIC:
        return 0, None
    start = HEAD_MIN + view[_M]
    if start > len(view):
        return 0, None
    ids = _split(bytes(view[HEAD_MIN:start]))
    return (start, ids) if ids is not None else (0, None)


def _split(raw: bytes) -> tuple[str, str] | None:
    try:
        ch, mid = raw.decode("ascii").split(" ")
    except (UnicodeDecodeError, ValueError):
        return None
    return ch, mid
