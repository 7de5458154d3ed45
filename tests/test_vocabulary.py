"""One vocabulary: every wait code a tracer sends is declared in workers/events.py, and the GUI
has a text for each, in English and in Chinese."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gui import app_setup, texts
from model.recording import Lane, Segment
from workers import events

WORKERS = Path(__file__).resolve().parent.parent / "workers"
CJK = re.compile("[\u4e00-\u9fff]")


def _on_literals() -> set[str]:
    """Every string given as ``on=…`` or ``{"on": …}`` in the tracer's code, and the names
    (``ON_…`` constants) it passes there."""
    found: set[str] = set()
    for path in WORKERS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = []
            if isinstance(node, ast.keyword) and node.arg == "on":
                values.append(node.value)
            if isinstance(node, ast.Call) and _callee(node) == "_waiting" and len(node.args) > 3:
                values.append(node.args[3])  # patch_os passes its wait's name positionally
            if isinstance(node, ast.Dict):
                values += [v for k, v in zip(node.keys, node.values, strict=True) if _is_on(k)]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add(value.value)
                elif isinstance(value, ast.Name) and value.id.startswith("ON_"):
                    found.add(getattr(events, value.id))
    return found


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _is_on(key: ast.expr | None) -> bool:
    return isinstance(key, ast.Constant) and key.value == "on"


def test_every_wait_code_the_tracer_sends_is_declared():
    literals = _on_literals()
    assert literals, "the scan found no wait codes at all"
    assert literals <= events.WAITS, literals - events.WAITS


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("on", sorted(events.WAITS))
def test_every_wait_code_has_its_text_in_both_languages(qapp, on, lang):
    app_setup.set_language(lang)
    try:
        state = "sleeping" if on == events.ON_SLEEP else "blocked"
        info = {"on": on, "line": 3, "secs": 1.0, "job": 1, "ch": "q", "tpid": 9}
        text = texts.segment_text(Lane(pid=1, name="P"), Segment(0, 10, state, info), {})
        why = text.splitlines()[-1]
        assert why and why != texts.state_name(state)
        if lang == "zh_CN" and on != events.ON_SLEEP:
            assert CJK.search(why), why
    finally:
        app_setup.set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_event_and_marker_kind_has_its_name_in_both_languages(qapp, lang):
    app_setup.set_language(lang)
    try:
        for kind in events.KINDS | events.MARKER_KINDS:
            name = texts.event_name(kind)
            assert name, kind
            if lang == "zh_CN":
                assert CJK.search(name), (kind, name)
    finally:
        app_setup.set_language("en")


def test_the_phases_the_tracer_sends_are_declared():
    """Every task and message phase a tracer emits is one of the declared ones."""
    found: set[str] = set()
    for path in WORKERS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if _is_key(key, "phase") and isinstance(value, ast.Constant):
                        found.add(value.value)
            if isinstance(node, ast.Call) and _callee(node) == "_emit" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    assert found, "the scan found no phases at all"
    assert found <= set(events.MSG_PHASES) | set(events.TASK_PHASES), found


def _is_key(key: ast.expr | None, name: str) -> bool:
    return isinstance(key, ast.Constant) and key.value == name
