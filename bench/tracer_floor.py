"""How close to the overhead target (figure 4) a tracer written in Python can get at all.

The Queue phase of bench/overhead.py's workload (one Process puts 50,000 small ints, the main
process gets them) is where most of that workload's time goes. Here it runs, each time in a fresh
process and with every event written to a reader process that throws it away (so the app costs
nothing), in five ways:

  untraced     plain multiprocessing;
  floor        the least a put/get hook can record and still pair every message: an int id
               sealed beside the object, ``(time, id)`` appended on each side, batches of 256
               pickled and written to the reader (no line, no payload, no blocked state, no
               flush deadline);
  floor+line   the same, plus the calling line (``sys._getframe(1).f_lineno``);
  mpscope      mpscope's own tracer, as every watched process has it;
  mpscope-lean the same tracer without four things a lesson shows or needs: the payload's repr
               (the arrow's label), the calling line (the code panel), the check that tells a
               get that waits (the *blocked* state) and readable message ids (int instead).

Medians of interleaved repetitions, ratios to the untraced median of the same run. The window
must also decode, record and draw every event on the same two cores (bench/overhead.py), so a
tracer's ratio here is a lower bound for the window's.
"""

from __future__ import annotations

import argparse
import json
import subprocess

import common

MODES = ("untraced", "floor", "floor+line", "mpscope", "mpscope-lean")
# --each: mpscope's tracer without one of the four at a time (what each costs alone)
SINGLE = ("mpscope-no-payload", "mpscope-no-line", "mpscope-no-blocked-check", "mpscope-int-ids")

WORKLOAD = """
    import itertools
    import json
    import multiprocessing as mp
    import os
    import pickle
    import sys
    import time
    from multiprocessing import queues

    ROOT = {root!r}
    MESSAGES = {messages}
    MODE = sys.argv[1]
    _buf, _conn, _ids, MARK = [], None, itertools.count(1), "\\x00m"


    def discard(conn, writer):
        writer.close()
        try:
            while True:
                conn.recv_bytes()
        except EOFError:
            pass


    def flush():
        global _buf
        batch, _buf = _buf, []
        _conn.send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))


    def install_floor(conn, with_line):
        global _conn
        _conn = conn
        put0, get0 = queues.Queue.put, queues.Queue.get
        frame, now = sys._getframe, time.monotonic_ns

        def put(self, obj, block=True, timeout=None):
            mid = next(_ids)
            line = frame(1).f_lineno if with_line else 0
            put0(self, (MARK, mid, obj), block, timeout)
            _buf.append((now(), mid, line))
            if len(_buf) >= 256:
                flush()

        def get(self, block=True, timeout=None):
            value = get0(self, block, timeout)
            line = frame(1).f_lineno if with_line else 0
            _buf.append((now(), value[1], line))
            if len(_buf) >= 256:
                flush()
            return value[2]

        queues.Queue.put, queues.Queue.get = put, get


    def install_mpscope(conn, mode):
        sys.path.insert(0, ROOT)
        from workers import callsite, patch_channels, tracer

        cfg = {{"script": os.path.abspath(__file__), "time_scale": 1.0, "start_method": "fork"}}
        tracer.install(conn, cfg)
        lean = mode == "mpscope-lean"
        if lean or mode == "mpscope-no-payload":
            patch_channels.short_repr = lambda value: ""
        if lean or mode == "mpscope-no-line":
            callsite.user_line = lambda skip=2: 0
        if lean or mode == "mpscope-int-ids":
            ids = itertools.count(1)
            patch_channels._new_id = lambda: next(ids)
        if lean or mode == "mpscope-no-blocked-check":
            patch_channels._readable = lambda conn: True


    def producer(q, n):
        for i in range(n):
            q.put(i)
        if _buf:
            flush()


    if __name__ == "__main__":
        mp.set_start_method("fork")
        if MODE != "untraced":
            reader, writer = mp.Pipe(False)
            sink = mp.Process(target=discard, args=(reader, writer))
            sink.start()
            reader.close()
            if MODE.startswith("floor"):
                install_floor(writer, MODE == "floor+line")
            else:
                install_mpscope(writer, MODE)
        t0 = time.perf_counter()
        q = mp.Queue()
        p = mp.Process(target=producer, args=(q, MESSAGES))
        p.start()
        got = [q.get() for _ in range(MESSAGES)]
        p.join()
        seconds = time.perf_counter() - t0
        assert got == list(range(MESSAGES)), "a message was lost or changed"
        if MODE != "untraced":
            if MODE.startswith("floor"):
                flush()
            else:
                from workers import tracer

                tracer.flush()
            writer.close()
            sink.join()
        print(json.dumps({{"queue_s": seconds}}))
"""


def run_once(script: str, mode: str) -> float:
    out = subprocess.run(
        [common.PYTHON, script, mode], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["queue_s"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--each", action="store_true", help="also drop each of the four alone")
    args = parser.parse_args()
    common.machine()
    modes = MODES + SINGLE if args.each else MODES
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    with common.temp_folder() as folder:
        source = WORKLOAD.format(root=common.ROOT, messages=args.messages)
        script = common.write_script(folder, "queue_phase.py", source)
        for _ in range(args.reps):
            for mode in modes:  # interleaved: a change in the machine's load hits every mode
                times[mode].append(run_once(script, mode))
    base = common.median(times["untraced"])
    print(f"tracer floor: {args.messages:,} Queue messages, events discarded, {args.reps} runs")
    for mode in modes[1:]:
        ratio = common.median(times[mode]) / base
        common.figure(f"tracer floor {mode}/untraced", ratio, "x", "reference", None)
    for mode in modes:
        common.raw(f"{mode} Queue phase", times[mode], "s", digits=3)
    per_message = (common.median(times["mpscope"]) - base) / args.messages * 1e6
    common.note(f"mpscope's tracer adds {per_message:.1f} µs of wall time a message (both sides)")
    common.machine()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
