"""Several pools in one script keep their own task identities (issue 16): tasks of one never
pair with another's. tests/scripts/two_pools.py runs two ProcessPoolExecutors and two Pools in
the main process at the same time, and an executor and a Pool in each of two children side by
side; every task returns its tag (process and pool), its index and its worker's pid.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tests import helpers

SCRIPT = Path(__file__).resolve().parent / "scripts" / "two_pools.py"
METHODS = ["fork", "spawn", "forkserver"]
TASKS, MAPPED = 6, 5  # per pool, as in the script
CALL = re.compile(r"work\('([\w-]+)', (\d+)\)")
OWNER = {"main": "MainProcess", "child1": "Process-1", "child2": "Process-2"}


def plain_python(method: str, pids_file: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPSCOPE_TEST_START_METHOD=method)
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(pids_file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("method", METHODS)
def test_each_pool_keeps_its_own_tasks(method, tmp_path, capfd):
    alone = plain_python(method, tmp_path / "plain.json")
    assert alone.returncode == 0, alone.stderr
    capfd.readouterr()
    session = helpers.run_script(str(SCRIPT), method, [str(tmp_path / "traced.json")], timeout=90)
    output = capfd.readouterr().out
    rec = session.recording
    assert helpers.still_alive(helpers.run_pids(rec)) == set()
    assert not session.stopped and session.exit_code == 0
    assert output == alone.stdout  # every result right, in the program's own order
    assert rec.unread == 0 and rec.errors == []

    seen = json.loads((tmp_path / "traced.json").read_text())
    tasks = list(rec.tasks.tasks.values())
    tags = Counter(CALL.fullmatch(t.call).group(1) for t in tasks)
    assert tags == dict.fromkeys(seen, TASKS + MAPPED)  # each pool's task count, exactly
    owners = {name: lane.pid for name, lane in helpers.lanes_by_name(rec).items()}
    for task in tasks:
        tag, index = CALL.fullmatch(task.call).groups()
        assert task.start is not None and task.end is not None and task.ok, task
        # the end paired with this start is the same call's, on the same worker
        assert ast.literal_eval(task.result) == (tag, int(index), task.worker), task
        assert task.worker in seen[tag]  # a worker of its own pool, as the program saw it
        assert task.pool == owners[OWNER[tag.split("-")[0]]]
    by_job = defaultdict(set)
    for task in tasks:
        by_job[(task.pool, task.job)].add(CALL.fullmatch(task.call).group(1))
    assert all(len(tags) == 1 for tags in by_job.values()), by_job  # no job mixes two pools
    for (pool, job), (tag,) in by_job.items():
        j = rec.tasks.jobs[(pool, job)]
        assert j.fn == "work" and j.submitted is not None and j.collected is not None
        assert not j.call or CALL.fullmatch(j.call).group(1) == tag
