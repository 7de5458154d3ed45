"""Prints from main and from children joined one by one: the order is the same on every run.

Run by itself, it takes its start method from MPSCOPE_TEST_START_METHOD (when set). It ends
with exit code 3, the last line without a newline.
"""

import multiprocessing
import os
import sys
from multiprocessing import Process, current_process


def child(n):
    print(f"child {n} ({current_process().name}) line 1")
    print(f"child {n} line 2", file=sys.stdout)
    sys.stdout.write(f"child {n} partial")
    sys.stdout.write(" line\n")


if __name__ == "__main__":
    if os.environ.get("MPSCOPE_TEST_START_METHOD"):
        multiprocessing.set_start_method(os.environ["MPSCOPE_TEST_START_METHOD"])
    print("main starts")
    for n in range(3):
        print(f"main starts child {n}")
        p = Process(target=child, args=(n,))
        p.start()
        p.join()
        print(f"main joined child {n}: exit code {p.exitcode}")
    print("main ends", end="")
    print(" with no newline at the very end", end="")
    sys.exit(3)
