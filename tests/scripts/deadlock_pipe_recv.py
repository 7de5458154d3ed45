"""Deadlock: the child waits on recv() of a Pipe that nobody sends to."""

from multiprocessing import Pipe, Process


def child(conn):
    msg = conn.recv()  # the parent never sends: blocks forever
    print("child got", msg)


if __name__ == "__main__":
    parent_conn, child_conn = Pipe()
    p = Process(target=child, args=(child_conn,))
    p.start()
    print("child started", flush=True)
    p.join()  # forgot parent_conn.send(...)
