"""Python's own end of a process: atexit handlers (newest first), files written and never
closed, a non-daemon thread still running when main ends. Usage: exit_handlers.py START_METHOD
FOLDER.

Run by itself it is the reference. Main: the thread is waited for, then the handlers run, then
the unclosed files are flushed as the interpreter finalizes them. A fork or forkserver child ends
with os._exit: none of its handlers runs and its unclosed file stays empty. A spawn child ends
through sys.exit: its handlers run (those registered while it imported this script too) and its
file is flushed.
"""

import atexit
import multiprocessing as mp
import os
import sys
import threading
import time

KEEP = []  # files never closed: still referenced when the process ends


def say(text, stream=sys.stdout):
    print(f"{text} ({mp.current_process().name})", file=stream)


def write_unclosed(folder, name):
    f = open(os.path.join(folder, name), "w")  # noqa: SIM115 (never closed, on purpose)
    f.write(f"{name}: written, never flushed nor closed\n")
    KEEP.append(f)


# A child that imports this script (spawn; forkserver children under mpscope) registers this.
# Not the fork server itself: plain Python's imports the script once as MainProcess, and would
# run it when it ends, after the main process.
if mp.current_process().name != "MainProcess":
    atexit.register(say, "handler registered at import")


def child(folder):
    atexit.register(say, "handler registered in run()", sys.stderr)
    write_unclosed(folder, f"{mp.current_process().name}.txt")
    print("child done")


def late(folder):
    time.sleep(0.2)
    print("thread ends after main")
    write_unclosed(folder, "thread.txt")


if __name__ == "__main__":
    method, folder = sys.argv[1], sys.argv[2]
    mp.set_start_method(method)
    atexit.register(say, "first handler of main, runs last")
    atexit.register(say, "second handler of main, runs first", sys.stderr)
    p = mp.Process(target=child, args=(folder,))
    p.start()
    p.join()
    print("child exit code", p.exitcode)
    write_unclosed(folder, "main.txt")
    threading.Thread(target=late, args=(folder,)).start()
    print("main ends")
