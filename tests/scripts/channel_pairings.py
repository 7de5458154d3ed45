"""Every documented pairing of Connection and Queue calls, one per case: what arrives is printed
(repr, or hex for bytes) by the process that receives it, one line each, prefixed with its name.

Run by itself: ``python channel_pairings.py CASE START_METHOD``; tests/test_channel_fidelity.py
runs it so and under mpscope, and compares the lines.
"""

import multiprocessing as mp
import os
import pickle
import queue
import sys
import tempfile
from multiprocessing.connection import Client, Listener

OBJECTS = [
    0,
    -7,
    2**70,
    3.5,
    "text",
    "中文 ✓",
    b"\x00\xff raw",
    None,
    True,
    (1, "two", [3.0]),
    {"k": [1, 2], "n": None},
    {1, 2, 3},
    ("\x00mpscope-message", "1-1", "looks like a seal"),
]
CHUNKS = [b"", b"a", b"\x00" * 5, bytes(range(256)), b"\x80\x04\x95 not a pickle", b"z" * 70000]


class Point:
    """A class of the script: spawn children find it in __mp_main__."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


def say(*parts):
    print(mp.current_process().name, *parts, flush=True)


def hexed(data):
    data = bytes(data)
    return data.hex() if len(data) <= 300 else f"{len(data)} {data[:40].hex()} {data[-40:].hex()}"


# ---- Connection ------------------------------------------------------------------------------
def send_objects(conn):
    for obj in OBJECTS + [Point(1, 2)]:
        conn.send(obj)
    conn.close()


def send_chunks(conn):
    for chunk in CHUNKS:
        conn.send_bytes(chunk)
    conn.close()


def send_slices(conn):
    data = bytearray(range(200))
    conn.send_bytes(data, 10)
    conn.send_bytes(data, 5, 20)
    conn.send_bytes(memoryview(data), 0, 0)
    conn.send_bytes(b"abcdef", 6)
    conn.send_bytes(memoryview(bytes(range(8))).cast("I"), 4, 4)  # offset/size in bytes
    for offset, size in [(-1, None), (201, None), (0, -1), (150, 51)]:
        try:
            conn.send_bytes(data, offset, size)
        except ValueError as err:
            conn.send(("refused", offset, size, str(err)))
    conn.close()


def send_hand_pickles(conn):
    for obj in OBJECTS:
        conn.send_bytes(pickle.dumps(obj))
    conn.send_bytes(pickle.dumps(Point(3, 4), protocol=0))
    conn.close()


def case_send_recv(ctx):
    a, b = ctx.Pipe()
    p = ctx.Process(target=send_objects, args=(b,))
    p.start()
    b.close()
    for _ in range(len(OBJECTS) + 1):
        say(repr(a.recv()))
    p.join()


def case_send_bytes_recv_bytes(ctx):
    a, b = ctx.Pipe(duplex=False)
    p = ctx.Process(target=send_chunks, args=(b,))
    p.start()
    b.close()
    for _ in CHUNKS:
        say(hexed(a.recv_bytes()))
    try:
        a.recv_bytes()
    except EOFError:
        say("EOFError")
    p.join()


def send_sized(conn):
    conn.send_bytes(b"12345")
    conn.send_bytes(b"123456")


def case_recv_bytes_maxlength(ctx):
    a, b = ctx.Pipe()
    p = ctx.Process(target=send_sized, args=(b,))
    p.start()
    try:
        a.recv_bytes(-1)
    except ValueError as err:
        say("ValueError", err)
    say(hexed(a.recv_bytes(5)))
    try:
        a.recv_bytes(5)
    except OSError as err:
        say("OSError", err, a.readable)
    p.join()


def case_recv_bytes_into(ctx):
    a, b = ctx.Pipe()
    p = ctx.Process(target=send_chunks, args=(b,))
    p.start()
    b.close()
    buf = bytearray(b"." * 300)
    for offset in (0, 3, 7, 40):
        n = a.recv_bytes_into(buf, offset)
        say(n, hexed(buf))
    words = memoryview(bytearray(1024)).cast("I")  # itemsize 4: offset in bytes
    say(a.recv_bytes_into(words, 8), hexed(words.tobytes()[:300]))
    try:
        a.recv_bytes_into(bytearray(10), 11)
    except ValueError as err:
        say("ValueError", err)
    try:
        a.recv_bytes_into(bytearray(10))
    except mp.BufferTooShort as err:
        say("BufferTooShort", hexed(err.args[0]))
    p.join()


def case_send_bytes_slices(ctx):
    a, b = ctx.Pipe()
    p = ctx.Process(target=send_slices, args=(b,))
    p.start()
    b.close()
    for _ in range(5):
        say(hexed(a.recv_bytes()))
    for _ in range(4):
        say(repr(a.recv()))
    p.join()


def case_send_then_recv_bytes(ctx):
    a, b = ctx.Pipe()
    p = ctx.Process(target=send_objects, args=(b,))
    p.start()
    b.close()
    for _ in range(len(OBJECTS) + 1):
        data = a.recv_bytes()
        say(hexed(data), repr(pickle.loads(data)))
    p.join()


def case_send_bytes_then_recv(ctx):
    a, b = ctx.Pipe()
    p = ctx.Process(target=send_hand_pickles, args=(b,))
    p.start()
    b.close()
    for _ in range(len(OBJECTS) + 1):
        say(repr(a.recv()))
    p.join()


def wait_then_send(conn, go):
    go.wait()
    conn.send("late")
    conn.send_bytes(b"later")


def case_poll_timeout(ctx):
    a, b = ctx.Pipe()
    go = ctx.Event()
    p = ctx.Process(target=wait_then_send, args=(b, go))
    p.start()
    say("poll(0)", a.poll())
    say("poll(0.05)", a.poll(0.05))
    go.set()
    say("poll(10)", a.poll(10))
    say(repr(a.recv()))
    say("poll(None)", a.poll(None))
    say(hexed(a.recv_bytes()))
    p.join()
    say("poll after", a.poll(0.01))


def echo(conn):
    """A Connection passed to a child: it answers each message, both ways of sending."""
    while True:
        msg = conn.recv()
        if msg is None:
            break
        say("got", repr(msg))
        conn.send(("echo", msg))
        conn.send_bytes(pickle.dumps(msg))
    conn.close()


def case_connection_to_child(ctx):
    a, b = ctx.Pipe()
    p = ctx.Process(target=echo, args=(b,))
    p.start()
    for obj in [1, "two", Point(5, 6), b"\x00\x01"]:
        a.send(obj)
        say(repr(a.recv()), hexed(a.recv_bytes()))
    a.send(None)
    p.join()


def relay(q):
    """A Connection passed to a child through a Queue."""
    conn = q.get()
    conn.send(("relayed", os.getpid() > 0))
    conn.send_bytes(b"\x01\x02")


def case_connection_through_queue(ctx):
    a, b = ctx.Pipe()
    q = ctx.Queue()
    p = ctx.Process(target=relay, args=(q,))
    p.start()
    q.put(b)
    say(repr(a.recv()), hexed(a.recv_bytes()))
    p.join()


# ---- multiprocessing.connection Listener / Client -------------------------------------------
def client(address):
    with Client(address, authkey=b"key") as conn:
        for obj in OBJECTS[:6]:
            conn.send(obj)
        conn.send_bytes(b"\x00raw\xff")
        say("answer", repr(conn.recv()), hexed(conn.recv_bytes()))


def case_listener_client(ctx):
    address = os.path.join(tempfile.mkdtemp(), "sock")
    with Listener(address, "AF_UNIX", authkey=b"key") as listener:
        p = ctx.Process(target=client, args=(address,))
        p.start()
        with listener.accept() as conn:
            for _ in range(6):
                say(repr(conn.recv()))
            data = conn.recv_bytes()
            say(hexed(data))
            conn.send({"ok": True})
            conn.send_bytes(data[::-1])
        p.join()
    os.rmdir(os.path.dirname(address))


# ---- Queues --------------------------------------------------------------------------------
def put_all(q):
    for obj in OBJECTS + [Point(7, 8)]:
        q.put(obj)


def case_queue_put_get(ctx):
    q = ctx.Queue()
    p = ctx.Process(target=put_all, args=(q,))
    p.start()
    for _ in range(len(OBJECTS) + 1):
        say(repr(q.get()))
    p.join()


def put_nowait_all(q):
    for obj in OBJECTS:
        q.put_nowait(obj)


def case_queue_nowait(ctx):
    q = ctx.Queue()
    p = ctx.Process(target=put_nowait_all, args=(q,))
    p.start()
    p.join()  # the child's feeder flushed everything before it ended
    for _ in OBJECTS:
        say(repr(q.get_nowait()))
    try:
        q.get_nowait()
    except queue.Empty:
        say("Empty")
    full = ctx.Queue(1)
    full.put_nowait("only")
    try:
        full.put_nowait("one more")
    except queue.Full:
        say("Full")
    say(repr(full.get()))


def case_queue_get_timeout(ctx):
    q = ctx.Queue()
    try:
        q.get(timeout=0.05)
    except queue.Empty:
        say("Empty after timeout")
    try:
        q.get(False)
    except queue.Empty:
        say("Empty without blocking")
    q.put(("late", 1))
    say(repr(q.get(timeout=10)))


def simple_put(q):
    for obj in OBJECTS + [Point(9, 9)]:
        q.put(obj)


def case_simple_queue(ctx):
    q = ctx.SimpleQueue()
    p = ctx.Process(target=simple_put, args=(q,))
    p.start()
    for _ in range(len(OBJECTS) + 1):
        say(repr(q.get()))
    p.join()
    say("empty", q.empty())


def consume(q, out, n):
    for _ in range(n):
        out.put(("done", q.get()))
        q.task_done()
    q.get()
    q.task_done()


def case_joinable_queue(ctx):
    q, out = ctx.JoinableQueue(), ctx.Queue()
    p = ctx.Process(target=consume, args=(q, out, len(OBJECTS)))
    p.start()
    for obj in OBJECTS:
        q.put(obj)
    q.join()
    say("joined")
    for _ in OBJECTS:
        say(repr(out.get()))
    q.put("last")
    q.join()
    say("joined again")
    p.join()


_results = None


def init_worker(q):
    global _results
    _results = q


def square(x):
    _results.put((x, x * x))
    return x


def case_pool_initializer(ctx):
    q = ctx.Queue()
    with ctx.Pool(2, initializer=init_worker, initargs=(q,)) as pool:
        say(pool.map(square, range(6)))
        # before the pool ends: leaving the with block terminates the workers, and a worker's
        # feeder thread may not have written what it put yet (in plain Python too)
        say(sorted(q.get() for _ in range(6)))


CASES = {name[5:]: f for name, f in globals().items() if name.startswith("case_")}


if __name__ == "__main__":
    case, method = sys.argv[1], sys.argv[2]
    CASES[case](mp.get_context(method))
