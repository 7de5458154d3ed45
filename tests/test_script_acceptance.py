"""Scripts Python accepts run under mpscope as they run under Python (issue 16).

Each script is written byte for byte to tmp_path (a coding cookie with non-ASCII bytes, a UTF-8
BOM, CRLF line ends, form feeds, a symlink to a script that imports its neighbours, a script
with annotations) and run plain (``python SCRIPT METHOD``) and traced (``main.py --trace``)
under fork, spawn and forkserver; a child process imports the script again (spawn, forkserver)
and prints too. Output and exit code must be the same. Files Python refuses are refused too. The
code panel and the parameter form read such scripts as Python does, numbered as Python numbers
their lines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from model import catalog
from model.script_source import read_script, script_lines
from tests import helpers

METHODS = ["fork", "spawn", "forkserver"]

# Printed by every script, in the main process and in a child that imports the script again.
REPORT = b"""
import multiprocessing, os, sys

def report(where):
    print(where, "file", __file__, "argv0", sys.argv[0], "path0", sys.path[0], flush=True)

def child():
    report("child " + __name__)
    print("child", TEXT, ascii(TEXT), len(TEXT), flush=True)

if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    report("main")
    print("main", TEXT, ascii(TEXT), len(TEXT))
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
    print("exit", p.exitcode)
