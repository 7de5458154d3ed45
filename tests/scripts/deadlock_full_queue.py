"""Deadlock: a producer fills a queue of size 1 that nobody reads; its second put() blocks."""

from multiprocessing import Process, Queue


def producer(q):
    for i in range(3):
        q.put(i)  # the queue holds one item: the second put waits for a reader forever
        print("put", i, flush=True)


if __name__ == "__main__":
    q = Queue(maxsize=1)
    p = Process(target=producer, args=(q,))
    p.start()
    p.join()  # the mistake: join before reading what the child puts
    while not q.empty():
        print(q.get())
