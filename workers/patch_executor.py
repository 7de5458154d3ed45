"""``concurrent.futures.ProcessPoolExecutor`` tasks, reported like Pool tasks.

The executor's worker function is wrapped: its call queue's ``get`` is wrapped on the instance,
and each call item's function is replaced by one that reports its start and end (item by item
for ``executor.map`` chunks). Executor work ids restart at 0 for every executor, so they are
reported as negative job ids (``-1 - work_id``) to stay apart from Pool job ids.
"""

from __future__ import annotations

import functools
from concurrent.futures import Future
from concurrent.futures import process as cf_process
from typing import Any

from workers import callsite, tracer
from workers.events import ON_POOL_IDLE, S_BLOCKED, S_RUNNING, now_ns
from workers.patch_pool import emit_collect, emit_end, emit_start, emit_submit, submit_data
from workers.reprs import call_repr

_orig: dict[str, Any] = {}


def _job(work_id: int) -> int:
    return -1 - work_id


def traced_process_worker(call_queue: Any, result_queue: Any, *args: Any, **kwargs: Any) -> None:
    get = call_queue.get

    def get_call(*a: Any, **kw: Any) -> Any:
        tracer.set_top_state(S_BLOCKED, on=ON_POOL_IDLE)
        item = get(*a, **kw)
        if item is not None and hasattr(item, "fn"):
            tracer.set_top_state(S_RUNNING)
            item.fn = _reporting(item.fn, _job(item.work_id))
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
    work_id, ts = self._queue_count, now_ns()
    future = _orig["submit"](self, fn, *args, **kwargs)
    future._mpscope_job = _job(work_id)
    if isinstance(fn, functools.partial) and fn.func is cf_process._process_chunk:
        user_fn, chunk = fn.args[0], args[0] if args else ()
        data = submit_data(_job(work_id), "executor.map", user_fn, len(chunk), len(chunk))
    else:
        data = submit_data(_job(work_id), "submit", fn, 1, 1, call_repr(fn, args, kwargs))
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
