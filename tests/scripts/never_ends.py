"""Never ends: two children and the main process loop forever."""

import time
from multiprocessing import Process


def spin():
    while True:
        time.sleep(0.05)


if __name__ == "__main__":
    for _ in range(2):
        Process(target=spin).start()
    print("started", flush=True)
    while True:
        time.sleep(0.05)
