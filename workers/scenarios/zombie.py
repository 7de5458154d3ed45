"""Zombie: a child that has exited but is not joined yet

The child ends quickly with exit code EXIT_CODE, but the busy parent calls join() only much
later: all that time the child is dead but not reaped, a zombie. Its exit code is kept for the
parent to collect.
"""

import sys
from multiprocessing import Process
from time import sleep

CHILD_SLEEP = 1.0  # [0, 30] seconds the child works before it exits
PARENT_BUSY = 5.0  # [0, 60] seconds the parent stays busy before it looks at the child
EXIT_CODE = 3  # [0, 255] exit code the child ends with, via sys.exit()


def fun():
    sleep(CHILD_SLEEP)
    print("子进程结束")
    sys.exit(EXIT_CODE)


if __name__ == "__main__":
    p = Process(target=fun)
    p.start()
    print("父进程忙...")
    sleep(PARENT_BUSY)  # the child has long exited, but nobody has reaped it yet

    # the child is already dead: is_alive() is False, and the exit code is known
    print("before join: is_alive() =", p.is_alive(), "/exitcode =", p.exitcode)
    p.join()
    print("after join: exitcode =", p.exitcode)
