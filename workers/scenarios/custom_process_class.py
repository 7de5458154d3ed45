"""Custom process class: subclass Process and override run()

ClockProcess stores its own attribute (value) in __init__, which must also call
super().__init__(). start() runs the overridden run() in the new process; join() reaps it.
"""

from multiprocessing import Process
from time import ctime, sleep

VALUE = 2.0  # [0, 30] seconds the clock sleeps after each print
TICKS = 5  # [1, 20] how many times the clock prints the time


class ClockProcess(Process):
    def __init__(self, value):
        self.value = value
        super().__init__()  # run the parent class's __init__

    def run(self):
        for i in range(TICKS):
            print("The time is {}".format(ctime()))
            sleep(self.value)


if __name__ == "__main__":
    p = ClockProcess(VALUE)
    p.start()  # runs run() in the new process
    p.join()
