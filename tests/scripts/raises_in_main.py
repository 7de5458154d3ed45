"""An exception in the main process after a child was joined: exit code 1, traceback."""

from multiprocessing import Process


def child():
    print("child ok")


def explode():
    raise ValueError("boom in main")


if __name__ == "__main__":
    p = Process(target=child)
    p.start()
    p.join()
    print("about to fail")
    explode()
