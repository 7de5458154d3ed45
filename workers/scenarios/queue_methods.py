"""Queue methods: put, get, empty, full, qsize, close

A Queue(MAXSIZE) holds at most MAXSIZE messages: full() turns True, and a put() that must not
block (block=False) or may wait only TIMEOUT_SECONDS raises queue.Full; a get() on an empty queue
raises queue.Empty the same way. A child takes one message out of the very same queue.
"""

import queue
from multiprocessing import Process, Queue
from time import sleep

MAXSIZE = 3  # [2, 20] how many messages the queue holds at most
SETTLE_SECONDS = 0.1  # [0, 5] seconds the parent waits after the first put() before empty()
TIMEOUT_SECONDS = 1.0  # [0, 30] seconds put() and get() wait (timeout) before they give up


# the child: take one message out of the queue
def child(q):
    print("child got:", q.get())


if __name__ == "__main__":
    # create the message queue
    q = Queue(MAXSIZE)

    q.put(1)
    sleep(SETTLE_SECONDS)  # a background thread moves the message into the pipe
    print("empty():", q.empty())  # False
    for i in range(2, MAXSIZE + 1):
        q.put(i)
    print("full():", q.full())  # True

    # the queue is full: a put that must not block, or may wait only a while, gives up
    try:
        q.put(99, block=False)
    except queue.Full:
        print("put(block=False) on a full queue: queue.Full")
    try:
        q.put(99, timeout=TIMEOUT_SECONDS)
    except queue.Full:
        print("put(timeout=%s) on a full queue: queue.Full" % TIMEOUT_SECONDS)

    print("get():", q.get())  # first in, first out: 1
    try:
        print("qsize():", q.qsize())  # MAXSIZE - 1
    except NotImplementedError:
        print("qsize(): not implemented on this system (macOS)")

    # another process takes the next message out of the same queue
    p = Process(target=child, args=(q,))
    p.start()
    p.join()

    # take the rest
    for i in range(MAXSIZE - 2):
        print("get():", q.get())

    # the queue is empty: a get that must not block, or may wait only a while, gives up
    try:
        q.get(block=False)
    except queue.Empty:
        print("get(block=False) on an empty queue: queue.Empty")
    try:
        q.get(timeout=TIMEOUT_SECONDS)
    except queue.Empty:
        print("get(timeout=%s) on an empty queue: queue.Empty" % TIMEOUT_SECONDS)
    print("empty():", q.empty())  # True

    # close the queue: this process puts nothing more into it
    q.close()
