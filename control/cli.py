"""The command line (DESIGN.md's contract): list, run headless and export, or open the window."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field

from control.session import DEFAULT_START_METHOD, START_METHODS, RunSpec
from model import catalog

EXPORT_SUFFIXES = (".mpscope.json", ".json", ".png", ".svg")
MAX_WIDTH = 7680


class CliError(Exception):
    """A problem with what was asked; its text is the one line printed on stderr."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise CliError(message)


@dataclass
class Request:
    """What the command line asks for, checked."""

    action: str  # list | run | open | gui | smoke
    spec: RunSpec | None = None
    scenario: catalog.Scenario | None = None
    values: dict = field(default_factory=dict)
    export: str | None = None
    width: int = 1920
    stop_after: float | None = None
    lang: str | None = None
    title: str = ""
    recording: str | None = None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mpscope", description="See Python multiprocessing at work, live.")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--list", action="store_true", help="list the built-in scenarios")
    src.add_argument("--scenario", metavar="ID", help="run a built-in scenario")
    src.add_argument("--trace", metavar="SCRIPT.py", help="run any script under the tracer")
    src.add_argument("--open", metavar="RECORDING.mpscope.json", help="open a saved recording")
    src.add_argument(
        "--smoke", action="store_true", help="self-test: run a short scenario in the window, exit"
    )
    p.add_argument("--set", metavar="NAME=VALUE", action="append", default=[], dest="settings")
    p.add_argument("--start-method", choices=START_METHODS, default=DEFAULT_START_METHOD)
    p.add_argument("--time-scale", type=float, default=1.0, metavar="F")
    p.add_argument("--stop-after", type=float, default=None, metavar="SECONDS")
    p.add_argument("--export", metavar="FILE")
    p.add_argument("--width", type=int, default=1920, metavar="PX")
    p.add_argument("--lang", choices=("zh_CN", "en"))
    p.add_argument("script_args", nargs="*", help="arguments for the --trace script, after --")
    return p


def parse(argv: list[str]) -> Request:
    args = build_parser().parse_args(argv)
    _check_numbers(args)
    if args.list:
        return Request("list")
    if args.smoke:
        if args.export or args.settings or args.script_args:
            raise CliError("--smoke takes no --export, --set or script arguments")
        return _smoke_request(args)
    if args.script_args and not args.trace:
        raise CliError(f"unexpected arguments: {' '.join(args.script_args)}")
    if args.export and not (args.scenario or args.trace or args.open):
        raise CliError("--export needs --scenario, --trace or --open")
    if args.export and not args.export.lower().endswith(EXPORT_SUFFIXES):
        raise CliError(
            f"--export: unknown file type {args.export!r} (use .png, .svg, .json or .mpscope.json)"
        )
    common = dict(export=args.export, width=args.width, stop_after=args.stop_after, lang=args.lang)
    if args.scenario:
        return _scenario_request(args, common)
    if args.trace:
        return _trace_request(args, common)
    if args.open:
        if os.path.isdir(args.open):
            raise CliError(f"{args.open} is a directory, not a recording")
        if not os.path.exists(args.open):
            raise CliError(f"no such recording: {args.open}")
        title = os.path.basename(args.open)
        return Request("open", title=title, recording=os.path.abspath(args.open), **common)
    if args.settings:
        raise CliError("--set needs --scenario")
    return Request("gui", lang=args.lang)


def _check_numbers(args: argparse.Namespace) -> None:
    if not (0.01 <= args.time_scale <= 100):
        raise CliError(f"--time-scale {args.time_scale}: must be between 0.01 and 100")
    if args.stop_after is not None and not (0 < args.stop_after <= 86400):
        raise CliError(f"--stop-after {args.stop_after}: must be a positive number of seconds")
    if not (200 <= args.width <= MAX_WIDTH):
        raise CliError(f"--width {args.width}: must be between 200 and {MAX_WIDTH}")


def _scenario_request(args: argparse.Namespace, common: dict) -> Request:
    scenario = catalog.find(args.scenario)
    if scenario is None:
        known = ", ".join(s.id for s in catalog.discover())
        raise CliError(f"unknown scenario {args.scenario!r} (known: {known})")
    try:
        values = catalog.values_from(scenario, args.settings)
    except catalog.ParamError as err:
        raise CliError(str(err)) from None
    spec = RunSpec(scenario.path, [], args.start_method, args.time_scale)
    return Request("run", spec, scenario, values, title=scenario.title, **common)


SMOKE_SCENARIO = "process-basics"
SMOKE_VALUES = ("CHILD_SLEEP=0.1", "PARENT_SLEEP=0.1")


def _smoke_request(args: argparse.Namespace) -> Request:
    """A short built-in scenario, run through the window's own Run path (gui.app.run_smoke)."""
    scenario = catalog.find(SMOKE_SCENARIO)
    if scenario is None:
        raise CliError(f"--smoke: scenario {SMOKE_SCENARIO!r} not found")
    values = catalog.values_from(scenario, list(SMOKE_VALUES))
    spec = RunSpec(scenario.path, [], args.start_method, args.time_scale)
    return Request("smoke", spec, scenario, values, title=scenario.title, lang=args.lang)


def _trace_request(args: argparse.Namespace, common: dict) -> Request:
    if args.settings:
        raise CliError("--set is for scenarios; pass a script's own arguments after --")
    path = os.path.abspath(args.trace)
    if not os.path.isfile(path):
        raise CliError(f"no such script: {args.trace}")
    spec = RunSpec(path, list(args.script_args), args.start_method, args.time_scale)
    return Request("run", spec, title=os.path.basename(path), **common)


def one_line(err: BaseException) -> str:
    """An exception as one short line: its type and the first line of what it says."""
    said = str(err).strip().splitlines()
    text = f"{type(err).__name__}: {said[0]}" if said else type(err).__name__
    return _printable(text if len(text) <= 300 else text[:299] + "…")


def _printable(text: str) -> str:
    """Line ends (a file name may hold one) shown as escapes: the error stays one line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        request = parse(argv)
        if request.action == "list":
            for s in catalog.discover():
                print(f"{s.id}\t{s.title}")
            return 0
        if request.export:
            from control.headless import open_and_export, run_and_export

            return open_and_export(request) if request.action == "open" else run_and_export(request)
    except CliError as err:
        print(f"mpscope: error: {_printable(str(err))}", file=sys.stderr)
        return 2
    except Exception as err:  # a failure nobody foresaw still gets one line, not a traceback
        print(f"mpscope: error: {one_line(err)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C while a file is written: it is not (model/safe_file.py)
        print("mpscope: error: interrupted; nothing written", file=sys.stderr)
        return 130
    if request.action == "smoke":
        from gui.app import run_smoke

        return run_smoke(request)
    from gui.app import run_gui

    return run_gui(request)
