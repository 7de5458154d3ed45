"""Pipe: children send, the parent receives

CHILDREN children write their numbers into one pipe and the parent's recv() blocks until each
message arrives. A duplex pipe (DUPLEX) can be read and written at both ends; a one-way pipe's fd1
can only receive and fd2 only send, and using the wrong end raises OSError.
"""

from multiprocessing import Pipe, Process
from time import sleep

DUPLEX = True  # two-way pipe: both ends send and receive (off: fd1 only receives, fd2 only sends)
CHILDREN = 5  # [1, 20] how many children send into the pipe
SEND_SECONDS = 3.0  # [0, 30] seconds each child sleeps before it sends its number


def fun(fd, name):
    sleep(SEND_SECONDS)
    # write into the pipe
    fd.send(name)


if __name__ == "__main__":
    # create the pipe: fd1 is the receiving end, fd2 the sending end
    fd1, fd2 = Pipe(duplex=DUPLEX)
    jobs = []
    for i in range(CHILDREN):
        p = Process(target=fun, args=(fd2, i))  # each child gets the sending end
        jobs.append(p)
        p.start()
    for i in range(CHILDREN):
        data = fd1.recv()  # blocks while the pipe is empty
        print(data)
    for p in jobs:
        p.join()

    if DUPLEX:
        # a two-way pipe: the other direction works too
        fd1.send("back")
        print("duplex: fd1.send() -> fd2.recv() got", repr(fd2.recv()), "/ 双向管道两端都可读写")
    else:
        # a one-way pipe: fd1 only receives
        try:
            fd1.send("x")
        except OSError as e:
            print("one-way: fd1.send() raised OSError:", e, "/ 单向管道 fd1 只读")
    fd1.close()
    fd2.close()