"""

SCRIPTS = {
    "latin1_cookie": b"# -*- coding: latin-1 -*-\n# caf\xe9 in a comment\nTEXT = 'caf\xe9 \xe0 \xff'\n"
    + REPORT,
    "cp1251_vim_cookie": b"#!/usr/bin/env python\n# vim: set fileencoding=cp1251 :\n"
    b"TEXT = '\xcf\xf0\xe8\xe2\xe5\xf2'\n" + REPORT,
    "utf8_bom": b"\xef\xbb\xbfTEXT = '\xe4\xb8\xad\xe6\x96\x87 \xe2\x9c\x93'\n" + REPORT,
    "utf8_bom_and_cookie": b"\xef\xbb\xbf# coding: utf-8\nTEXT = '\xc3\xa9t\xc3\xa9'\n" + REPORT,
    "crlf": (
        b"TEXT = '''two\nlines'''  \\\n    + 'and more'\n"
        + REPORT
        + b"    print('line', sys._getframe().f_lineno, repr(TEXT))\n"
    ).replace(b"\n", b"\r\n"),
    "form_feeds": b"\x0cTEXT = 'ff'\n\n\x0c\ndef f():\n\x0c    return 1\n\x0c\n"
    + REPORT
    + b"    print('line', sys._getframe().f_lineno, f())\n",
    "future_free": b"TEXT = 'annotations'\ndef f(x: int) -> str: pass\n"
    b"if __name__ == '__main__': print(f.__annotations__)\n" + REPORT,
}


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_bytes(data)
    return path


def plain(script: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(script), *args],
        cwd=script.parent,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
    )


def traced(script: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return helpers.cli("--trace", str(script), "--export", str(out), "--", *args)


def assert_same_run(script: Path, tmp_path: Path, method: str) -> dict:
    """The script traced prints what it prints plain (each process's lines in order) and ends
    with the same exit code; the exported trace."""
    expected = plain(script, method)
    assert expected.returncode == 0 and expected.stderr == "", expected.stderr
    out = tmp_path / "trace.json"
    got = traced(script, out, method)
    assert got.returncode == 0, got.stderr
    assert sorted(got.stdout.splitlines()) == sorted(expected.stdout.splitlines())
    mains = [line for line in expected.stdout.splitlines() if not line.startswith("child")]
    assert [line for line in got.stdout.splitlines() if not line.startswith("child")] == mains
    return json.loads(out.read_text(encoding="utf-8"))


PARAMS = [(c, m) for c in SCRIPTS for m in METHODS]


@pytest.mark.parametrize(("case", "method"), PARAMS, ids=[f"{c}-{m}" for c, m in PARAMS])
def test_a_script_python_accepts_runs_the_same(case, method, tmp_path):
    script = write(tmp_path / "scripts", case, SCRIPTS[case])
    trace = assert_same_run(script, tmp_path, method)
    prints = [e["args"]["text"] for e in trace["traceEvents"] if e.get("cat") == "print"]
    assert any(text.startswith("child") for text in prints)  # the child imported it again


def test_the_lines_reported_are_pythons_lines(tmp_path):
    """A print's line in the trace is the line Python gives (form feeds end no line), and it is
    that line in the code panel's numbering."""
    script = write(tmp_path, "form_feeds", SCRIPTS["form_feeds"])
    trace = assert_same_run(script, tmp_path, "fork")
    (event,) = [
        e for e in trace["traceEvents"] if e.get("cat") == "print" and e["args"]["text"] == "exit 0"
    ]
    lines = script_lines(read_script(str(script)))
    line = next(i for i, text in enumerate(lines, 1) if 'print("exit"' in text)
    printed = plain(script, "fork").stdout.splitlines()
    assert f"line {line + 1} 1" in printed  # Python's own numbering of the next line
    assert lines[line].strip().startswith("print('line', sys._getframe().f_lineno")
    assert event["args"]["line"] == line


def test_a_script_through_a_symlink_imports_its_neighbours(tmp_path):
    """``python link.py``: __file__ and argv[0] are the link, sys.path[0] the real folder."""
    real, links = tmp_path / "real", tmp_path / "links"
    write(real, "neighbour", b"WHERE = 'the real folder'\n")
    body = b"import neighbour\nTEXT = neighbour.WHERE\n" + REPORT
    write(real, "script", body)
    links.mkdir()
    (links / "link.py").symlink_to(real / "script.py")
    for method in METHODS:
        expected = plain(links / "link.py", method)
        assert f"path0 {real}" in expected.stdout and f"file {links / 'link.py'}" in expected.stdout
        assert_same_run(links / "link.py", tmp_path, method)


BAD = {
    "undeclared_latin1": b"print('caf\xe9')\n",
    "unknown_cookie": b"# -*- coding: klingon -*-\nprint(1)\n",
    "bom_with_latin1_cookie": b"\xef\xbb\xbf# coding: latin-1\nprint(1)\n",
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_script_python_refuses_is_refused(case, tmp_path):
    script = write(tmp_path, case, BAD[case])
    expected = plain(script, "fork")
    got = traced(script, tmp_path / "never.json", "fork")
    assert expected.returncode == 1 and "SyntaxError" in expected.stderr
    assert got.returncode != 0 and not (tmp_path / "never.json").exists()
    assert "syntax error" in got.stderr and "Traceback" not in got.stderr


# ---- the code panel and the parameter form -------------------------------------------------
def test_reading_a_script_as_python_does(tmp_path):
    assert read_script(str(write(tmp_path, "a", SCRIPTS["latin1_cookie"]))).count("café à ÿ") == 1
    assert read_script(str(write(tmp_path, "b", SCRIPTS["utf8_bom"]))).startswith("TEXT = '中文 ✓'")
    crlf = read_script(str(write(tmp_path, "c", SCRIPTS["crlf"])))
    assert "\r" not in crlf and crlf.startswith("TEXT = '''two\nlines'''")
    for case, data in BAD.items():
        with pytest.raises((SyntaxError, UnicodeDecodeError)):
            read_script(str(write(tmp_path, case, data)))


def test_lines_are_numbered_as_python_numbers_them():
    text = "a = 1\n\x0c\nb = '\u2028\x1c\x85'\r\nc = 3\rd"
    assert script_lines(text) == ["a = 1", "\x0c", "b = '\u2028\x1c\x85'", "c = 3", "d"]
    assert script_lines("x\n", keepends=True) == ["x\n"]
    assert "".join(script_lines("x\n\x0c\ny", keepends=True)) == "x\n\x0c\ny"


def test_parameters_of_a_scenario_with_form_feeds_and_a_cookie(tmp_path):
    """A scenario file (the parameter form) with a cookie, non-ASCII bytes and form feeds:
    each parameter is found on its own line, and a run copy says what it was given."""
    source = (
        b"# -*- coding: latin-1 -*-\n"
        b'"""Caf\xe9 scenario\n\nWith form feeds."""\n'
        b"\x0c\nWORKERS = 3  # [1, 8] workers (caf\xe9)\n\x0c\n"
        b"SECONDS = 0.5  # [0, 2] seconds\nprint(WORKERS, SECONDS, 'caf\xe9')\n"
    )
    path = write(tmp_path / "scenarios", "cafe", source)
    (scenario,) = catalog.discover(str(path.parent))
    assert scenario.title == "Café scenario"
    params = {p.name: (p.value, p.lineno, p.doc) for p in scenario.params}
    assert params == {"WORKERS": (3, 6, "workers (café)"), "SECONDS": (0.5, 8, "seconds")}
    copy = Path(catalog.write_run_copy(scenario, {"WORKERS": 5}, str(tmp_path)))
    assert copy.read_bytes() == source.replace(b"WORKERS = 3", b"WORKERS = 5")
    result = plain(copy)
    assert (result.returncode, result.stdout) == (0, "5 0.5 café\n")


def test_the_code_panel_shows_an_encoded_script_as_python_reads_it(qapp, qtbot, tmp_path):
    from gui.code_panel import CodePanel
    from gui.script_runs import script_problem

    script = write(tmp_path, "form_feeds", SCRIPTS["form_feeds"])
    latin = write(tmp_path, "latin", SCRIPTS["latin1_cookie"])
    assert script_problem(str(script)) == script_problem(str(latin)) == ""
    assert "klingon" in script_problem(str(write(tmp_path, "bad", BAD["unknown_cookie"])))
    panel = CodePanel()
    qtbot.addWidget(panel)
    panel.show_code(read_script(str(latin)))
    assert "TEXT = 'café à ÿ'" in panel.document().findBlockByNumber(2).text()
    text = read_script(str(script)) + "x = '\u2029'\n"
    panel.show_code(text)
    assert panel.document().blockCount() == len(script_lines(text))
    line = next(i for i, t in enumerate(script_lines(text), 1) if t.startswith("def f"))
    panel.highlight_line(line)
    assert panel.textCursor().block().text().endswith("def f():")
