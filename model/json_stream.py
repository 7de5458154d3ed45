"""One JSON object read from a file a piece at a time, so that opening a recording costs
memory in proportion to what it holds, not to its text parsed whole: ``json.load`` made every
event a list, its ints and its dict before the first was kept, ~9x a file's size at the peak
(bench/open_memory.py). The object's members come in order; the caller takes each value whole
or, for the event list, item by item. Each value is parsed by ``json``'s own C scanner.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

PIECE = 1 << 20  # characters read at a time
_WS = re.compile(r"[ \t\n\r]*")
_CUT_MARGIN = 8  # an error this close to the end of what was read may be a value cut there


class JsonError(ValueError):
    """The text is not JSON (``line`` counts from 1), or not the JSON that was expected."""

    def __init__(self, msg: str, line: int) -> None:
        super().__init__(f"line {line}: {msg}")
        self.msg, self.line = msg, line


def bounded_int(digits: str) -> int | str:
    """An int, or for one past Python's int→str limit (4,300 digits: ``int()`` of it raises,
    and parsing it costs time in its square) a string that says what it was."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
    if len(digits.lstrip("-")) > limit:
        return f"<int of {len(digits.lstrip('-')):,} digits>"
    return int(digits)


class JsonStream:
    """The members of the JSON object in ``f`` (a text file), read ``piece`` characters at a
    time; memory holds about one piece and the value being read."""

    def __init__(self, f: TextIO, piece: int = PIECE) -> None:
        self._f, self._piece = f, piece
        self._buf, self._pos, self._eof, self._lines = "", 0, False, 0
        self._plain = json.JSONDecoder()
        self._bounded = json.JSONDecoder(parse_int=bounded_int)

    def first(self) -> str:
        """The first character of the text, '' when there is none."""
        return self._skip()

    def members(self) -> Iterator[str]:
        """Each key of the top-level object; the caller reads its value (``value`` or
        ``items``) before asking for the next key. The text must end with the object."""
        self._expect("{")
        if self._skip() == "}":
            self._pos += 1
        else:
            while True:
                key = self.value()
                if type(key) is not str:
                    raise self._error("Expecting property name enclosed in double quotes")
                self._expect(":")
                yield key
                if self._expect(",}") == "}":
                    break
        if self._skip():
            raise self._error("Extra data")

    def items(self) -> Iterator[Any]:
        """Each item of the array that comes next, parsed one at a time: straight through the
        C scanner while an item is whole in what was read and its comma follows at once (every
        item of a file mpscope wrote; going through ``value`` each cost a third more time)."""
        self._expect("[")
        if self._skip() == "]":
            self._pos += 1
            return
        scan = self._plain.scan_once
        while True:
            buf, pos = self._buf, self._pos
            try:
                item, end = scan(buf, pos)
            except (StopIteration, ValueError):  # whitespace, cut short, not JSON, a huge int
                end = -1
            if 0 <= end < len(buf) and buf[end] in ",]":
                self._pos = end + 1
                yield item
                if buf[end] == "]":
                    return
                continue
            yield self.value()
            if self._expect(",]") == "]":
                return

    def value(self) -> Any:
        """The value that comes next, whole (RecursionError when it is nested too deeply)."""
        self._skip()
        decoder = self._plain
        while True:
            try:
                obj, end = decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as err:
                if self._eof or not self._maybe_cut(err):
                    raise self._error(err.msg, err.pos) from None
                self._read(len(self._buf))  # read as much again: a value cut at the end
                continue
            except ValueError:  # an int past the int→str limit (JSONDecodeError is caught above)
                if decoder is self._bounded:
                    raise
                decoder = self._bounded
                continue
            if end == len(self._buf) and not self._eof:  # a number may go on past the piece
                self._read(self._piece)
                continue
            self._pos = end
            return obj

    def _maybe_cut(self, err: json.JSONDecodeError) -> bool:
        """Could more text make this value whole (it runs to the end of what was read)?"""
        return err.msg.startswith("Unterminated string") or err.pos >= len(self._buf) - _CUT_MARGIN

    def _skip(self) -> str:
        """Past any whitespace: the next character, '' at the end of the text."""
        while True:
            self._pos = _WS.match(self._buf, self._pos).end()
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._read(self._piece):
                return ""

    def _expect(self, chars: str) -> str:
        c = self._skip()
        if not c or c not in chars:
            wanted = " or ".join(repr(ch) for ch in chars)
            raise self._error(f"Expecting {wanted}")
        self._pos += 1
        return c

    def _read(self, size: int) -> bool:
        """Drop what was read already, append up to ``size`` more characters; False at the end."""
        if self._pos:
            self._lines += self._buf.count("\n", 0, self._pos)
            self._buf, self._pos = self._buf[self._pos :], 0
        if self._eof:
            return False
        more = self._f.read(max(size, self._piece))
        if not more:
            self._eof = True
            return False
        self._buf += more
        return True

    def _error(self, msg: str, pos: int | None = None) -> JsonError:
        pos = self._pos if pos is None else pos
        return JsonError(msg, self._lines + self._buf.count("\n", 0, pos) + 1)
