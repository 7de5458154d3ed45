"""Pool tasks as events: submitted and collected in the parent, started and ended in a worker.

The worker side wraps the pool's own ``worker`` function: its task queue's ``get`` and result
queue's ``put`` are wrapped on the instances, so the stdlib loop runs unchanged while every task
(and every call inside a ``map`` chunk) is reported with its job id, chunk and position. The
parent side reports submissions (job id, how many calls, chunksize) and the waits for results.
"""

from __future__ import annotations

import functools
from multiprocessing import pool as mp_pool
from typing import Any

from workers import callsite, tracer, user_traceback, waits
from workers.events import K_TASK, ON_POOL_IDLE, S_BLOCKED, S_RUNNING, now_ns
from workers.reprs import call_repr, exception_text, name_of, plain_int, short_repr

_orig: dict[str, Any] = {}


# ---- worker side ---------------------------------------------------------------------------
def traced_worker(inqueue: Any, outqueue: Any, *args: Any, **kwargs: Any) -> None:
    """The pool worker loop, with its queue ends wrapped to report each task."""
    current = {"chunked": False}
    inqueue.get = _traced_get(inqueue.get, current)
    outqueue.put = _traced_put(outqueue.put, current)
    tracer.push_state(S_BLOCKED, 0, on=ON_POOL_IDLE)
    _orig["worker"](inqueue, outqueue, *args, **kwargs)


def _traced_get(get: Any, current: dict[str, bool]) -> Any:
    def get_task() -> Any:
        task = get()
        if task is None or not isinstance(task, tuple) or len(task) != 5:
            return task
        job, i, func, args, kwds = task
        tracer.set_top_state(S_RUNNING)
        current["chunked"] = func is mp_pool.mapstar or func is mp_pool.starmapstar
        if current["chunked"]:
            star = func is mp_pool.starmapstar
            return (job, i, functools.partial(_traced_chunk, job, i, star), args, kwds)
        emit_start(job, i, -1, func, args, kwds)
        return task

    return get_task


def _traced_put(put: Any, current: dict[str, bool]) -> Any:
    def put_result(item: Any) -> None:
        try:
            job, i, (ok, value) = item
        except (TypeError, ValueError):
            put(item)
            return
        if isinstance(value, _ChunkDone):
            item = (job, i, (ok, value.results))
        elif not current["chunked"]:  # a failed chunk's call was reported where it failed
            emit_end(job, i, -1, ok, value)
        tracer.flush()  # before the result leaves: a pool terminated right after loses nothing
        put(item)
        tracer.set_top_state(S_BLOCKED, on=ON_POOL_IDLE)

    return put_result


class _ChunkDone:
    """A chunk's results, marked so the result queue wrapper knows calls were reported one by one."""

    def __init__(self, results: list[Any]) -> None:
        self.results = results


def _traced_chunk(job: int, chunk: int, star: bool, packed: tuple[Any, Any]) -> _ChunkDone:
    """A map chunk's calls, each reported as emit_start and emit_end report it; what is the
    same for the whole chunk is looked up once: a tiny task's two events cost the worker 2.4
    µs of CPU (their pickling included) against 3.3 through emit_start and emit_end (a map of
    1,250-item chunks; bench/overhead.py runs 20,000 tiny tasks)."""
    func, items = packed
    emit, pid, pool = tracer.emit_event, tracer._pid, tracer.parent_pid()
    fn = name_of(func)
    started = {"phase": "start", "pool": pool, "job": job, "chunk": chunk}
    ended = {"phase": "end", "pool": pool, "job": job, "chunk": chunk}
    results = []
    for k, item in enumerate(items):
        call_args = tuple(item) if star else (item,)
        call = call_repr(func, call_args, {})
        emit((K_TASK, pid, now_ns(), 0, {**started, "k": k, "fn": fn, "call": call}))
        try:
            value = func(*call_args)
        except Exception as exc:
            emit_end(job, chunk, k, False, exc)
            raise
        result = short_repr(value)
        emit((K_TASK, pid, now_ns(), 0, {**ended, "k": k, "ok": True, "result": result}))
        results.append(value)
    return _ChunkDone(results)


def emit_start(job: int, chunk: int, k: int, func: Any, args: Any, kwds: Any) -> None:
    data = {
        "phase": "start",
        "pool": tracer.parent_pid(),
        "job": job,
        "chunk": chunk,
        "k": k,
        "fn": name_of(func),
        "call": call_repr(func, args, kwds or {}),
    }
    tracer.emit(K_TASK, tracer._pid, 0, data)


def emit_end(job: int, chunk: int, k: int, ok: bool, value: Any) -> None:
    data: dict[str, Any] = {
        "phase": "end",
        "pool": tracer.parent_pid(),
        "job": job,
        "chunk": chunk,
        "k": k,
        "ok": bool(ok),
    }
    if ok:
        data["result"] = short_repr(value)
    elif isinstance(value, mp_pool.ExceptionWithTraceback):  # Pool wrapped it for the parent
        data["result"], data["tb"] = exception_text(value.exc), _traceback(value.exc)
    elif isinstance(value, BaseException):
        data["result"], data["tb"] = exception_text(value), _traceback(value)
    else:
        data["result"] = short_repr(value)
    tracer.emit(K_TASK, tracer._pid, 0, data)


def _traceback(exc: BaseException) -> str:
    """The task's traceback as Python prints it; "" if even that fails (the task's own error
    goes on to the parent untouched)."""
    try:
        return user_traceback.format_exception(exc)
    except Exception:
        return ""


