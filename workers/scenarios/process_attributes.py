"""Process attributes: name, pid, is_alive() and daemon

The child named Tarena is a daemon: the parent never joins it, and when the parent ends,
multiprocessing terminates it (exit code -15, SIGTERM). Setting daemon after start() is refused
with an AssertionError.
"""

from multiprocessing import Process
from time import ctime, sleep

TICK = 2.0  # [0, 30] seconds the daemon child sleeps before each print of the time
TICKS = 4  # [1, 20] how many times the daemon child prints the time
P2_SLEEP = 2.5  # [0, 30] seconds the second (non-daemon) child works
LINGER = 0.5  # [0, 30] seconds the parent lingers at the end, without joining the daemon


def tm():
    for i in range(TICKS):
        sleep(TICK)
        print(ctime())


def job():
    sleep(P2_SLEEP)
    print("p2 finished")


if __name__ == "__main__":
    p = Process(target=tm, name="Tarena")
    p.daemon = True  # must be set before start(); usually not combined with join()
    p.start()
    print("Process name:", p.name, "/Process PID:", p.pid, "/Process status:", p.is_alive(), sep="")

    p2 = Process(target=job)
    p2.start()
    try:
        p2.daemon = True  # too late: p2 has already started
    except AssertionError as e:
        print("AssertionError:", e)
    p2.join()
    print("p2 exitcode:", p2.exitcode, "/p2 daemon:", p2.daemon)

    sleep(LINGER)
    print("parent ends, daemon child alive:", p.is_alive())
    # no p.join(): when the parent exits, multiprocessing terminates the daemon child
