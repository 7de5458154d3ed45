"""Files written whole or not at all: every export and save goes to a temporary file beside
its target and takes the target's place in one ``os.replace``. A failure half way (a full
disk, a value that cannot be written, an interrupt) leaves neither a partial file nor the
temporary one, and a file already at the target is untouched."""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable

REPLACE_SURROGATES = "mpscope.fffd"
"""An encoding error handler: a lone surrogate (a name made from undecodable bytes, e.g.
``'\\udcff'`` from ``sys.argv``) is written as U+FFFD, what a UTF-8 reader shows for such
bytes, instead of failing the whole file."""


def _fffd(err: UnicodeError) -> tuple[bytes, int]:
    """Bytes, not a str: the UTF-8 encoder refuses a replacement that is not ASCII."""
    if not isinstance(err, UnicodeEncodeError):
        raise err
    return "\ufffd".encode() * (err.end - err.start), err.end


codecs.register_error(REPLACE_SURROGATES, _fffd)


def replace_atomically(path: str, write: Callable[[str], None]) -> None:
    """Have ``write(tmp)`` fill a new file beside ``path``, then move it to ``path``."""
    target = os.path.abspath(path)
    if os.path.isdir(target):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    folder, name = os.path.split(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{name[:80]}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(target: str) -> int:
    """The permissions a plain ``open(target, "w")`` would have given (mkstemp's are 0600)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: read it the only other way, and put it back at once
    os.umask(mask)
    return mask
