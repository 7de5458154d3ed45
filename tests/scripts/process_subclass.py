"""A Process subclass with its own __init__ and run(), started and joined from main."""

import time
from multiprocessing import Process


class Greeter(Process):
    def __init__(self, who):
        super().__init__()
        self.who = who

    def run(self):
        time.sleep(0.05)
        print(f"hello {self.who} from {self.name}")


if __name__ == "__main__":
    greeters = [Greeter("ann"), Greeter("bob")]
    for g in greeters:
        g.start()
    for g in greeters:
        g.join()
    print("exit codes", [g.exitcode for g in greeters])
