"""Passing arguments: args and kwargs, and join(timeout)

One child gets its arguments as a tuple (args), the other as a dict (kwargs). join(JOIN_TIMEOUT)
stops waiting while the child is still working; the plain join() calls at the end reap both.
"""

from multiprocessing import Process
from time import sleep

SEC = 2.0  # [0, 30] seconds the worker sleeps in each loop
LOOPS = 3  # [1, 20] how many times each worker loops
JOIN_TIMEOUT = 4.0  # [0, 60] seconds the parent waits in join(timeout) before moving on


# a process function that takes arguments
def worker(sec, name):
    for i in range(LOOPS):
        sleep(sec)
        print("I am %s" % name)
        print("I am working...")


if __name__ == "__main__":
    # positional arguments, as a tuple
    p1 = Process(target=worker, args=(SEC, "Levis"))
    # keyword arguments, as a dict
    p2 = Process(target=worker, kwargs={"sec": SEC, "name": "Tom"})

    p1.start()
    p2.start()
    p2.join(JOIN_TIMEOUT)  # gives up after JOIN_TIMEOUT seconds, even if p2 still runs
    print("===================")
    print("p2 still alive after join(timeout):", p2.is_alive())

    # join() without a timeout waits until the child has ended
    p1.join()
    p2.join()
    print("both joined, exit codes:", p1.exitcode, p2.exitcode)
