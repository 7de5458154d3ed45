"""Takes command-line arguments: main and a child both print sys.argv[1:]."""

import sys
from multiprocessing import Process


def show(args):
    print("child got", args, "and sees", sys.argv[1:])


if __name__ == "__main__":
    print("main got", sys.argv[1:])
    p = Process(target=show, args=(sys.argv[1:],))
    p.start()
    p.join()
