"""Deadlock: join() on a child that never ends."""

import time
from multiprocessing import Process


def worker():
    while True:  # forgot the condition that ends the loop
        time.sleep(0.1)


if __name__ == "__main__":
    p = Process(target=worker)
    p.start()
    print("waiting for the worker", flush=True)
    p.join()
    print("never printed")
