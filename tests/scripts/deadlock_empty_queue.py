"""Deadlock: the consumer waits forever on a queue nobody ever puts into."""

from multiprocessing import Process, Queue


def consumer(q):
    while True:
        item = q.get()  # nobody puts anything: blocks forever
        print("got", item)


if __name__ == "__main__":
    q = Queue()
    p = Process(target=consumer, args=(q,))
    p.start()
    print("consumer started", flush=True)
    p.join()
