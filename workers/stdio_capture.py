"""Printed lines as events, while the output still goes where it would have gone.

Each process's ``sys.stdout``/``sys.stderr`` is wrapped: text is written through unchanged (so a
script prints the same, in the same order, as without mpscope) and every complete line becomes a
``print`` event on the lane of the process that printed it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from typing import Any, TextIO

from workers import callsite, tracer
from workers.events import K_PRINT
from workers.line_buffer import LineBuffer


class LineTee:
    """A text stream that writes through and reports whole lines."""

    def __init__(self, stream: TextIO, number: int) -> None:
        self._stream = stream
        self._number = number
        self._partial = LineBuffer(callsite.user_line)
        self._queued: deque[tuple[str, int]] = deque()
        self._cutting = threading.Lock()

    def write(self, text: str) -> int:
        """Lines are cut by one caller at a time, in the order written: a signal handler or a
        ``__del__`` that prints while this thread is cutting, or another thread, queues its
        text (with its line, looked up now) and the caller already cutting takes it next (cut at
        once, it spliced itself into the partial line being cut). Never waits: a handler cannot
        wait for its own thread."""
        n = self._stream.write(text)
        if not isinstance(text, str) or not text:
            return n
        if type(text) is not str:  # a str subclass's own + or split may give anything
            text = str.__str__(text)
        queued, cutting = self._queued, self._cutting
        if not queued and cutting.acquire(False):  # the usual case: nobody else is cutting
            try:
                self._collect(text, 0)  # 0: the buffer looks the line up when it needs it
            finally:
                cutting.release()
        else:
            queued.append((text, callsite.user_line()))
        if queued:  # queued by another meanwhile, or just now
            self._cut_queued()
        return n

    def _cut_queued(self) -> None:
        queued, cutting = self._queued, self._cutting
        while queued and cutting.acquire(False):
            try:
                while queued:
                    self._collect(*queued.popleft())
            finally:
                cutting.release()

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def _collect(self, text: str, line: int) -> None:
        """Each line ``text`` ends is reported; what follows the last line end waits in
        ``_partial`` (workers/line_buffer.py: linear time, bounded memory)."""
        for ended in self._partial.feed(text, line):
            self._report(*ended)

    def flush_partial(self) -> None:
        for ended in self._partial.flush():
            self._report(*ended)

    def reset(self) -> None:
        """In a forked child, the parent's half-written line is not ours (nor its lock, which
        another thread may have held when the parent forked)."""
        self._partial = LineBuffer(callsite.user_line)
        self._queued.clear()
        self._cutting = threading.Lock()

    def _report(self, text: str, omitted: int, line: int, rewrites: int) -> None:
        data: dict[str, Any] = {"stream": self._number, "text": text}
        if omitted:  # a long line: characters left out at line_buffer.MARK
            data["omitted"], data["cut"] = omitted, True  # "cut", as workers/channel.py says it
        if rewrites:
            data["rewrites"] = rewrites  # earlier states of a line rewritten with \r, not shown
        tracer.emit(K_PRINT, tracer.pid(), line, data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


_tees: list[LineTee] = []


def install() -> None:
    if sys.stdout is not None:
        sys.stdout = _tee(sys.stdout, 1)
    if sys.stderr is not None:
        sys.stderr = _tee(sys.stderr, 2)
    os.register_at_fork(after_in_child=_reset_all)
    tracer.at_shutdown(flush_partial_lines)


def _tee(stream: TextIO, number: int) -> TextIO:
    if isinstance(stream, LineTee):
        return stream
    tee = LineTee(stream, number)
    _tees.append(tee)
    return tee  # type: ignore[return-value]


def _reset_all() -> None:
    for tee in _tees:
        tee.reset()


def flush_partial_lines() -> None:
    for tee in _tees:
        tee.flush_partial()
