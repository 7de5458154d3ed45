"""Signal handlers that print and use a Queue while the process, and the tracer in it, is busy
with a Queue: usage reentry_signals.py START_METHOD FOLDER alarm|usr1. alarm: SIGALRM every
millisecond; usr1: the process sends itself SIGUSR1, again and again. A child does it, then
main. Every handler counts its runs and the work stops at a fixed count, so the output is the
same on every run, only its order may differ (compare it sorted).

The handler uses a Queue of its own: one that it may interrupt in the middle of a put or get
deadlocks in plain Python too. Python runs a handler again inside itself when a signal comes
while it runs, and that nested run would wait on the lock of the put it interrupted (seen in
plain Python): a tick that comes while the handler runs is skipped, not counted. Every tenth
run the handler prints a burst of lines, more than the tracer keeps in one batch.
"""

import multiprocessing as mp
import os
import signal
import sys

sys.stdout.reconfigure(line_buffering=True)  # each line one write: processes share the pipe
RUNS = 300
BURST = 300


def busy(who, kind):
    sig = signal.SIGALRM if kind == "alarm" else signal.SIGUSR1
    own, work = mp.Queue(), mp.Queue()
    runs, inside = 0, False

    def handler(signum, frame):
        nonlocal runs, inside
        if inside:
            return
        inside = True
        runs += 1
        print(f"{who} handler run {runs}")
        own.put(runs)
        if runs % 10 == 0:
            print(f"{who} handler got {own.get()} back")
            for n in range(BURST):
                print(f"{who} burst {runs} line {n}")
        if runs == RUNS and kind == "alarm":
            signal.setitimer(signal.ITIMER_REAL, 0)
        inside = False

    signal.signal(sig, handler)
    if kind == "alarm":
        signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
    n = 0
    while runs < RUNS:
        if kind == "usr1":
            os.kill(os.getpid(), sig)
        work.put(n)
        n = work.get() + 1
    left = [own.get() for _ in range(RUNS - RUNS // 10)]
    print(f"{who} done: {runs} handler runs, {len(left)} left in its queue")


if __name__ == "__main__":
    method, folder, kind = sys.argv[1:4]
    mp.set_start_method(method)
    p = mp.Process(target=busy, args=("child", kind))
    p.start()
    p.join()  # one process writes at a time: lines of two processes may splice in a pipe
    print("child exit code", p.exitcode)
    busy("main", kind)
