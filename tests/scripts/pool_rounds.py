"""Several short pools, each a context manager: Pool.__exit__ terminates the workers at once.

Usage: pool_rounds.py ROUNDS
"""

import sys
import time
from multiprocessing import Pool


def square(n):
    time.sleep(0.02)
    return n * n


if __name__ == "__main__":
    for _ in range(int(sys.argv[1])):
        with Pool(2) as p:
            print(p.map(square, [1, 2, 3, 4]))
