"""The built-in scenarios and their parameters, read from the scripts themselves (never run).

A scenario is a plain script in ``workers/scenarios/``. Its docstring's first line is the title,
the rest says what to notice. Its tunables are top-level UPPER_CASE constants with a literal
value and a trailing comment ``# [LOW, HIGH] description`` (ints and floats) or ``# description``
(bools). Running a scenario with other values rewrites exactly those literals, so the code panel
shows the very code that runs.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass

from model.script_source import encoding_of, read_script, script_lines

SCENARIO_DIR = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "workers", "scenarios"
)
_RANGE = re.compile(r"#\s*\[\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*\]\s*(.*)$")
_BOOL_DOC = re.compile(r"#\s*(.*)$")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Param:
    name: str
    value: int | float | bool
    low: float | None
    high: float | None
    doc: str
    lineno: int
    col: int
    end_col: int

    @property
    def kind(self) -> type:
        return type(self.value)


@dataclass(frozen=True)
class Scenario:
    id: str
    path: str
    title: str
    summary: str
    params: tuple[Param, ...]

    def source(self) -> str:
        """The script's text as Python reads it (its coding cookie or BOM, newlines as \\n)."""
        return read_script(self.path)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


class ParamError(ValueError):
    """A bad parameter; ``code``: unknown, missing_value, not_a_number, not_bool, out_of_range."""

    def __init__(self, code: str, name: str, value: str, param: Param | None = None) -> None:
        self.code, self.name, self.value, self.param = code, name, value, param
        super().__init__(english_message(self))


def english_message(err: ParamError) -> str:
    p = err.param
    if err.code == "unknown":
        return f"unknown parameter {err.name!r}"
    if err.code == "missing_value":
        return f"--set {err.name}: expected NAME=VALUE"
    if err.code == "not_a_number":
        kind = "a whole number" if p is not None and p.kind is int else "a number"
        return f"parameter {err.name}: {err.value!r} is not {kind}"
    if err.code == "not_bool":
        return f"parameter {err.name}: {err.value!r} is not true or false"
    return f"parameter {err.name}: {err.value} is out of range [{_fmt(p.low)}, {_fmt(p.high)}]"


def _fmt(x: float | None) -> str:
    return "" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


def scenario_id(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0].replace("_", "-")


def discover(folder: str = SCENARIO_DIR) -> list[Scenario]:
    """Every scenario script in ``folder``, sorted by file name."""
    names = sorted(n for n in os.listdir(folder) if n.endswith(".py") and not n.startswith("_"))
    return [load(os.path.join(folder, n)) for n in names]


def find(sid: str, folder: str = SCENARIO_DIR) -> Scenario | None:
    return next((s for s in discover(folder) if s.id == sid), None)


def load(path: str) -> Scenario:
    source = read_script(path)
    tree = ast.parse(source, filename=path)
    doc = (ast.get_docstring(tree) or "").strip()
    title, _, summary = doc.partition("\n")
    return Scenario(
        scenario_id(path), path, title.strip(), " ".join(summary.split()), parse_params(source)
    )


def parse_params(source: str) -> tuple[Param, ...]:
    lines = script_lines(source)  # numbered as the AST numbers them (a form feed is no line end)
    out = []
    for node in ast.parse(source).body:
        param = _param_from(node, lines)
        if param is not None:
            out.append(param)
    return tuple(out)


def _param_from(node: ast.stmt, lines: list[str]) -> Param | None:
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
        return None
    target, value = node.targets[0], node.value
    if not (isinstance(target, ast.Name) and target.id.isupper()):
        return None
    number = _literal(value)
    if number is None:
        return None
    if value.lineno != value.end_lineno:
        return None
    comment = lines[node.lineno - 1].encode()[value.end_col_offset :].decode()  # byte offsets
    low, high, doc = _limits(comment, type(number))
    if doc is None:
        return None
    return Param(
        target.id, number, low, high, doc, node.lineno, value.col_offset, value.end_col_offset
    )


def _literal(node: ast.expr) -> int | float | bool | None:
    """A literal number or bool, negative numbers included (``-1`` is a unary minus in the AST)."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = node.operand
        if isinstance(inner, ast.Constant) and type(inner.value) in (int, float):
            return -inner.value
    return None


def _limits(comment: str, kind: type) -> tuple[float | None, float | None, str | None]:
    if kind is bool:
        m = _BOOL_DOC.search(comment)
        return None, None, (m.group(1).strip() if m else None)
    m = _RANGE.search(comment)
    if not m:
        return None, None, None
    return float(m.group(1)), float(m.group(2)), m.group(3).strip()


def parse_value(param: Param, text: str) -> int | float | bool:
    """A typed, range-checked value from what the user typed; ParamError names what is wrong."""
    raw = text.strip()
    if param.kind is bool:
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise ParamError("not_bool", param.name, text, param)
    try:
        value = int(raw) if param.kind is int else float(raw)
    except ValueError:
        raise ParamError("not_a_number", param.name, text, param) from None
    check_range(param, value)
    return value


def check_range(param: Param, value: float) -> None:
    ok = value == value and param.low <= value <= param.high  # value == value: not NaN
    if not ok:
        raise ParamError("out_of_range", param.name, str(value), param)


def values_from(scenario: Scenario, settings: list[str]) -> dict[str, int | float | bool]:
    """``NAME=VALUE`` strings (``--set``) checked against the scenario's parameters."""
    values: dict[str, int | float | bool] = {}
    for item in settings:
        name, sep, text = item.partition("=")
        param = scenario.param(name.strip())
        if param is None:
            raise ParamError("unknown", name.strip(), text)
        if not sep:
            raise ParamError("missing_value", param.name, "", param)
        values[param.name] = parse_value(param, text)
    return values


def substitute(scenario: Scenario, values: dict[str, int | float | bool]) -> str:
    """The scenario's source with the given parameter values written in."""
    lines = script_lines(scenario.source(), keepends=True)
    for name, value in values.items():
        p = scenario.param(name)
        if p is None:
            raise ParamError("unknown", name, str(value))
        line = lines[p.lineno - 1].encode()  # ast column offsets count UTF-8 bytes
        new = line[: p.col] + repr(p.kind(value)).encode() + line[p.end_col :]
        lines[p.lineno - 1] = new.decode()
    return "".join(lines)


def write_run_copy(scenario: Scenario, values: dict[str, int | float | bool], folder: str) -> str:
    """Write the code that will run to ``folder`` (children import it by path) and return it,
    in the encoding the scenario declares (its cookie still says so)."""
    path = os.path.join(folder, os.path.basename(scenario.path))
    with open(path, "w", encoding=encoding_of(scenario.path)) as f:
        f.write(substitute(scenario, values))
    return path
