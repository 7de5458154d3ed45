"""Reads stdin in main (input() and sys.stdin.read()) and in a child (input())."""

import sys
from multiprocessing import Process


def ask():
    try:
        print("child read", repr(input("child> ")))
    except EOFError:
        print("child got EOFError")


if __name__ == "__main__":
    try:
        print("main read", repr(input("name? ")))
    except EOFError:
        print("main got EOFError")
    print("sys.stdin.read() gave", repr(sys.stdin.read()))
    p = Process(target=ask)
    p.start()
    p.join()
