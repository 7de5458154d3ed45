"""Keep the Chinese translation file in step with the code, then compile it.

    python tools/update_translations.py            # update resources/i18n/mpscope_zh_CN.ts, compile .qm
    python tools/update_translations.py --check    # change nothing; exit 1 if anything is missing

What the user reads comes from two places, and both are collected here:

- every ``tr("literal")`` / ``texts.tr("literal")`` call in ``gui/*.py`` (found with ``ast``:
  pyside6-lupdate sees these calls but files them under the wrong context, not ``mpscope``);
- each scenario's title, explanation (its docstring) and parameter descriptions, via
  ``model.catalog`` (they live in ``workers/scenarios/*.py``, in English).

Existing translations are kept; new strings are added as ``unfinished`` with no translation;
strings no longer used are marked ``vanished`` (lrelease leaves them out; ``--drop-vanished``
removes them). Translate in the .ts (by hand or with ``pyside6-linguist``), then run this again:
it compiles ``mpscope_zh_CN.qm`` with ``pyside6-lrelease``.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

GUI_DIR = os.path.join(ROOT, "gui")
I18N_DIR = os.path.join(ROOT, "resources", "i18n")
TS_PATH = os.path.join(I18N_DIR, "mpscope_zh_CN.ts")
QM_PATH = os.path.join(I18N_DIR, "mpscope_zh_CN.qm")
CONTEXT = "mpscope"
DYNAMIC_OK = "# i18n: collected from model.catalog"  # a tr(variable) whose strings are known
LANGUAGE = "zh_CN"


@dataclass
class Entry:
    source: str
    translation: str = ""
    finished: bool = False
    where: str = ""  # file, relative to the .ts
    note: str = ""  # what it is, for the translator (never part of the lookup)
    vanished: bool = False


# ---- collecting what needs translating --------------------------------------------------------
def _is_tr(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "tr") or (
        isinstance(func, ast.Attribute) and func.attr == "tr"
    )


def tr_calls(path: str) -> tuple[list[tuple[str, int]], list[int]]:
    """``(literal, line)`` of each ``tr("literal")`` call in a file, and lines of other tr calls."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    tree, lines = ast.parse(source, filename=path), source.splitlines()
    literals, dynamic = [], []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _is_tr(node.func) and len(node.args) == 1):
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            literals.append((arg.value, node.lineno))
        elif DYNAMIC_OK not in lines[node.lineno - 1]:
            dynamic.append(node.lineno)
    return sorted(literals, key=lambda item: item[1]), dynamic


def gui_files(folder: str = GUI_DIR) -> list[str]:
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".py"))


def gui_strings(folder: str = GUI_DIR) -> list[Entry]:
    out = []
    for path in gui_files(folder):
        literals, _dynamic = tr_calls(path)
        for text, _line in literals:
            out.append(Entry(text, where=_relative(path)))
    return out


def scenario_strings() -> list[Entry]:
    """Titles, explanations and parameter descriptions of the built-in scenarios."""
    from model import catalog

    out = []
    for s in catalog.discover():
        where = _relative(s.path)
        out.append(Entry(s.title, where=where, note=f"title of scenario {s.id}"))
        out.append(Entry(s.summary, where=where, note=f"explanation of scenario {s.id}"))
        for p in s.params:
            out.append(Entry(p.doc, where=where, note=f"parameter {p.name} of scenario {s.id}"))
    return out


def wanted() -> list[Entry]:
    """Every string to translate, once each, in the order it is first met."""
    seen: dict[str, Entry] = {}
    for entry in gui_strings() + scenario_strings():
        if entry.source and entry.source not in seen:
            seen[entry.source] = entry
    return list(seen.values())


def _relative(path: str) -> str:
    return os.path.relpath(path, I18N_DIR).replace(os.sep, "/")


