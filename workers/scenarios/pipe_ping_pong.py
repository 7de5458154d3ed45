"""Pipe ping-pong: two processes talking both ways

One duplex Pipe joins the parent and a child: the parent sends ping, the child's recv() returns
it and the child answers pong, ROUNDS times. Each side is blocked in recv() while the other one
thinks for THINK_SECONDS.
"""

from multiprocessing import Pipe, Process
from time import sleep

ROUNDS = 5  # [1, 50] how many ping / pong rounds
THINK_SECONDS = 1.0  # [0, 30] seconds each side thinks before it sends


# the child: answer every ping with a pong
def player(fd):
    for i in range(ROUNDS):
        msg = fd.recv()
        print("child got %s" % msg)
        sleep(THINK_SECONDS)
        fd.send("pong %d" % i)
    fd.close()


if __name__ == "__main__":
    # a duplex pipe (the default): both ends can send and receive
    fd1, fd2 = Pipe()
    p = Process(target=player, args=(fd2,))
    p.start()
    for i in range(ROUNDS):
        sleep(THINK_SECONDS)
        fd1.send("ping %d" % i)
        msg = fd1.recv()  # blocks until the child answers
        print("parent got %s" % msg)
    p.join()
    fd1.close()
