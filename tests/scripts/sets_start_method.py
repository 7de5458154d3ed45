"""Chooses its own start method, as many real scripts do: set_start_method(sys.argv[1])."""

import multiprocessing
import sys


def hello():
    print("hello from", multiprocessing.current_process().name)


if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    p = multiprocessing.Process(target=hello)
    p.start()
    p.join()
    print("start method", multiprocessing.get_start_method())
