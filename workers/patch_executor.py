"""``concurrent.futures.ProcessPoolExecutor`` tasks, reported like Pool tasks.

The executor's worker function is wrapped: its call queue's ``get`` is wrapped on the instance,
and each call item's function is replaced by one that reports its start and end (item by item
for ``executor.map`` chunks).

Job ids: an executor's own work ids restart at 0 for every executor, so two executors of one
process would report the same ids and their tasks would pair with each other's. Each submission
gets a job id unique in its process instead (negative: Pool job ids are >= 0), and the call
travels to the worker inside a ``_Job`` that carries that id; the worker opens it.
"""

from __future__ import annotations

import functools
import itertools
from concurrent.futures import Future
from concurrent.futures import process as cf_process
from typing import Any

from workers import callsite, tracer
from workers.events import ON_POOL_IDLE, S_BLOCKED, S_RUNNING, now_ns
from workers.patch_pool import emit_collect, emit_end, emit_start, emit_submit, submit_data
from workers.reprs import call_repr

_orig: dict[str, Any] = {}
_job_ids = itertools.count(1)  # shared by every executor of this process; a fork child's own
# submissions carry its own pid as their pool, so ids it continues from its parent stay apart


class _Job:
    """A submitted call and its job id, as it travels to the worker (pickled by reference: every
    watched process holds this module). Called as it is, it is the call."""

    __slots__ = ("fn", "job")

    def __init__(self, fn: Any, job: int) -> None:
        self.fn, self.job = fn, job

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Job, (self.fn, self.job))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)


def traced_process_worker(call_queue: Any, result_queue: Any, *args: Any, **kwargs: Any) -> None:
    get = call_queue.get

    def get_call(*a: Any, **kw: Any) -> Any:
        tracer.set_top_state(S_BLOCKED, on=ON_POOL_IDLE)
        item = get(*a, **kw)
        if item is not None and isinstance(getattr(item, "fn", None), _Job):
            tracer.set_top_state(S_RUNNING)
            item.fn = _reporting(item.fn.fn, item.fn.job)
        return item

    call_queue.get = get_call
    tracer.push_state(S_BLOCKED, 0, on=ON_POOL_IDLE)
    _orig["worker"](call_queue, result_queue, *args, **kwargs)


def _reporting(fn: Any, job: int) -> Any:
    """The call item's function, reporting each call it makes (one per map item)."""
    if isinstance(fn, functools.partial) and fn.func is cf_process._process_chunk:
        user_fn = fn.args[0]

        def chunk(chunk_items: Any) -> list[Any]:
            results = []
            for k, item_args in enumerate(chunk_items):
                results.append(_one_call(user_fn, tuple(item_args), {}, job, k))
            return results

        return chunk

    def call(*args: Any, **kwargs: Any) -> Any:
        return _one_call(fn, args, kwargs, job, -1)

    return call


def _one_call(fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any], job: int, k: int) -> Any:
    emit_start(job, 0, k, fn, args, kwargs)
    try:
        value = fn(*args, **kwargs)
    except BaseException as exc:
        emit_end(job, 0, k, False, exc)
        raise
    emit_end(job, 0, k, True, value)
    return value


def _traced_submit(self: Any, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
    job, ts = -next(_job_ids), now_ns()
    future = _orig["submit"](self, _Job(fn, job), *args, **kwargs)
    future._mpscope_job = job
    if isinstance(fn, functools.partial) and fn.func is cf_process._process_chunk:
        user_fn, chunk = fn.args[0], args[0] if args else ()
        data = submit_data(job, "executor.map", user_fn, len(chunk), len(chunk))
    else:
        data = submit_data(job, "submit", fn, 1, 1, call_repr(fn, args, kwargs))
    emit_submit(data, ts)
    return future


def _traced_result(self: Future, timeout: float | None = None) -> Any:
    job = getattr(self, "_mpscope_job", None)
    if job is None:
        return _orig["result"](self, timeout)
    line = callsite.user_line()
    with tracer.state_scope(S_BLOCKED, line, on="Future.result", job=job):
        try:
            value = _orig["result"](self, tracer.scaled(timeout))
        except Exception as exc:
            emit_collect(job, False, exc, line)
            raise
    emit_collect(job, True, None, line)
    return value


def install() -> None:
    _orig.update(
        worker=cf_process._process_worker,
        submit=cf_process.ProcessPoolExecutor.submit,
        result=Future.result,
    )
    cf_process._process_worker = traced_process_worker
    cf_process.ProcessPoolExecutor.submit = _traced_submit
    Future.result = _traced_result
