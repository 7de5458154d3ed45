"""Pool with apply_async: tasks run side by side on the pool's workers

apply_async() only puts each task into the pool's queue and returns at once; the POOL_SIZE workers
take the tasks one after another and are reused, not created per task (make POOL_SIZE smaller than
TASKS to see one worker run several). close() refuses new tasks, join() waits for the workers, and
r.get() gives each task's return value.
"""

from multiprocessing import Pool
from time import ctime, sleep

POOL_SIZE = 10  # [1, 32] how many worker processes the pool has
TASKS = 10  # [1, 100] how many tasks are put into the pool
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
    # put the tasks into the pool's queue
    for i in range(TASKS):
        msg = "hello %d" % i
        # asynchronous: returns at once with an object that stands for the task
        r = pool.apply_async(func=worker, args=(msg,))
        result.append(r)  # keep the task objects
    print("all tasks submitted / 事件已全部加入进程池")

    # close the pool: no more tasks can be added
    pool.close()
    # reap the pool's processes
    pool.join()
    for r in result:
        print(r.get())  # the task function's return value
