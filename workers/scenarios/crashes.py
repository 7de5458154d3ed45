"""Crashes: every way a child process can end, side by side

Seven children end seven ways: a normal return (exit code 0), an exception (exit code 1 and a
traceback), sys.exit(3), os._exit(4) (no clean-up at all), killed by the parent with SIGTERM
(-15) and SIGKILL (-9), and a segmentation fault (-11, with faulthandler's report).
"""

import ctypes
import os
import sys
from multiprocessing import Process
from time import sleep

WORK_SECONDS = 0.5  # [0, 30] seconds each child works before it ends its own way
KILL_AFTER = 0.2  # [0, 30] seconds after the start when the parent kills two of the children


def normal():
    sleep(WORK_SECONDS)
    print("normal: returning")


def exception():
    sleep(WORK_SECONDS)
    raise ValueError("something went wrong in the child")


def exit_code():
    sleep(WORK_SECONDS)
    print("sys.exit(3)")
    sys.exit(3)


def hard_exit():
    sleep(WORK_SECONDS)
    print("os._exit(4): no clean-up, no flush", flush=True)
    os._exit(4)


def waits_forever():
    while True:
        sleep(WORK_SECONDS)


def segfault():
    sleep(WORK_SECONDS)
    print("reading address 0 ...", flush=True)
    ctypes.string_at(0)


if __name__ == "__main__":
    ways = [
        ("return", normal),
        ("exception", exception),
        ("sys.exit", exit_code),
        ("os._exit", hard_exit),
        ("terminate", waits_forever),
        ("kill", waits_forever),
        ("segfault", segfault),
    ]
    children = [Process(target=target, name=name) for name, target in ways]
    for p in children:
        p.start()
    sleep(KILL_AFTER)
    children[4].terminate()  # SIGTERM
    children[5].kill()  # SIGKILL
    for p in children:
        p.join()
    for p in children:
        print(p.name, "exit code", p.exitcode)
