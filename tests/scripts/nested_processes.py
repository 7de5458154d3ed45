"""Nested processes: each of two children starts two grandchildren and joins them."""

import os
import time
from multiprocessing import Process, current_process


def grandchild(n):
    time.sleep(0.05)
    print(f"grandchild {n} is {current_process().name} pid {os.getpid()} ppid {os.getppid()}")


def child():
    kids = [Process(target=grandchild, args=(i,)) for i in range(2)]
    for k in kids:
        k.start()
    for k in kids:
        k.join()
    print(f"child {current_process().name} joined {[k.name for k in kids]}")


if __name__ == "__main__":
    children = [Process(target=child) for _ in range(2)]
    for c in children:
        c.start()
    for c in children:
        c.join()
    print("main done")