# ---- the .ts file -----------------------------------------------------------------------------
def read_ts(path: str = TS_PATH) -> dict[str, Entry]:
    if not os.path.exists(path):
        return {}
    entries = {}
    for context in ET.parse(path).getroot().iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            source = message.findtext("source") or ""
            entries[source] = Entry(
                source,
                translation=(translation.text or "") if translation is not None else "",
                finished=kind == "",
                note=message.findtext("extracomment") or "",
                vanished=kind in ("vanished", "obsolete"),
            )
    return entries


def merge(existing: dict[str, Entry], current: list[Entry], drop_vanished: bool) -> list[Entry]:
    """The current strings with the translations already made; unused ones marked vanished."""
    out = []
    for entry in current:
        old = existing.get(entry.source)
        if old is not None and old.translation:
            entry.translation = old.translation
            entry.finished = old.finished and not old.vanished
        out.append(entry)
    if not drop_vanished:
        used = {e.source for e in current}
        for old in existing.values():
            if old.source not in used and old.translation:
                out.append(Entry(old.source, old.translation, False, "", old.note, vanished=True))
    return out


def ts_text(entries: list[Entry]) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        f'<TS version="2.1" language="{LANGUAGE}" sourcelanguage="en">',
        "<context>",
        f"    <name>{CONTEXT}</name>",
    ]
    for e in entries:
        lines.append("    <message>")
        if e.where:
            lines.append(f'        <location filename="{escape(e.where)}"/>')
        lines.append(f"        <source>{escape(e.source)}</source>")
        if e.note:
            lines.append(f"        <extracomment>{escape(e.note)}</extracomment>")
        kind = ' type="vanished"' if e.vanished else "" if e.finished else ' type="unfinished"'
        lines.append(f"        <translation{kind}>{escape(e.translation)}</translation>")
        lines.append("    </message>")
    lines += ["</context>", "</TS>", ""]
    return "\n".join(lines)


# ---- compiling --------------------------------------------------------------------------------
def lrelease() -> str | None:
    """The pyside6-lrelease next to this Python (the venv's), else one on PATH."""
    for name in ("pyside6-lrelease", "lrelease"):
        here = os.path.join(os.path.dirname(sys.executable), name)
        if os.path.exists(here):
            return here
        found = shutil.which(name)
        if found:
            return found
    return None


def compile_qm(ts: str = TS_PATH, qm: str = QM_PATH) -> None:
    tool = lrelease()
    if tool is None:
        raise SystemExit("pyside6-lrelease not found: pip install PySide6-Essentials")
    subprocess.run([tool, "-silent", ts, "-qm", qm], check=True)


# ---- command line -----------------------------------------------------------------------------
def report(entries: list[Entry]) -> list[str]:
    """Problems worth a line each: untranslated strings, tr() calls the scan cannot read."""
    lines = [f"untranslated: {e.source!r}" for e in entries if not e.vanished and not e.finished]
    for path in gui_files():
        for line in tr_calls(path)[1]:
            lines.append(f"note: {_relative(path)} line {line}: tr() of a non-literal")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 when not in step")
    p.add_argument("--no-compile", action="store_true", help="update the .ts only")
    p.add_argument("--drop-vanished", action="store_true", help="remove strings no longer used")
    args = p.parse_args(argv)
    entries = merge(read_ts(), wanted(), args.drop_vanished)
    text = ts_text(entries)
    problems = report(entries)
    for line in problems:
        print(line, file=sys.stderr)
    if args.check:
        with open(TS_PATH, encoding="utf-8") as f:
            stale = f.read() != text
        if stale:
            print(f"{_relative(TS_PATH)} is not up to date: run this tool", file=sys.stderr)
        return 1 if stale or any(x.startswith("untranslated") for x in problems) else 0
    os.makedirs(I18N_DIR, exist_ok=True)
    with open(TS_PATH, "w", encoding="utf-8") as f:
        f.write(text)
    if not args.no_compile:
        compile_qm()
    done = sum(1 for e in entries if e.finished and not e.vanished)
    total = sum(1 for e in entries if not e.vanished)
    print(f"{os.path.relpath(TS_PATH, ROOT)}: {done} of {total} translated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
