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

# pyqtgraph symbol, fill colour, size in px
MARKER_STYLE = {
    "created": ("o", "#ffffff", 9),
    "started": ("t2", "#222222", 10),
    "exited": ("x", "#111111", 13),
    "joined": ("s", "#555555", 8),
    "terminated": ("star", "#c01818", 15),
    "print": ("o", "#f5c400", 7),
}
MARKER_ORDER = ("created", "started", "print", "exited", "terminated", "joined")

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


LIGHT = Palette(background="#ffffff", foreground="#202020", grid=40, highlight="#0050ff")
DARK = Palette(background="#1e1f22", foreground="#e6e6e6", grid=60, highlight="#66a3ff")


def process_color(index: int) -> str:
    return PROCESS_COLORS[index % len(PROCESS_COLORS)]
