"""Tasks around a worker's death: the one it was running ends there and says how; the ones it
finished before keep their boxes."""

from __future__ import annotations

import pytest

from gui import texts
from tests.helpers import run_pids, run_source, still_alive

SCRIPT = """
import os, signal, time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

def quick(x):
    return x * 2

def die(_):
    time.sleep(0.1)
    os.kill(os.getpid(), signal.SIGKILL)

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as ex:
        print(ex.submit(quick, 21).result())
        try:
            ex.submit(die, 0).result()
        except BrokenProcessPool:
            print("broken")
"""


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_task_ends_with_its_killed_worker_and_the_finished_one_keeps_its_box(
    qapp, tmp_path, method
):
    session = run_source(tmp_path / "deaths.py", SCRIPT, method)
    rec = session.recording
    tasks = {t.fn: t for tasks in rec.tasks.by_worker.values() for t in tasks}
    quick, die = tasks["quick"], tasks["die"]
    worker = rec.lanes[die.worker]
    assert worker.exitcode == -9
    assert quick.ok is True and quick.end < worker.end
    assert rec.task_died_with(quick) is None and rec.task_end(quick) == quick.end
    assert die.end is None and rec.task_died_with(die) is worker
    assert rec.task_end(die) == worker.end
    assert "SIGKILL" in texts.task_text(rec, die)
    prints = [m.data["text"] for m in rec.lanes[session.runner_pid].markers if m.kind == "print"]
    assert prints == ["42", "broken"]
    assert still_alive(run_pids(rec)) == set()