# ---- parent side ---------------------------------------------------------------------------
def submit_data(
    job: int, how: str, fn: Any, n: int, chunksize: int, call: str = ""
) -> dict[str, Any]:
    data = {
        "phase": "submit",
        "pool": tracer.pid(),
        "job": job,
        "how": how,
        "fn": name_of(fn),
        "n": n,
        "chunksize": chunksize,
    }
    if call:
        data["call"] = call
    return data


def emit_submit(data: dict[str, Any], ts: int) -> None:
    """``ts`` is taken before the submission: a worker may start the task before we return."""
    tracer.emit_event((K_TASK, tracer.pid(), ts, callsite.user_line(), data))


def _traced_apply_async(
    self: Any, func: Any, args: Any = (), kwds: Any = None, *a: Any, **kw: Any
) -> Any:
    ts, call = now_ns(), call_repr(func, args, kwds or {})
    result = _orig["apply_async"](self, func, args, kwds or {}, *a, **kw)
    emit_submit(submit_data(result._job, "apply_async", func, 1, 1, call), ts)
    return result


def _traced_map_async(
    self: Any, func: Any, iterable: Any, mapper: Any, chunksize: Any = None, *a: Any, **kw: Any
) -> Any:
    if not hasattr(iterable, "__len__"):
        iterable = list(iterable)  # as Pool._map_async does itself
    ts = now_ns()
    result = _orig["_map_async"](self, func, iterable, mapper, chunksize, *a, **kw)
    how = "starmap" if mapper is mp_pool.starmapstar else "map"
    emit_submit(
        submit_data(
            result._job, how, func, len(iterable), max(plain_int(result._chunksize) or 1, 1)
        ),
        ts,
    )
    return result


def _traced_imap(name: str) -> Any:
    original = _orig[name]

    @functools.wraps(original)
    def imap(self: Any, func: Any, iterable: Any, chunksize: int = 1) -> Any:
        n = len(iterable) if hasattr(iterable, "__len__") else -1  # a generator may be endless
        ts = now_ns()
        result = original(self, func, iterable, chunksize)
        job = _last_imap[0]._job  # with chunksize > 1, imap returns a generator over it
        emit_submit(submit_data(job, name, func, n, plain_int(chunksize) or 1), ts)
        return result

    return imap


def _traced_get_result(self: Any, timeout: float | None = None) -> Any:
    """A get() that times out collects nothing: the result may still come (a later get())."""
    line = callsite.user_line()
    try:
        value = waits.blocked(
            "AsyncResult.get", timeout, _orig["get"], self, tracer.scaled(timeout), job=self._job
        )
    except mp_pool.TimeoutError:
        raise
    except Exception as exc:
        emit_collect(self._job, False, exc, line)
        raise
    emit_collect(self._job, True, None, line)
    return value


def _traced_wait(self: Any, timeout: float | None = None) -> None:
    """wait() returns None whether or not the result came: ready() says which."""

    def judge(_value: Any) -> str:
        return "ok" if self.ready() else "timeout"

    call = _orig["wait"]
    job = self._job
    waits.blocked(
        "AsyncResult.wait", timeout, call, self, tracer.scaled(timeout), judge=judge, job=job
    )


_last_imap: list[Any] = [None]


def _traced_imap_init(self: Any, *args: Any, **kwargs: Any) -> None:
    _orig["IMapIterator.__init__"](self, *args, **kwargs)
    _last_imap[0] = self


def _traced_next(self: Any, timeout: float | None = None) -> Any:
    """Each wait for the next result; the job is collected when the iterator is exhausted or a
    task's exception is re-raised here."""
    line = callsite.user_line()
    try:
        call, job = _orig["next"], self._job
        return waits.blocked(
            "IMapIterator.next", timeout, call, self, tracer.scaled(timeout), job=job
        )
    except StopIteration:
        emit_collect(self._job, True, None, line)
        raise
    except mp_pool.TimeoutError:
        raise
    except Exception as exc:
        emit_collect(self._job, False, exc, line)
        raise


def emit_collect(job: int, ok: bool, exc: BaseException | None, line: int) -> None:
    data: dict[str, Any] = {"phase": "collect", "pool": tracer.pid(), "job": job, "ok": ok}
    if exc is not None:
        data["result"] = exception_text(exc)
    tracer.emit(K_TASK, tracer.pid(), line, data)


def _traced_pool_join(self: Any) -> None:
    with tracer.state_scope(S_BLOCKED, callsite.user_line(), on="Pool.join"):
        _orig["join"](self)


def install() -> None:
    p = mp_pool.Pool
    _orig.update(
        worker=mp_pool.worker,
        apply_async=p.apply_async,
        _map_async=p._map_async,
        imap=p.imap,
        imap_unordered=p.imap_unordered,
        get=mp_pool.ApplyResult.get,
        wait=mp_pool.ApplyResult.wait,
        next=mp_pool.IMapIterator.next,
        **{"IMapIterator.__init__": mp_pool.IMapIterator.__init__},
        join=p.join,
    )
    mp_pool.worker = traced_worker
    p.apply_async = _traced_apply_async
    p._map_async = _traced_map_async
    p.imap = _traced_imap("imap")
    p.imap_unordered = _traced_imap("imap_unordered")
    mp_pool.ApplyResult.get = _traced_get_result
    mp_pool.ApplyResult.wait = _traced_wait
    mp_pool.IMapIterator.__init__ = _traced_imap_init
    mp_pool.IMapIterator.next = _traced_next
    mp_pool.IMapIterator.__next__ = _traced_next
    p.join = _traced_pool_join
