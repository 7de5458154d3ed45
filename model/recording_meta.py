"""A recording's metadata as the views expect it, whatever the file says: the window titles
pictures with it, names files after it and selects the scenario it names."""

from __future__ import annotations

import math
from typing import Any

from model.plain import flat, json_safe, text

_META_TEXT = {"title": 300, "start_method": 40, "date": 40, "scenario": 200, "script": 300}


def clean_meta(meta: Any) -> dict[str, Any]:
    """The metadata as the views expect it: a title that is a list, a start method that is a
    number are left out (the window then names the file instead); the rest kept, bounded."""
    if not isinstance(meta, dict):
        return {}
    out: dict[str, Any] = {}
    for key, value in meta.items():
        if type(key) is not str:
            continue
        if key in _META_TEXT:
            if type(value) is str:
                out[key] = text(value, _META_TEXT[key])
        elif key == "code":
            if type(value) is str:
                out[key] = value
        elif key == "values":
            if type(value) is dict:
                out[key] = flat(value)
        elif key == "time_scale":
            if type(value) in (int, float) and math.isfinite(value) and value > 0:
                out[key] = value
        else:
            out[key] = json_safe(value)
    return out
