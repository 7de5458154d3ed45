"""An exception in a child: its run() fails, exit code 1; main goes on and ends with 0."""

from multiprocessing import Process


def fails():
    raise KeyError("boom in child")


if __name__ == "__main__":
    p = Process(target=fails)
    p.start()
    p.join()
    print("child exit code", p.exitcode)
