"""No deadlock and no recursion when the program runs inside the tracer's own code (issue 16):
signal handlers that print and use a Queue while the tracer emits or writes a batch, threads
doing the same, ``__del__`` methods that print wherever the collector runs them. Each script
finishes in plain Python; traced (with a timeout) it must finish too, print the same lines, and
its recording must hold every one of them: the event stream stayed readable.

The output's order is not compared: handlers, threads and the collector run at other moments
under the tracer (and from run to run), so the same lines come in another order.
"""

from __future__ import annotations

import multiprocessing

import pytest

from tests.plain_vs_traced import METHODS, Pair, run_both
from workers import own_fds
from workers.channel import MAX_BATCH, EventWriter, decode_frame


def assert_same_lines(pair: Pair) -> None:
    assert pair.traced.returncode == 0, pair.traced.stderr
    traced, plain = pair.traced.stdout.splitlines(), pair.plain.stdout.splitlines()
    assert sorted(traced) == sorted(plain)
    assert pair.traced_stderr == pair.plain.stderr == ""
    assert pair.main.exitcode == pair.plain.returncode == 0
    assert pair.prints() == sorted(traced)  # every line printed is in the recording
    assert pair.rec.dropped == 0


@pytest.mark.parametrize("method", METHODS)
def test_a_timer_signal_handler_that_prints_and_uses_a_queue(method, tmp_path):
    pair = run_both("reentry_signals", method, tmp_path, "alarm")
    assert_same_lines(pair)
    assert "main done: 300 handler runs, 270 left in its queue" in pair.plain.stdout


def test_a_process_signalling_itself_in_a_loop(tmp_path):
    pair = run_both("reentry_signals", "spawn", tmp_path, "usr1")
    assert_same_lines(pair)
    assert "child done: 300 handler runs, 270 left in its queue" in pair.plain.stdout


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_threads_and_finalizers_that_print_and_use_queues(method, tmp_path):
    pair = run_both("reentry_threads", method, tmp_path)
    assert_same_lines(pair)
    assert "child exit code 0" in pair.plain.stdout.splitlines()


def test_an_emit_inside_a_flush_on_the_same_thread_does_not_wait_for_itself():
    """What a signal handler finds when it runs in the middle of a flush: the writer's lock held
    by its own thread. Its emits fill a batch and flush it (a plain Lock waited forever)."""
    reader, conn = multiprocessing.Pipe(duplex=False)
    conn._handle = own_fds.claim(conn.fileno())
    writer = EventWriter(conn)
    count = MAX_BATCH * 2 + 1
    with writer._lock, writer._in_flight:
        for n in range(count):
            writer.emit(("print", 1, n, 0, {"stream": 1, "text": f"line {n}"}))
    writer.close()
    got = []
    while reader.poll(0):
        events, bad = decode_frame(reader.recv_bytes())
        assert bad == 0
        got.extend(events)
    assert sorted(ev[2] for ev in got) == list(range(count))
    own_fds.close(conn._handle)
    conn._handle = None
    reader.close()
