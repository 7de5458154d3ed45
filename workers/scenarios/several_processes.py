"""Several processes: three children at once

Three children start together and run side by side; each prints when its own sleep ends, so the
order follows the sleep times, not the start order. Each child prints its parent's pid and its own.
"""

import os
from multiprocessing import Process
from time import sleep

TH1_SLEEP = 3.0  # [0, 30] seconds th1 sleeps before printing
TH2_SLEEP = 5.0  # [0, 30] seconds th2 sleeps before printing
TH3_SLEEP = 4.0  # [0, 30] seconds th3 sleeps before printing


def th1():
    sleep(TH1_SLEEP)
    print("吃饭")
    print(os.getppid(), "--", os.getpid())


def th2():
    sleep(TH2_SLEEP)
    print("睡觉")
    print(os.getppid(), "--", os.getpid())


def th3():
    sleep(TH3_SLEEP)
    print("打豆豆")
    print(os.getppid(), "--", os.getpid())


if __name__ == "__main__":
    things = [th1, th2, th3]
    process = []
    for th in things:
        p = Process(target=th)
        process.append(p)  # keep every process object we create
        p.start()

    for i in process:
        i.join()
