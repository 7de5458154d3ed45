"""Ends the app itself gives lanes, so that none runs on forever once its run is over. Qt-free.

Most lanes end with what the run says (an exit status, an observed exit, a join). Two kinds of
end come from the app instead: an exit it saw through the kernel (control/run_tree.py) for a
process nobody in the run reports (an exec'd child, which has no tracer left; a child whose
parent has gone), and, when the run is over, a ``stopped`` end for each lane still open, saying
whether Stop killed it.
"""

from __future__ import annotations

import os
import time

from model.recording import Recording
from workers.events import (
    K_EXITED,
    K_STOPPED,
    STOP_KILLED,
    STOP_NOT_SIGNALLED,
    STOP_UNSEEN,
    Event,
)

GRACE_S = 0.3  # how long an exit the app saw waits for the run's own report of it


class SeenExits:
    """Exits the app saw, held back a moment: the run's own observer (the parent) usually
    reports the same exit, with its code, which only a parent can read."""

    def __init__(self) -> None:
        self._held: dict[int, tuple[int, bool, float]] = {}  # pid -> (when, zombie, due)

    def add(self, ended: list[tuple[int, int, bool]]) -> None:
        """(pid, when, still a zombie) of processes of the run the app saw end."""
        due = time.monotonic() + GRACE_S
        for pid, ts, zombie in ended:
            self._held.setdefault(pid, (ts, zombie, due))

    def due(self, rec: Recording, final: bool = False) -> list[Event]:
        """An exit for each held one whose lane still has no end once its time is up (``final``:
        the run is over, all are up). Those not on the timeline (yet) are kept: a helper of the
        run (a fork server), or a process whose events are still coming."""
        out: list[Event] = []
        now, me = time.monotonic(), os.getpid()
        for pid, (ts, zombie, due) in list(self._held.items()):
            lane = rec.lanes.get(pid)
            if lane is None or not (final or now >= due):
                continue
            if lane.end is None:
                out.append((K_EXITED, pid, ts, 0, {"code": None, "by": me, "zombie": zombie}))
            del self._held[pid]
        return out


def endless_lanes(rec: Recording, ts: int, killed: set[int] | None = None) -> list[Event]:
    """A ``stopped`` end at ``ts`` for each lane that has no end: killed by Stop (the kernel
    showed it as the run's: ``killed``), not signalled by Stop, or, when ``killed`` is None (the
    run ended by itself), never seen to end."""
    me = os.getpid()
    out: list[Event] = []
    for pid, lane in rec.lanes.items():
        if lane.end is None:
            if killed is None:
                how = STOP_UNSEEN
            else:
                how = STOP_KILLED if pid in killed else STOP_NOT_SIGNALLED
            out.append((K_STOPPED, pid, max(ts, lane.first_seen), 0, {"by": me, "how": how}))
    return out
