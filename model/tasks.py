"""Pool tasks: which worker ran which call, when it was submitted, started, ended, collected.

A task is one call of the user's function: an ``apply_async`` job, or one item of a ``map``
chunk. Keys are ``(pool owner pid, job id, chunk, k)`` with ``k = -1`` for a whole-job call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from model.plain import TEXT_LIMIT, text

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

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
    """One call; its key's parts are fields, not a tuple (a tuple per task was 72 B of the
    ~600 B a task cost in a million-event run, bench/scale.py)."""

    pool: int
    job: int
    chunk: int
    k: int
    worker: int
    fn: str = ""
    call: str = ""
    start: int | None = None
    end: int | None = None
    ok: bool | None = None
    result: str = ""
    traceback: str = ""

    @property
    def key(self) -> TaskKey:
        return (self.pool, self.job, self.chunk, self.k)

    @property
    def index(self) -> int:
        """Position of the call in its job (map item index; 0 for apply)."""
        return self.k if self.k >= 0 else self.chunk


@dataclass
class TaskBook:
    """Tasks are kept per worker; only those still waiting for their other half (start or end)
    are also kept by key, so a finished task costs no dict entry."""

    jobs: dict[tuple[int, int], Job] = field(default_factory=dict)
    by_worker: dict[int, list[Task]] = field(default_factory=dict)
    version: int = 0
    _open: dict[TaskKey, Task] = field(default_factory=dict)
    _shared: dict[object, object] = field(default_factory=dict)

    @property
    def tasks(self) -> dict[TaskKey, Task]:
        """Every task by key (built on each call: for tests, benches and exports)."""
        return {t.key: t for tasks in self.by_worker.values() for t in tasks}

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

    def completes(self, pid: int, data: dict[str, Any]) -> bool:
        """Is this the other half of a task (or the collection of a job) already kept?"""
        pool, job = _int(data.get("pool")), _int(data.get("job"))
        phase = data.get("phase")
        if phase == "collect":
            return (pool, job) in self.jobs
        if phase in ("start", "end"):
            key = (pool, job, _int(data.get("chunk")), _int(data.get("k"), -1))
            task = self._open.get(key)
            return task is not None and task.worker == pid
        return False

    def job(self, pool: int, job: int) -> Job:
        key = (pool, job)
        if key not in self.jobs:
            self.jobs[key] = Job(pool, job)
        return self.jobs[key]

    def _submit(self, pool: int, job: int, ts: int, line: int, data: dict[str, Any]) -> None:
        j = self.job(pool, job)
        j.how, j.fn, j.call = (
            _text(data.get("how", "")),
            _text(data.get("fn", "")),
            _text(data.get("call", "")),
        )
        j.n, j.chunksize = _int(data.get("n")), max(_int(data.get("chunksize")), 1)
        j.submitted, j.line = ts, line

    def _task(
        self, worker: int, ts: int, pool: int, job: int, data: dict[str, Any], start: bool
    ) -> None:
        key = (pool, job, _int(data.get("chunk")), _int(data.get("k"), -1))
        task = self._open.get(key)
        if task is None or (task.start if start else task.end) is not None:
            pool, worker = self._one(pool), self._one(worker)
            task = self._open[key] = Task(pool, job, key[2], key[3], worker)
            self.by_worker.setdefault(worker, []).append(task)
        if start:
            task.start, task.call = ts, _text(data.get("call", ""))
            task.fn = self._one(_text(data.get("fn", "")))
        else:
            task.end, task.ok = ts, bool(data.get("ok", True))
            task.result, task.traceback = _text(data.get("result", "")), _text(data.get("tb", ""))
        if task.start is not None and task.end is not None:
            del self._open[key]

    def _one(self, value: object) -> Any:
        """One object for equal values seen again and again (function names, pool pids)."""
        return self._shared.setdefault(value, value)

    def item_index(self, task: Task) -> int:
        """The call's position in the whole job, as map() orders results."""
        if task.k < 0:
            return task.chunk
        return task.chunk * self.job(task.pool, task.job).chunksize + task.k

    def waited(self, task: Task) -> int | None:
        """How long the call sat in the pool's queue: submitted → started (ns)."""
        j = self.jobs.get((task.pool, task.job))
        if j is None or j.submitted is None or task.start is None:
            return None
        return max(task.start - j.submitted, 0)


def _int(value: Any, default: int = 0) -> int:
    """As ``plain.small_int`` (a task's events call this four times: kept inline)."""
    return value if type(value) is int and _INT64_MIN <= value <= _INT64_MAX else default


def _text(value: Any) -> str:
    """A field as text, bounded (a call is drawn on its box): the tracer's already are, and
    fit a frame (a task's events call this three times)."""
    return value if type(value) is str and len(value) <= TEXT_LIMIT else text(value)
