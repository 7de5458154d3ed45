"""ProcessPoolExecutor: the same pool, the concurrent.futures way

submit() returns a Future at once; as_completed() yields the futures in the order they finish, not
the order they were submitted. executor.map() gives the results in item order, and leaving the
with block shuts the executor down, waiting for its worker processes like close() + join().
"""

from concurrent.futures import ProcessPoolExecutor, as_completed
from time import ctime, sleep

POOL_SIZE = 4  # [1, 32] how many worker processes the executor has
TASKS = 8  # [1, 100] how many tasks are run each way
TASK_SECONDS = 1.0  # [0, 30] seconds each task sleeps before printing its message


# the task function the executor's workers run
def worker(msg):
    sleep(TASK_SECONDS)
    print(msg)
    return ctime()


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=POOL_SIZE) as executor:
        # 1. submit(): one Future per task, then take them as they complete
        futures = {}
        for i in range(TASKS):
            msg = "hello %d" % i
            f = executor.submit(worker, msg)
            futures[f] = msg
        for f in as_completed(futures):
            print("done: %s at %s" % (futures[f], f.result()))

        # 2. map(): the results come back in the order of the items
        msgs = ["map %d" % i for i in range(TASKS)]
        for msg, t in zip(msgs, executor.map(worker, msgs)):
            print("result: %s at %s" % (msg, t))
    print("executor shut down")
