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

import concurrent.futures
import functools
import itertools
from collections.abc import Iterator
from concurrent.futures import ALL_COMPLETED, Future
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures import _base as cf_base
from concurrent.futures import process as cf_process
from typing import Any

from workers import callsite, tracer, waits
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
    """A result() that times out collects nothing: the result may still come."""
    job = getattr(self, "_mpscope_job", None)
    if job is None:
        return _orig["result"](self, timeout)
    line = callsite.user_line()
    try:
        call = _orig["result"]
        value = waits.blocked("Future.result", timeout, call, self, tracer.scaled(timeout), job=job)
    except FuturesTimeout:
        raise
    except Exception as exc:
        emit_collect(job, False, exc, line)
        raise
    emit_collect(job, True, None, line)
    return value


def _traced_exception(self: Future, timeout: float | None = None) -> Any:
    job = getattr(self, "_mpscope_job", None)
    if job is None:
        return _orig["exception"](self, timeout)
    call = _orig["exception"]
    return waits.blocked("Future.exception", timeout, call, self, tracer.scaled(timeout), job=job)


def _traced_futures_wait(
    fs: Any, timeout: float | None = None, return_when: str = ALL_COMPLETED
) -> Any:
    def judge(done: Any) -> str:
        finished, pending = done
        late = pending if return_when == ALL_COMPLETED else not finished
        return "timeout" if late else "ok"

    call, scaled = _orig["futures.wait"], tracer.scaled(timeout)
    return waits.blocked(
        "concurrent.futures.wait", timeout, call, fs, scaled, return_when, judge=judge
    )


def _traced_as_completed(fs: Any, timeout: float | None = None) -> Iterator[Any]:
    """Each wait for the next finished future is a wait of its own (a generator, as the
    original: nothing runs before the first next())."""
    finished = _orig["futures.as_completed"](fs, tracer.scaled(timeout))
    while True:
        try:
            future = waits.blocked("concurrent.futures.as_completed", timeout, next, finished)
        except StopIteration:
            return
        yield future


def install() -> None:
    _orig.update(
        worker=cf_process._process_worker,
        submit=cf_process.ProcessPoolExecutor.submit,
        result=Future.result,
    )
    cf_process._process_worker = traced_process_worker
    cf_process.ProcessPoolExecutor.submit = _traced_submit
    Future.result = _traced_result
    _orig["exception"] = Future.exception
    Future.exception = _traced_exception
    _orig["futures.wait"] = cf_base.wait
    _orig["futures.as_completed"] = cf_base.as_completed
    for module in (cf_base, concurrent.futures):  # `from concurrent.futures import wait` too
        module.wait = _traced_futures_wait
        module.as_completed = _traced_as_completed
