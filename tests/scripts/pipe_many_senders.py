"""Many children send on one Pipe at the same moment; the parent receives everything.

Usage: pipe_many_senders.py CHILDREN MESSAGES_EACH
"""

import sys
import time
from multiprocessing import Pipe, Process


def send_some(conn, n, count):
    time.sleep(0.05)
    for k in range(count):
        conn.send((n, k))


if __name__ == "__main__":
    children, each = int(sys.argv[1]), int(sys.argv[2])
    receiver, sender = Pipe(duplex=False)
    procs = [Process(target=send_some, args=(sender, n, each)) for n in range(children)]
    for p in procs:
        p.start()
    got = [receiver.recv() for _ in range(children * each)]
    for p in procs:
        p.join()
    print(
        "received",
        len(got),
        "in order per child:",
        all([k for n2, k in got if n2 == n] == list(range(each)) for n in range(children)),
    )
