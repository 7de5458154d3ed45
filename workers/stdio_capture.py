"""Printed lines as events, while the output still goes where it would have gone.

Each process's ``sys.stdout``/``sys.stderr`` is wrapped: text is written through unchanged (so a
script prints the same, in the same order, as without mpscope) and every complete line becomes a
``print`` event on the lane of the process that printed it.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections import deque
from typing import Any, TextIO

from workers import callsite, tracer
from workers.events import K_PRINT

_LINE_SPLIT = re.compile("\r\n|\n|\r")


class LineTee:
    """A text stream that writes through and reports whole lines."""

    def __init__(self, stream: TextIO, number: int) -> None:
        self._stream = stream
        self._number = number
        self._partial = ""
        self._partial_line = 0
        self._queued: deque[tuple[str, int]] = deque()
        self._cutting = threading.Lock()

    def write(self, text: str) -> int:
        """Lines are cut by one caller at a time, in the order written: a signal handler or a
        ``__del__`` that prints while this thread is cutting, or another thread, queues its
        text and the caller already cutting takes it next (cut at once, it spliced itself into
        the partial line being cut). Never waits: a handler cannot wait for its own thread."""
        n = self._stream.write(text)
        if not isinstance(text, str) or not text:
            return n
        line, queued, cutting = callsite.user_line(), self._queued, self._cutting
        if not queued and cutting.acquire(False):  # the usual case: nobody else is cutting
            try:
                self._collect(text, line)
            finally:
                cutting.release()
        else:
            queued.append((text, line))
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
        if not self._partial:
            self._partial_line = line
        pieces = _LINE_SPLIT.split(self._partial + text)
        for piece in pieces[:-1]:
            self._report(piece, self._partial_line or line)
            self._partial_line = line
        self._partial = pieces[-1]

    def flush_partial(self) -> None:
        if self._partial:
            self._report(self._partial, self._partial_line)
            self._partial = ""

    def reset(self) -> None:
        """In a forked child, the parent's half-written line is not ours (nor its lock, which
        another thread may have held when the parent forked)."""
        self._partial = ""
        self._queued.clear()
        self._cutting = threading.Lock()

    def _report(self, text: str, line: int) -> None:
        tracer.emit(K_PRINT, tracer.pid(), line, {"stream": self._number, "text": text})

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
