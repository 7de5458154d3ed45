"""Threads and ``__del__`` methods that print and use Queues while the process, and the tracer
in it, is busy: usage reentry_threads.py START_METHOD FOLDER. A child, then main, each run
THREADS threads besides their own loop. Every loop writes whole lines (one write() call each:
print() makes two, and another thread may come between them in plain Python too), puts and gets
on a Queue of its own, and leaves an object in a reference cycle whose ``__del__`` prints: the
collector runs it wherever it runs, inside the tracer too, and now and then it prints a burst of
lines. The output is the same on every run, only its order differs (compare it sorted).
"""

import gc
import multiprocessing as mp
import sys
import threading

sys.stdout.reconfigure(line_buffering=True)  # each line one write: processes share the pipe
THREADS = 3
LOOPS = 1000
BURST = 300


class Noisy:
    def __init__(self, who, n):
        self.who, self.n, self.me = who, n, self  # a cycle: only the collector frees it

    def __del__(self):
        sys.stdout.write(f"{self.who} freed {self.n}\n")
        if self.n % 200 == 0:  # now and then more lines than the tracer keeps in one batch
            for line in range(BURST):
                sys.stdout.write(f"{self.who} freed {self.n}, line {line}\n")


def loop(who):
    q = mp.Queue()
    for n in range(LOOPS):
        Noisy(who, n)
        sys.stdout.write(f"{who} line {n}\n")
        q.put(n)
        if q.get() != n:
            raise SystemExit(f"{who}: the queue gave something else")


def work(who):
    threads = [threading.Thread(target=loop, args=(f"{who} thread {t}",)) for t in range(THREADS)]
    for t in threads:
        t.start()
    loop(f"{who} itself")
    for t in threads:
        t.join()
    gc.collect()
    print(f"{who} done")


if __name__ == "__main__":
    method, folder = sys.argv[1:3]
    mp.set_start_method(method)
    p = mp.Process(target=work, args=("child",))
    p.start()
    p.join()  # one process writes at a time: lines of two processes may splice in a pipe
    print("child exit code", p.exitcode)
    work("main")
