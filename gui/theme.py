"""Colours and symbols of the timeline, one place for the window and the exported pictures."""

from __future__ import annotations

from dataclasses import dataclass

STATE_COLORS = {
    "running": "#2e9e44",
    "sleeping": "#74a9e0",
    "blocked": "#e0622a",
    "zombie": "#9a86b5",
}
STATE_ORDER = ("running", "sleeping", "blocked", "zombie")
UNRECORDED_COLOR = "#8a8a8a"  # hatched: past the detail limit, states were counted, not kept
IDLE_COLOR = "#d4d4d4"  # a pool worker waiting for its next task (blocked on the pool's queue)
# No red or pink among the task colours: red is the failed task's, which is also cross-hatched
# so that it stays apart in a greyscale print (a red and a pink had the same grey).
TASK_COLORS = ("#1b7f86", "#3f51b5", "#8e3fa8", "#00897b", "#5c6bc0", "#546e7a")
TASK_FAILED_COLOR = "#d32f2f"
HATCHED = frozenset({"task_failed"})  # box keys drawn with a cross-hatch over their colour
TASK_HALF_HEIGHT = 0.24

# pyqtgraph symbol, fill colour, size in px
MARKER_STYLE = {
    "created": ("o", "#ffffff", 9),
    "started": ("t2", "#222222", 10),
    "exited": ("x", "#111111", 13),
    "joined": ("s", "#555555", 8),
    "terminated": ("star", "#c01818", 15),
    "stopped": ("s", "#c01818", 11),
    "print": ("o", "#f5c400", 7),
    "submit": ("t1", "#6d4c41", 9),
    "send": ("o", "#303030", 6),
    "recv": ("o", "#303030", 6),
    "unreceived": ("o", "#ffffff", 12),
    "fail": ("x", "#c01818", 12),
    "collect": ("d", "#6d4c41", 9),
    "channel_lost": ("x", "#e65100", 13),  # the process closed mpscope's channel: its lane ends
}
MARKER_ORDER = (
    "created",
    "started",
    "print",
    "exited",
    "terminated",
    "stopped",
    "joined",
    "submit",
    "collect",
    "send",
    "unreceived",
    "fail",
)

LANE_HALF_HEIGHT = 0.32
PRINT_OFFSET = -0.42  # prints ride just above the lane's bar

# one distinct text colour per process in the console, cycled
PROCESS_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#ff7f0e",
    "#7f7f7f",
)


@dataclass(frozen=True)
class Palette:
    background: str
    foreground: str
    grid: int  # grid alpha 0-255
    highlight: str
    arrow: str = "#303030"  # message arrows
    name: str = "light"


LIGHT = Palette(background="#ffffff", foreground="#202020", grid=40, highlight="#0050ff")
DARK = Palette(
    background="#1e1f22",
    foreground="#e6e6e6",
    grid=60,
    highlight="#66a3ff",
    arrow="#d8d8d8",
    name="dark",
)
THEMES = {"light": LIGHT, "dark": DARK}


def box_colors() -> dict[str, str]:
    """Every colour a bar can have: the states, idle, and tasks (by job) or a failed task."""
    colors = dict(STATE_COLORS, idle=IDLE_COLOR, task_failed=TASK_FAILED_COLOR)
    colors["unrecorded"] = UNRECORDED_COLOR
    colors.update({f"task{i}": c for i, c in enumerate(TASK_COLORS)})
    return colors


def task_key(job: int, ok: bool | None) -> str:
    return "task_failed" if ok is False else f"task{job % len(TASK_COLORS)}"


def process_color(index: int) -> str:
    return PROCESS_COLORS[index % len(PROCESS_COLORS)]
