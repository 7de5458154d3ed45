"""Cutting a process's output into the lines its print events report, in linear time and
bounded memory whatever the program writes (workers/stdio_capture.py writes the output itself
through unchanged).

- The line being written may never end (progress dots): its pieces are kept in a list and
  joined once when it ends. A string grown by each write cost time quadratic in its length:
  100,000 dots took 45 s traced against 0.1 s plain (bench/partial_lines.py).
- Past LIMIT characters only its head and its tail are kept, and how many characters were left
  out between them (``omitted``; the text shows MARK there): a 50 MB line costs 1,000
  characters, not 50 MB.
- A ``\\r`` rewrites the line (a progress bar): its states are reported at most every
  REWRITE_NS, the others counted (``rewrites``, on the next line reported) and the last of them
  kept until a later one is reported or the process ends. An event for each of a bar's 100,000
  states made its loop 3.9x slower than plain Python (bench/partial_lines.py).
- A ``\\r`` that ends a write is held back until the next write says whether it was half of a
  ``\\r\\n``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

LIMIT = 4096  # characters of one line kept whole; a longer one keeps its head and its tail
KEPT = 500  # characters of each, with the count of those left out between them: 1,000
# characters fit one event frame even in 3-byte UTF-8 (workers/channel.py cuts what does not)
MARK = " … "
REWRITE_NS = 50_000_000  # a line rewritten after a \r is reported at most this often
_LINE_SPLIT = re.compile("(\r\n|\n|\r)")  # each line and the end it had, in turn

Line = tuple[str, int, int, int]  # text, characters omitted at MARK, script line, rewrites
NONE: tuple[Line, ...] = ()


class LineBuffer:
    """The line being written, and what ends it. ``line_of()`` gives the line of the script
    that is writing (callsite.user_line): looked up only when a line begins or is reported."""

    def __init__(self, line_of: Callable[[], int]) -> None:
        self._line_of = line_of
        self._parts: list[str] = []
        self._size = self._omitted = 0
        self._head: str | None = None
        self._line = 0  # where the pending line began; negative: a guess not looked up yet
        self._after_cr = False
        self._shown = self._rewrites = 0
        self._unreported: Line | None = None  # the last state of a \r line not reported
        self._given = 0  # the script line of the write being fed, when the caller knows it

    def __bool__(self) -> bool:
        return bool(self._size) or self._head is not None

    def feed(self, text: str, line: int = 0) -> tuple[Line, ...] | list[Line]:
        """The lines ``text`` ends, each ``(text, omitted, line, rewrites)``; ``line``: the
        script line writing it, if the caller has it (else looked up when needed)."""
        self._given = line
        if self._after_cr:  # held back: the first half of a \r\n, or a \r of its own
            text, self._after_cr = "\r" + text, False
        if text[-1] == "\r":
            text, self._after_cr = text[:-1], True
        if "\n" not in text:
            if "\r" not in text:  # a dot, a chunk of a long line: no line ends
                if text:
                    if not self:
                        self._line = self._line_here()
                    self._add(text)
                return NONE
            return self._rewrites_in(text)
        out: list[Line] = []
        line = self._line_here()
        pieces = _LINE_SPLIT.split(text)
        if not self or self._line <= 0:  # else the line where the unended one began
            self._line = line
        for i in range(0, len(pieces) - 1, 2):
            self._add(pieces[i])
            if pieces[i + 1] != "\r":
                out.append(self._ended())
            elif self:  # a \r on an empty line rewrites nothing
                self._rewritten(out)
            self._line = line
        self._add(pieces[-1])
        return out

    def flush(self) -> tuple[Line, ...]:
        """The line left unended (a process's last words), or else the last state of a line
        rewritten with ``\\r`` not reported yet."""
        self._after_cr, self._given = False, 0
        if self:
            return (self._ended(),)
        if self._unreported is None:
            return NONE
        text, omitted, line, _ = self._unreported
        last = (text, omitted, self._known(line), self._rewrites - 1)
        self._rewrites, self._unreported = 0, None
        return (last,)

    def _rewrites_in(self, text: str) -> list[Line]:
        """A write with \\r and no \\n: states of a line being rewritten (a progress bar). The
        script's line of a state that begins here is looked up only if it is reported (a stack
        walk for every state of a bar): until then it is the negated line of the state before
        it, the guess for a report with no script line on the stack (at exit)."""
        out: list[Line] = []
        if not self:
            self._line = self._line_here()
        states, rewritten = text.split("\r"), False
        for state in states[:-1]:
            if state:
                self._add(state)
            if self:  # a \r on an empty line rewrites nothing
                self._rewritten(out)
                rewritten = True
        if rewritten:
            self._line = -abs(self._line)
        if states[-1]:
            self._add(states[-1])
        return out

    def _rewritten(self, out: list[Line]) -> None:
        """A state of a line ended by a ``\\r``: reported, or counted and kept."""
        now = time.monotonic_ns()
        if now - self._shown >= REWRITE_NS:
            self._shown = now
            out.append(self._ended())
        else:
            self._unreported = self._take()
            self._rewrites += 1

    def _ended(self) -> Line:
        text, omitted, line, _ = self._take()
        ended = (text, omitted, self._known(line), self._rewrites)
        self._rewrites, self._unreported = 0, None
        return ended

    def _line_here(self) -> int:
        return self._given or self._line_of()

    def _known(self, line: int) -> int:
        return line if line > 0 else (self._line_here() or -line)

    def _take(self) -> Line:
        """The pending line as reported (cut with MARK when it was long); empty afterwards."""
        if self._head is not None:
            self._squeeze()  # what came since the last squeeze: its tail only
            text = self._head + MARK + self._parts[0]
        else:
            text = "".join(self._parts)
        taken = (text, self._omitted, self._line, 0)
        self._parts, self._size, self._head, self._omitted = [], 0, None, 0
        return taken

    def _add(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size > LIMIT:
            self._squeeze()

    def _squeeze(self) -> None:
        joined, start = "".join(self._parts), 0
        if self._head is None:
            self._head, start = joined[:KEPT], KEPT
        tail_start = max(start, len(joined) - KEPT)
        self._omitted += tail_start - start
        tail = joined[tail_start:]
        self._parts, self._size = [tail], len(tail)
