"""The main process ends (os._exit) right after starting a child; the orphan carries on."""

import os
import time
from multiprocessing import Process


def orphan():
    time.sleep(0.3)
    print(f"orphan done, parent was {os.getppid()}", flush=True)


if __name__ == "__main__":
    Process(target=orphan).start()
    print("main leaves", flush=True)
    os._exit(0)
