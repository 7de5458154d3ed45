"""Start methods: fork, spawn, forkserver and a raw os.fork()

The same small job is started with each start method this system offers, one after the other,
and the table shows what start() + join() cost on top of the job itself. spawn starts a fresh
interpreter that re-imports this script, so it is the slowest; forkserver's first start also
launches its server; a raw os.fork() is the cheapest but exists only on Unix.
"""

import multiprocessing as mp
import os
import sys
from time import perf_counter, sleep

JOB_SECONDS = 0.5  # [0, 10] seconds the child's job sleeps
RUNS = 3  # [1, 20] how many times each start method is timed


# the small job: sleep, then say who we are
def job(method):
    sleep(JOB_SECONDS)
    print("(%s) child pid: %d" % (method, os.getpid()), flush=True)


if __name__ == "__main__":
    print("start methods offered here:", mp.get_all_start_methods())
    table = []
    for m in ["fork", "spawn", "forkserver"]:
        if m not in mp.get_all_start_methods():
            continue
        ctx = mp.get_context(m)
        times = []
        for i in range(RUNS):
            t0 = perf_counter()
            p = ctx.Process(target=job, args=(m,))
            p.start()
            p.join()
            times.append(perf_counter() - t0 - JOB_SECONDS)
        table.append((m, times))

    # the old Unix way: fork the interpreter by hand (homework: compare it with multiprocessing)
    if hasattr(os, "fork"):
        times = []
        for i in range(RUNS):
            sys.stdout.flush()  # or the child would print our unwritten output a second time
            t0 = perf_counter()
            pid = os.fork()
            if pid == 0:
                # the child: do the job, then leave at once (no cleanup of the parent's things)
                job("os.fork")
                os._exit(0)
            os.waitpid(pid, 0)  # the parent reaps the child
            times.append(perf_counter() - t0 - JOB_SECONDS)
        table.append(("os.fork", times))

    # overhead of start() + join() in milliseconds, one column per run
    print("%-12s %s" % ("method", "  ".join("%9s" % ("run %d" % (i + 1)) for i in range(RUNS))))
    for m, times in table:
        print("%-12s %s" % (m, "  ".join("%6.1f ms" % (t * 1000) for t in times)))
