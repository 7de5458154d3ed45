"""Pool map, imap, imap_unordered and starmap

map() and starmap() give back the whole list only when every task is done; imap() yields results
one by one in item order, imap_unordered() as soon as each one is ready. Chunks of items go to a
worker together (CHUNKSIZE); a task that raises (FAIL_AT) has its exception re-raised in the parent.
"""

from multiprocessing import Pool
from time import sleep

POOL_SIZE = 4  # [1, 32] how many worker processes the pool has
ITEMS = 5  # [1, 100] how many items are mapped (1, 2, ... ITEMS)
TASK_SECONDS = 1.0  # [0, 30] seconds each task sleeps before returning n*n
MODE = 0  # [0, 3] 0 map, 1 imap, 2 imap_unordered, 3 starmap
CHUNKSIZE = 0  # [0, 20] chunksize (0 = let Python choose)
FAIL_AT = 0  # [0, 100] the item (1 to ITEMS) whose task raises ValueError (0 = none)


# the task function: one item in, its square out
def fun(n):
    sleep(TASK_SECONDS)
    if n == FAIL_AT:
        raise ValueError("task for item %d failed" % n)
    return n * n


# for starmap: a function of two arguments, called with each pair
def power(n, e):
    sleep(TASK_SECONDS)
    if n == FAIL_AT:
        raise ValueError("task for item %d failed" % n)
    return n**e


if __name__ == "__main__":
    items = list(range(1, ITEMS + 1))  # [1, 2, 3, 4, 5]
    # chunksize=... only when one is chosen
    options = {}
    if CHUNKSIZE > 0:
        options["chunksize"] = CHUNKSIZE

    # create a pool of worker processes
    pool = Pool(POOL_SIZE)
    try:
        if MODE == 0:
            r = pool.map(fun, items, **options)  # blocks until every task is done
            print(r)
        elif MODE == 1:
            r = []
            for x in pool.imap(fun, items, **options):  # in item order, as they arrive
                print("imap got", x)
                r.append(x)
            print(r)
        elif MODE == 2:
            r = []
            for x in pool.imap_unordered(fun, items, **options):  # as soon as each is done
                print("imap_unordered got", x)
                r.append(x)
            print(r)
        else:
            pairs = [(n, 2) for n in items]  # [(1, 2), (2, 2), ...]
            r = pool.starmap(power, pairs, **options)  # power(1, 2), power(2, 2), ...
            print(r)
    except ValueError as e:
        # the worker's exception, raised again in the parent
        print("the parent caught the task's exception: ValueError:", e)

    # close the pool: no more tasks can be added
    pool.close()
    # reap the pool's processes
    pool.join()
    print("pool closed and joined")
