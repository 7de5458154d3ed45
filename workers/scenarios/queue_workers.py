"""JoinableQueue: producers, consumers and task_done()

PRODUCERS producers put items and CONSUMERS consumers take them; each consumer calls task_done()
for every item, so q.join() in the parent returns once every item put so far is done. Only then
does the parent send one None per consumer, which tells it to stop, and join everybody.
"""

from multiprocessing import JoinableQueue, Process
from time import sleep

PRODUCERS = 2  # [1, 8] how many producer processes
CONSUMERS = 3  # [1, 8] how many consumer processes
ITEMS = 5  # [1, 50] how many items each producer puts
PUT_SECONDS = 0.5  # [0, 30] seconds a producer waits before each put
WORK_SECONDS = 1.0  # [0, 30] seconds a consumer works on each item


def producer(q, name):
    for i in range(ITEMS):
        sleep(PUT_SECONDS)
        q.put("%s item %d" % (name, i))
    print("%s done" % name)


def consumer(q, name):
    while True:
        item = q.get()
        if item is None:  # the sentinel: no more work
            q.task_done()
            print("%s stops" % name)
            break
        sleep(WORK_SECONDS)
        print("%s handled %s" % (name, item))
        q.task_done()  # this item is done


if __name__ == "__main__":
    q = JoinableQueue()
    producers = []
    for i in range(PRODUCERS):
        p = Process(target=producer, args=(q, "producer %d" % (i + 1)))
        producers.append(p)
        p.start()
    consumers = []
    for i in range(CONSUMERS):
        c = Process(target=consumer, args=(q, "consumer %d" % (i + 1)))
        consumers.append(c)
        c.start()

    # wait until every item is put, then until every item is done
    for p in producers:
        p.join()
    q.join()
    print("q.join() returned: every item is done")

    # one sentinel per consumer
    for c in consumers:
        q.put(None)
    for c in consumers:
        c.join()
    print("all processes joined")
