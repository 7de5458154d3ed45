"""A failed task can be told from every other task: in colour, and in a greyscale print."""

from __future__ import annotations

import colorsys

from gui.theme import HATCHED, TASK_COLORS, TASK_FAILED_COLOR, task_key


def _hue_and_grey(color: str) -> tuple[float, float]:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360, 0.299 * r + 0.587 * g + 0.114 * b


def test_no_task_colour_is_near_the_failed_tasks_red():
    failed_hue, _ = _hue_and_grey(TASK_FAILED_COLOR)
    for color in TASK_COLORS:
        hue, _ = _hue_and_grey(color)
        distance = min(abs(hue - failed_hue), 360 - abs(hue - failed_hue))
        assert distance > 45, color


def test_failed_tasks_are_hatched_so_a_grey_print_keeps_them_apart():
    assert task_key(3, ok=False) in HATCHED
    assert not any(task_key(job, ok=True) in HATCHED for job in range(len(TASK_COLORS)))
