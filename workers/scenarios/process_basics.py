"""Process basics: memory is not shared

The child changes the global a to 10000, yet after join() the parent still prints parent a= 1:
each process works on its own copy of memory. The parent sleeps less, so its event comes first.
"""

import multiprocessing as mp
from time import sleep

CHILD_SLEEP = 3.0  # [0, 30] seconds the child sleeps before printing
PARENT_SLEEP = 2.0  # [0, 30] seconds the parent sleeps before printing


# the function the child process runs
def fun():
    sleep(CHILD_SLEEP)
    global a
    print("a=", a)
    a = 10000
    print("子进程事件")


a = 1

if __name__ == "__main__":
    # create the process object
    p = mp.Process(target=fun)

    # start the process
    p.start()

    sleep(PARENT_SLEEP)
    print("父进程事件")
    # reap the process
    p.join()
    print("parent a=", a)
