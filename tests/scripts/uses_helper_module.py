"""Imports its own helper module from beside it; the child's target lives in that module."""

from multiprocessing import Process

import helper_mod

if __name__ == "__main__":
    p = Process(target=helper_mod.work, args=(7,))
    p.start()
    p.join()
    print("main used", helper_mod.__name__, "exit", p.exitcode)
