"""Pool as a context manager: map inside `with`; __exit__ calls terminate() on the workers."""

import time
from multiprocessing import Pool


def square(n):
    time.sleep(0.05)
    return n * n


if __name__ == "__main__":
    with Pool(2) as p:
        print(p.map(square, [1, 2, 3, 4]))
    print("pool done")
