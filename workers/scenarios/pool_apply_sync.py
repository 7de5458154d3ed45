"""Pool with apply: one task at a time

pool.apply() waits for each task to finish before the next one is handed out, so the TASKS tasks
run one after another and the whole run takes about TASKS × TASK_SECONDS, however many workers the
pool has: the synchronous way is the less efficient one. Compare with pool-apply-async.
"""

from multiprocessing import Pool
from time import ctime, sleep

POOL_SIZE = 10  # [1, 32] how many worker processes the pool has
TASKS = 10  # [1, 100] how many tasks are run in the pool
TASK_SECONDS = 2.0  # [0, 30] seconds each task sleeps before printing its message


# the task function (the "event") the pool's workers run
def worker(msg):
    sleep(TASK_SECONDS)
    print(msg)
    return ctime()


if __name__ == "__main__":
    # create a pool of worker processes
    pool = Pool(POOL_SIZE)
    result = []
    for i in range(TASKS):
        msg = "hello %d" % i
        # synchronous: blocks until this task has finished, then gives its return value
        r = pool.apply(func=worker, args=(msg,))
        result.append(r)
    print("all tasks done, one by one / 同步执行，一个一个执行")

    # close the pool: no more tasks can be added
    pool.close()
    # reap the pool's processes
    pool.join()
    for r in result:
        print(r)  # the task function's return value
