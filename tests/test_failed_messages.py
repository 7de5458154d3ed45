"""A message whose pickling failed never left: it is marked failed (on its queue, saying why),
not "never received", and the queue's depth does not count it."""

from __future__ import annotations

import pytest

from gui import texts
from tests.helpers import run_pids, run_source, still_alive

SCRIPT = """
import multiprocessing as mp

if __name__ == "__main__":
    q = mp.Queue()
    q.put(lambda: 1)  # the feeder thread cannot pickle it: Python prints why, and carries on
    q.put("ok")
    print(q.get())
"""


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_an_unpicklable_message_is_failed_not_unreceived(qapp, tmp_path, method):
    session = run_source(tmp_path / "unpicklable.py", SCRIPT, method)
    rec = session.recording
    book = rec.messages
    assert book.unreceived() == []
    assert [m.payload for m in book.complete()] == ["'ok'"]
    (failure,) = book.failures
    (queue,) = book.queues()
    assert failure.ch == queue.ch and failure.how == "put"
    assert "PicklingError" in failure.error
    assert book.depth_series(queue.ch)[-1][1] == 0
    main = rec.lanes[session.runner_pid]
    (marker,) = [m for m in main.markers if m.kind == "fail"]
    assert "PicklingError" in texts.message_text(rec, main, "fail", marker.data)
    assert "Queue q" in texts.message_text(rec, main, "fail", marker.data)
    assert still_alive(run_pids(rec)) == set()
