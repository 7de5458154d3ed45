"""A program that lets go of the descriptors it inherited, as a daemon does, then works with
files of its own. Usage: closes_descriptors.py START_METHOD FOLDER HOW WHO.

HOW: closerange (os.closerange(3, the limit)); close (os.close on each descriptor from 3 up);
dup2 (os.dup2 of a file of its own over each of them, some work, then os.close); libc (the same
dup2 and close through the C library, behind Python's back).
WHO: child (a child lets go, then main works with files); main (main lets go first, then
starts a child); running (main lets go while its child runs, then joins it; under fork it then
starts one more). Plain Python can start no spawn or forkserver child after main has let go of
the helpers (resource tracker, fork server) an earlier child started.

Every process that works with files holds many open at once (they get the lowest numbers, the
ones the closed descriptors had), writes and flushes them while it prints and sleeps, closes all
but one, and leaves that one unclosed with an unflushed last line.
"""

import contextlib
import ctypes
import multiprocessing as mp
import os
import sys
import time

FILES = 40
KEEP = []  # a file never closed: flushed at the interpreter's end (not in a fork child)


def descriptors():
    """The open descriptors from 3 up (the listing's own is closed when it returns)."""
    return [fd for fd in sorted(int(n) for n in os.listdir("/proc/self/fd")) if is_open(fd)]


def is_open(fd):
    try:
        os.fstat(fd)
    except OSError:
        return False
    return fd >= 3


def let_go(folder, how, who):
    print(f"{who} lets go ({how})")
    sys.stdout.flush()
    if how == "closerange":
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        return
    fds = descriptors()
    if how == "close":
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    dup2, close = (libc.dup2, libc.close) if how == "libc" else (os.dup2, os.close)
    path = os.path.join(folder, f"{who}-dup2-target.txt")
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    for fd in fds:
        dup2(target, fd)
    os.write(target, f"{who}: every descriptor is this file now\n".encode())
    time.sleep(0.02)  # a tracer still writing would write here now
    for fd in fds:
        close(fd)
    close(target)


def work_with_files(folder, who):
    paths = [os.path.join(folder, f"{who}-{n:02}.txt") for n in range(FILES)]
    files = [open(path, "w") for path in paths]  # noqa: SIM115 (all open at once, on purpose)
    for rounds in range(3):
        for n, f in enumerate(files):
            f.write(f"{who} file {n} round {rounds}\n")
            f.flush()  # in the file now: a byte of anyone else's would land between
        print(f"{who} round {rounds}")
        time.sleep(0.01)
    for f in files[:-1]:
        f.close()
    files[-1].write(f"{who}: last line, never flushed\n")
    KEEP.append(files[-1])


def child(folder, how, who):
    if who == "child":
        let_go(folder, how, "child")
    if who == "running":
        time.sleep(0.3)  # main lets go meanwhile
    work_with_files(folder, "child")
    print("child done")


def let_go_while_a_child_runs(folder, how, method):
    p = mp.Process(target=child, args=(folder, how, "running"))
    p.start()
    let_go(folder, how, "main")
    work_with_files(folder, "main while the child runs")
    p.join()
    print("child exit code", p.exitcode)
    if method == "fork":
        p = mp.Process(target=work_with_files, args=(folder, "second child"))
        p.start()
        p.join()
        print("second child exit code", p.exitcode)
    print("main done")


if __name__ == "__main__":
    method, folder, how, who = sys.argv[1:5]
    mp.set_start_method(method)
    print("main starts")
    if who == "running":
        let_go_while_a_child_runs(folder, how, method)
        sys.exit()
    if who == "main":
        let_go(folder, how, "main")
        work_with_files(folder, "main before the child")
    p = mp.Process(target=child, args=(folder, how, who))
    p.start()
    p.join()
    print("child exit code", p.exitcode)
    work_with_files(folder, "main")
    print("main done")
