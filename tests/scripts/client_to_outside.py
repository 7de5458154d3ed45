"""Talks to a server mpscope does not watch (its address in argv[1]): what it sends must reach
that server exactly as plain Python sends it."""

import sys
from multiprocessing.connection import Client

if __name__ == "__main__":
    with Client(sys.argv[1], authkey=b"outside") as conn:
        conn.send({"n": 1, "text": "中文"})
        conn.send_bytes(b"\x00raw bytes\xff")
        print("reply", repr(conn.recv()), conn.recv_bytes().hex())
