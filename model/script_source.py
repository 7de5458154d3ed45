"""A script's text and lines as Python reads and numbers them, for the code panel and the
parameter form.

Python decodes a script by its coding cookie or its UTF-8 BOM, else as UTF-8, and counts lines
by ``\\n``, ``\\r\\n`` and ``\\r`` only. ``str.splitlines`` also breaks at a form feed, ``\\x1c``,
``\\u2028`` and more: a script with a form feed between two functions would have its code panel
and its parameters one line off from what the tracer reports.
"""

from __future__ import annotations

import importlib.util
import tokenize


def decode(raw: bytes) -> str:
    """What Python would read from ``raw``: decoded by its cookie or BOM, newlines as ``\\n``.
    Raises SyntaxError (an unknown or contradictory encoding) or UnicodeDecodeError, as
    Python refuses such a file."""
    return importlib.util.decode_source(raw)


def read_script(path: str) -> str:
    with open(path, "rb") as f:
        return decode(f.read())


def encoding_of(path: str) -> str:
    """The encoding Python reads ``path`` with (``utf-8-sig`` when it starts with a BOM)."""
    with open(path, "rb") as f:
        return tokenize.detect_encoding(f.readline)[0]


def script_lines(text: str, keepends: bool = False) -> list[str]:
    """The lines of ``text`` as Python numbers them (ends: ``\\n``, ``\\r\\n`` or ``\\r``)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if keepends:
        last = len(lines) - 1
        return [
            line + "\n" if i < last or text.endswith("\n") else line for i, line in enumerate(lines)
        ]
    return lines
