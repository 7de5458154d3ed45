"""Queue: a producer and a consumer

fun1 puts (1, 2) into the queue every PUT_SECONDS and fun2 takes one out every GET_SECONDS and
prints the sum; messages come out in the order they went in. With a small MAXSIZE and a slower
consumer the queue fills up and the producer blocks in put() until fun2 makes room.
"""

from multiprocessing import Process, Queue
from time import sleep

ITEMS = 10  # [1, 100] how many messages the producer puts
PUT_SECONDS = 1.0  # [0, 30] seconds the producer waits before each put
GET_SECONDS = 1.5  # [0, 30] seconds the consumer waits before each get
MAXSIZE = 0  # [0, 100] queue size (0 = unbounded)


# the producer
def fun1(q):
    for i in range(ITEMS):
        sleep(PUT_SECONDS)
        q.put((1, 2))  # blocks while the queue is full
        print("put %d" % (i + 1))


# the consumer
def fun2(q):
    for i in range(ITEMS):
        sleep(GET_SECONDS)
        a, b = q.get()  # blocks while the queue is empty
        print("sum=", a + b)


if __name__ == "__main__":
    # create the message queue
    q = Queue(MAXSIZE)
    p1 = Process(target=fun1, args=(q,))
    p2 = Process(target=fun2, args=(q,))
    p1.start()
    p2.start()
    p1.join()
    p2.join()
