"""Reads standard input through its file descriptor, as `open(0)` or `os.read(0, n)` do."""

import os

if __name__ == "__main__":
    print("fd 0 gave", os.read(0, 16))
