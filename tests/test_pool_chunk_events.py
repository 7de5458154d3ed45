"""The events of a Pool map chunk's calls, as the worker-side tracer reports them."""

from __future__ import annotations


def test_a_map_chunk_reports_each_call_as_emit_start_and_emit_end_do(monkeypatch):
    """_traced_chunk builds its events itself (what a chunk shares is looked up once): they
    must stay exactly what emit_start and emit_end report for the same calls."""
    from workers import patch_pool, tracer

    got: list[tuple] = []
    monkeypatch.setattr(tracer, "emit_event", got.append)
    monkeypatch.setattr(
        tracer, "emit", lambda kind, pid, line=0, data=None: got.append((kind, pid, 0, line, data))
    )
    monkeypatch.setattr(tracer, "parent_pid", lambda: 4321)

    def square(x):
        return x * x

    done = patch_pool._traced_chunk(7, 3, False, (square, [2, 3, 5]))
    assert done.results == [4, 9, 25]
    chunk_events = [(k, p, line, d) for k, p, _ts, line, d in got]
    got.clear()
    for k, item in enumerate([2, 3, 5]):
        patch_pool.emit_start(7, 3, k, square, (item,), {})
        patch_pool.emit_end(7, 3, k, True, square(item))
    direct = [(k, p, line, d) for k, p, _ts, line, d in got]
    assert chunk_events == direct
    assert [list(d) for _k, _p, _l, d in chunk_events[:2]] == [
        ["phase", "pool", "job", "chunk", "k", "fn", "call"],
        ["phase", "pool", "job", "chunk", "k", "ok", "result"],
    ]  # the same keys in the same order: recordings on disk keep it
