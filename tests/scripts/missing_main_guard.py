"""No `if __name__ == "__main__":`: fine under fork, an error in the child under spawn/forkserver."""

import time
from multiprocessing import Process


def hello():
    time.sleep(0.05)
    print("hello from the child")


p = Process(target=hello)
p.start()
p.join()
print("main exit code of child", p.exitcode)
