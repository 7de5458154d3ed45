"""Printed lines as events, while the output still goes where it would have gone.

Each process's ``sys.stdout``/``sys.stderr`` is wrapped: text is written through unchanged (so a
script prints the same, in the same order, as without mpscope) and every complete line becomes a
``print`` event on the lane of the process that printed it.
"""

from __future__ import annotations

import os
import sys
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

    def write(self, text: str) -> int:
        n = self._stream.write(text)
        self._collect(text)
        return n

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def _collect(self, text: str) -> None:
        """Each line ``text`` ends is reported; what follows the last line end waits in
        ``_partial`` (workers/line_buffer.py: linear time, bounded memory)."""
        if type(text) is not str:  # a str subclass's own + or split may give anything
            if not isinstance(text, str):
                return
            text = str.__str__(text)
        if not text:
            return
        for line in self._partial.feed(text):
            self._report(*line)

    def flush_partial(self) -> None:
        for line in self._partial.flush():
            self._report(*line)

    def reset(self) -> None:
        """In a forked child, the parent's half-written line is not ours."""
        self._partial = LineBuffer(callsite.user_line)

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
