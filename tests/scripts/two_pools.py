"""Several pools in one script, each keeping its own tasks (tests/test_two_pools.py): two
ProcessPoolExecutors and two Pools in the main process, used at the same time, and an executor
and a Pool in each of two children running side by side.

Every task returns (its tag, its index, the pid of the worker that ran it); the tag names the
process and the pool that ran it (``main-exA``, ``child1-poolC``). Main prints every result
without the pids (the same output on every run), and writes to the file named by its one
argument, for each tag's pool, the worker pids that the program itself saw run its tasks.
Run by itself, it takes its start method from MPSCOPE_TEST_START_METHOD (when set).
"""

import json
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool, Process, Queue

TASKS = 6  # per pool, submitted one by one
MAPPED = 5  # per pool, through map/starmap in chunks of 2


def work(tag, i):
    return tag, i, os.getpid()


def submitted(prefix, executors, pools):
    """Submissions to every pool, interleaved: the pools' job ids advance side by side."""
    futures, asyncs = [], []
    for i in range(TASKS):
        for name, ex in executors:
            futures.append(ex.submit(work, f"{prefix}-{name}", i))
        for name, pool in pools:
            asyncs.append(pool.apply_async(work, (f"{prefix}-{name}", i)))
    return [f.result() for f in futures] + [a.get() for a in asyncs]


def mapped(prefix, executors, pools):
    results = []
    for name, ex in executors:
        results += ex.map(work, [f"{prefix}-{name}"] * MAPPED, range(MAPPED), chunksize=2)
    for name, pool in pools:
        results += pool.starmap(work, [(f"{prefix}-{name}", i) for i in range(MAPPED)], 2)
    return results


def main_pools():
    with (
        ProcessPoolExecutor(2) as ex_a,
        ProcessPoolExecutor(2) as ex_b,
        Pool(2) as pool_c,
        Pool(2) as pool_d,
    ):
        executors, pools = [("exA", ex_a), ("exB", ex_b)], [("poolC", pool_c), ("poolD", pool_d)]
        return submitted("main", executors, pools) + mapped("main", executors, pools)


def child_pools(prefix, out):
    with ProcessPoolExecutor(2) as ex_a, Pool(2) as pool_c:
        executors, pools = [("exA", ex_a)], [("poolC", pool_c)]
        out.put((prefix, submitted(prefix, executors, pools) + mapped(prefix, executors, pools)))


def workers_seen(results):
    seen = {}
    for tag, _i, pid in results:
        seen.setdefault(tag, set()).add(pid)
    return {tag: sorted(pids) for tag, pids in seen.items()}


if __name__ == "__main__":
    if os.environ.get("MPSCOPE_TEST_START_METHOD"):
        multiprocessing.set_start_method(os.environ["MPSCOPE_TEST_START_METHOD"])
    out = Queue()
    children = [Process(target=child_pools, args=(f"child{n}", out)) for n in (1, 2)]
    for child in children:
        child.start()
    results = {"main": main_pools()}
    for _ in children:
        prefix, child_results = out.get()
        results[prefix] = child_results
    for child in children:
        child.join()
    seen = {}
    for prefix in sorted(results):
        print(prefix, [(tag, i) for tag, i, _pid in results[prefix]])
        seen.update(workers_seen(results[prefix]))
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(seen, f)
