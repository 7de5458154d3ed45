"""Calls on ``Manager`` proxies as *blocked* states of the caller.

A proxy call (``d['k'] = v``, ``lst.append(x)``, ``ns.value``) sends a request to the manager's
process and waits for its reply: the caller is blocked meanwhile, on ``dict.__setitem__``,
``list.append``, ``Namespace.__getattribute__``, … (the proxied type and the method called). The
manager's process is a lane of its own, like every process multiprocessing starts.
"""

from __future__ import annotations

from typing import Any

from workers import callsite, tracer
from workers.events import S_BLOCKED
from workers.reprs import plain_str

_orig: dict[str, Any] = {}


def _traced_callmethod(
    self: Any, methodname: str, args: tuple = (), kwds: dict | None = None
) -> Any:
    call = _orig["_callmethod"]
    kwds = {} if kwds is None else kwds
    if not tracer.on_main_thread():
        return call(self, methodname, args, kwds)
    on = plain_str(_typeid(self)) + "." + plain_str(methodname)
    line = callsite.user_line()
    result = "error"
    tracer.push_state(S_BLOCKED, line, on=on, proxy=True)
    try:
        value = call(self, methodname, args, kwds)
        result = "ok"
        return value
    finally:
        tracer.pop_state(line, after=on, result=result)


def _typeid(proxy: Any) -> str:
    token = getattr(proxy, "_token", None)
    typeid = getattr(token, "typeid", None)
    return typeid if isinstance(typeid, str) else type(proxy).__name__


def install() -> None:
    from multiprocessing import managers

    _orig["_callmethod"] = managers.BaseProxy._callmethod
    managers.BaseProxy._callmethod = _traced_callmethod
