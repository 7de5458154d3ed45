"""Names, lines and values no exporter may choke on; traced, it also forges events that a
hostile program could write into mpscope's channel (plain Python skips that part)."""

import multiprocessing as mp
import os
import sys
import time

NAMES = ["\udcff", "ctl\x00\x01\x1f\x7f\ufffe\uffff", "<&>\"' ]]>", "n" * 300]
LINE = "child \x00\x01\x1b[31m\x7f \ufffe\uffff <&> ]]> \udcff"


def child(code):
    print(LINE, flush=True)
    print("to stderr \udcff\x00", file=sys.stderr, flush=True)
    sys.exit(code)


def square(x):
    return x * x if x < 3 else 10**5000


def forge():
    """Events the tracer never sends, written into its channel as a program could."""
    tracer = sys.modules.get("_mpscope_workers.tracer")
    if tracer is None:
        return
    from _mpscope_workers.channel import encode_frames

    me, t = os.getpid(), time.monotonic_ns()
    a = ["x" * 50] * 50
    unfolds = [[[a] * 50] * 50] * 50  # a few hundred bytes pickled, 300 million characters
    events = [
        ("print", me, t, 1, {"stream": 1, "text": unfolds}),
        ("print", me, t + 1, 2, {"stream": 1, "text": 10**5000, 7: "int key", "nan": float("nan")}),
        ("state", me, t + 2, 3, {"s": "sleeping", "on": "sleep", "secs": float("inf")}),
        ("state", me, t + 3, 4, {"s": ["not", "a", "state"], "on": unfolds}),
        (
            "msg",
            me,
            t + 4,
            5,
            {"phase": "channel", "ch": "forged", "kind": "Queue", "maxsize": 10**5000},
        ),
        (
            "msg",
            me,
            t + 5,
            6,
            {"phase": "send", "ch": "forged", "mid": unfolds, "payload": unfolds},
        ),
        (
            "task",
            me,
            t + 6,
            7,
            {"phase": "submit", "pool": me, "job": 10**5000, "n": 10**5000, "call": unfolds},
        ),
        ("exit_status", me, t + 7, 8, {"code": 10**5000, "tb": unfolds}),
        ("terminated", me, t + 8, 9, {"sig": "x", "by": [me]}),
        ("error", me, t + 9, 10, {"code": "note", "msg": unfolds}),
    ]
    for frame in encode_frames(events):
        tracer.connection().send_bytes(frame)


if __name__ == "__main__":
    sys.stdout.reconfigure(errors="surrogateescape")
    print("argv", ascii(sys.argv[1:]))
    procs = [mp.Process(target=child, args=(n,), name=name) for n, name in enumerate(NAMES)]
    for p in procs:  # one at a time: their lines never interleave
        p.start()
        p.join()
    print("exit codes", [p.exitcode for p in procs])
    with mp.Pool(2) as pool:
        print(
            "squares", [len(str(v)) if v < 10**100 else "huge" for v in pool.map(square, range(5))]
        )
    q = mp.Queue()
    for value in (10**5000, float("nan"), "\udcff\x00", NAMES):
        q.put(value)
        got = q.get()
        print("got", type(got).__name__, got is not value and got != got or got == value)
    print("line \udcff\x01 end")
    forge()
