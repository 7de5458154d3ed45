"""Pool tasks: which worker ran which call, when it was submitted, started, ended, collected.

A task is one call of the user's function: an ``apply_async`` job, or one item of a ``map``
chunk. Keys are ``(pool owner pid, job id, chunk, k)`` with ``k = -1`` for a whole-job call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TaskKey = tuple[int, int, int, int]


@dataclass(slots=True)
class Job:
    pool: int
    job: int
    how: str = ""
    fn: str = ""
    n: int = 0
    chunksize: int = 1
    call: str = ""
    submitted: int | None = None
    collected: int | None = None
    line: int = 0
    ok: bool | None = None


@dataclass(slots=True)
class Task:
    key: TaskKey
    worker: int
    fn: str = ""
    call: str = ""
    start: int | None = None
    end: int | None = None
    ok: bool | None = None
    result: str = ""
    traceback: str = ""

    @property
    def index(self) -> int:
        """Position of the call in its job (map item index; 0 for apply)."""
        return self.key[3] if self.key[3] >= 0 else self.key[2]


@dataclass
class TaskBook:
    jobs: dict[tuple[int, int], Job] = field(default_factory=dict)
    tasks: dict[TaskKey, Task] = field(default_factory=dict)
    by_worker: dict[int, list[Task]] = field(default_factory=dict)
    version: int = 0

    def add(self, pid: int, ts: int, line: int, data: dict[str, Any]) -> None:
        phase = data.get("phase")
        pool, job = _int(data.get("pool")), _int(data.get("job"))
        self.version += 1
        if phase == "submit":
            self._submit(pool, job, ts, line, data)
        elif phase in ("start", "end"):
            self._task(pid, ts, pool, job, data, phase == "start")
        elif phase == "collect":
            j = self.job(pool, job)
            j.collected, j.ok = ts, bool(data.get("ok", True))

    def job(self, pool: int, job: int) -> Job:
        key = (pool, job)
        if key not in self.jobs:
            self.jobs[key] = Job(pool, job)
        return self.jobs[key]

    def _submit(self, pool: int, job: int, ts: int, line: int, data: dict[str, Any]) -> None:
        j = self.job(pool, job)
        j.how, j.fn, j.call = (
            str(data.get("how", "")),
            str(data.get("fn", "")),
            str(data.get("call", "")),
        )
        j.n, j.chunksize = _int(data.get("n")), max(_int(data.get("chunksize")), 1)
        j.submitted, j.line = ts, line

    def _task(
        self, worker: int, ts: int, pool: int, job: int, data: dict[str, Any], start: bool
    ) -> None:
        key = (pool, job, _int(data.get("chunk")), _int(data.get("k"), -1))
        task = self.tasks.get(key)
        if task is None:
            task = self.tasks[key] = Task(key, worker)
            self.by_worker.setdefault(worker, []).append(task)
        if start:
            task.start, task.fn, task.call = ts, str(data.get("fn", "")), str(data.get("call", ""))
        else:
            task.end, task.ok = ts, bool(data.get("ok", True))
            task.result, task.traceback = str(data.get("result", "")), str(data.get("tb", ""))

    def item_index(self, task: Task) -> int:
        """The call's position in the whole job, as map() orders results."""
        pool, job, chunk, k = task.key
        if k < 0:
            return chunk
        return chunk * self.job(pool, job).chunksize + k

    def waited(self, task: Task) -> int | None:
        """How long the call sat in the pool's queue: submitted → started (ns)."""
        j = self.jobs.get(task.key[:2])
        if j is None or j.submitted is None or task.start is None:
            return None
        return max(task.start - j.submitted, 0)


def _int(value: Any, default: int = 0) -> int:
    return value if type(value) is int else default
