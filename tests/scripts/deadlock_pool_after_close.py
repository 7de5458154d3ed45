"""A Pool used after close(): plain Python raises ValueError("Pool not running")."""

from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    pool = Pool(2)
    print(pool.map(square, range(4)), flush=True)
    pool.close()
    print(pool.map(square, range(4, 8)))  # closed: no more work may be given to it
    pool.join()
