"""concurrent.futures.ProcessPoolExecutor: submit and map, results printed by main."""

import time
from concurrent.futures import ProcessPoolExecutor


def cube(n):
    time.sleep(0.05)
    return n**3


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as ex:
        first = ex.submit(cube, 2)
        rest = list(ex.map(cube, [3, 4, 5]))
        print("results", first.result(), rest)
