"""Children that each start and join a few grandchildren, then end at once.

Usage: nested_fan_out.py CHILDREN GRANDCHILDREN_EACH
"""

import sys
from multiprocessing import Process


def grandchild():
    pass


def child(count):
    kids = [Process(target=grandchild) for _ in range(count)]
    for k in kids:
        k.start()
    for k in kids:
        k.join()


if __name__ == "__main__":
    children, each = int(sys.argv[1]), int(sys.argv[2])
    procs = [Process(target=child, args=(each,)) for _ in range(children)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("done")
