"""Pool vs one process per task: why pools exist

The same TASKS short tasks run twice: first with a new Process for every task, then on one Pool of
POOL_SIZE reused workers. Creating and reaping a process costs far more than a short task, most of
all under spawn; only under fork, with longer tasks that just sleep side by side, can starting
them all at once keep up with the pool, which runs only POOL_SIZE at a time.
"""

from multiprocessing import Pool, Process
from time import perf_counter, sleep

TASKS = 50  # [1, 200] how many short tasks are run each way
TASK_SECONDS = 0.001  # [0, 5] seconds each task sleeps (a short task)
POOL_SIZE = 4  # [1, 32] how many worker processes the pool has
JOIN_EACH = False  # join each process before starting the next (off: start all, then join all)


# the short task
def task(n):
    sleep(TASK_SECONDS)
    return n * n


if __name__ == "__main__":
    # 1. a new process for every task
    t0 = perf_counter()
    jobs = []
    for i in range(TASKS):
        p = Process(target=task, args=(i,))
        p.start()
        if JOIN_EACH:
            p.join()
        jobs.append(p)
    for p in jobs:
        p.join()
    t_processes = perf_counter() - t0
    print("one process per task / 每个事件一个进程: %.3f s" % t_processes)

    # 2. the same tasks on a pool of reused processes (creating the pool counts too)
    t0 = perf_counter()
    pool = Pool(POOL_SIZE)
    r = pool.map(task, range(TASKS))
    pool.close()
    pool.join()
    t_pool = perf_counter() - t0
    print("pool of %d processes / 进程池: %.3f s" % (POOL_SIZE, t_pool))

    print("ratio (processes / pool): %.1f" % (t_processes / t_pool))
