"""Hostile recording files, written as a hand-edited or damaged file would be: the raw text
(an int of 5,000 digits cannot come out of ``json.dumps``, it is spliced in)."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from typing import Any

from model import recording_file
from tests.test_recording import story

BIG = "9" * 5000  # an int past Python's int→str limit (4,300 digits)
_BIG_MARK = '"@BIG@"'


def doc(events: list | None = None, **fields: Any) -> dict[str, Any]:
    """A recording as mpscope writes one, with ``fields`` replaced."""
    base = {
        "format": "mpscope-recording",
        "version": 1,
        "meta": {"title": "story", "start_method": "fork", "date": "2026-01-01"},
        "t0": 1000,
        "end": 2700,
        "events": [list(ev) for ev in (story() if events is None else events)],
    }
    base.update(fields)
    return base


def text(value: Any) -> str:
    """JSON of ``value`` (NaN and Infinity as Python writes them), "@BIG@" as the big int."""
    return json.dumps(value).replace(_BIG_MARK, BIG)


def good() -> bytes:
    return text(doc()).encode()


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


SURROGATE_NAMES = ["\udcff", "ctl\x00\x01\x1f\x7f\ufffe\uffff", "<&>\"' ]]>", "n" * 5000]


def _named(names: list[str]) -> list:
    events, t = [["started", 10, 1000, 0, {"name": "MainProcess", "ppid": 1}]], 1000
    for n, name in enumerate(names, 11):
        t += 10
        events += [
            ["created", n, t, 3, {"name": name, "parent": 10}],
            ["started", n, t + 1, 0, {"name": name, "ppid": 10, "parent": 10}],
            ["print", n, t + 2, 4, {"stream": 1, "text": f"{name} says \x00\x1b[31m\udcff"}],
            ["exited", n, t + 5, 0, {"code": n, "by": 10}],
        ]
    return [*events, ["exited", 10, t + 9, 0, {"code": 0, "by": 1}]]


def _messages_years_apart(n: int = 1500) -> list:
    """A Queue with more puts and gets than its depth track draws one by one (2,000), half of
    them 146 years after the others: its arrows and depth steps span 2**62 ns."""
    ch = {"ch": "q1"}
    events = [
        ["started", 10, 0, 0, {"name": "MainProcess"}],
        ["started", 11, 1, 0, {"name": "Process-1", "ppid": 10, "parent": 10}],
        ["msg", 10, 2, 3, {"phase": "channel", "kind": "Queue", "name": "q", **ch}],
    ]
    for i in range(n):
        t = 10 + i * 1000 + (2**62 if i >= n // 2 else 0)
        events += [
            ["msg", 11, t, 4, {"phase": "send", "mid": str(i), "payload": str(i), **ch}],
            ["msg", 10, t + 500, 5, {"phase": "recv", "mid": str(i), "how": "get", **ch}],
        ]
    last = 2**62 + n * 1000 + 10
    return [*events, ["exited", 11, last, 0, {"code": 0}], ["exited", 10, last + 1, 0, {"code": 0}]]


def _wrong_types() -> list:
    return [
        ["started", 10, 0, 0, {"name": ["x"], "ppid": "a", "parent": [1]}],
        ["created", 11, 1, 0, {"name": {"a": 1}, "parent": {"b": 2}, "daemon": [1]}],
        ["state", 10, 1, 0, {"s": 5, "on": [1], "secs": {"x": 1}, "target": [2]}],
        ["state", 10, 2, 0, {"s": "sleeping", "on": "sleep", "secs": [1, 2]}],
        ["state", 10, 3, 0, {"s": "blocked", "on": "join", "target": {"t": 1}, "tpid": [3]}],
        ["task", 10, 2, 0, {"phase": "submit", "n": "@BIG@", "chunksize": -5, "pool": [1]}],
        ["task", 10, 3, 0, {"phase": "start", "pool": 10, "job": "@BIG@", "chunk": 2**70, "k": 1}],
        ["task", 10, 4, 0, {"phase": "end", "pool": 10, "job": 1, "ok": [0], "result": ["r"]}],
        ["task", 10, 4, 0, {"phase": "collect", "pool": 10, "job": 1, "ok": "no"}],
        ["msg", 10, 4, 0, {"phase": "channel", "ch": [1], "kind": 3, "maxsize": "@BIG@"}],
        ["msg", 10, 5, 0, {"phase": "send", "ch": [1], "mid": {"a": 1}, "payload": "@BIG@"}],
        ["msg", 10, 6, 0, {"phase": "recv", "ch": [1], "mid": {"a": 1}, "end": [2]}],
        ["msg", 10, 6, 0, {"phase": "fail", "ch": {"c": 1}, "error": [1], "how": 2}],
        ["terminated", 10, 9, 0, {"sig": [1], "by": {"x": 1}}],
        ["exit_status", 10, 9, 0, {"code": "@BIG@", "tb": ["t"]}],
        ["exited", 10, 10, 0, {"code": "x", "fault": 5, "zombie": "maybe"}],
        ["joined", 10, 11, 0, {"code": 1.5, "by": "me"}],
        ["error", 10, 12, 0, {"code": ["syntax_error"], "msg": "@BIG@", "file": 5}],
        ["print", 10, 13, 0, {"stream": "@BIG@", "text": {"t": [1, {"u": None}]}}],
        ["print", 10, 14, 0, {"stream": 1, "text": "NaN", "x": float("nan")}],
        "not an event",
        ["print", 10],
        ["print", 10, "@BIG@", 0, {}],
        ["print", 10, 2**64, 0, {}],
        ["nonsense", 10, 1, 0, {}],
    ]


def odd_files() -> dict[str, str]:
    """Files that hold a recording, however strange: each must open, show and export."""
    years = 2**62
    return {
        "big_ints": text(
            doc(
                [*story()[:-1], ["exited", 10, 2700, 0, {"code": "@BIG@", "by": 1}]],
                t0="@BIG@",
                end="@BIG@",
                summarised={"print": "@BIG@", "state": 2**70, "msg": 3},
                unrecorded={BIG: 5, "101": "@BIG@", "-": 1, "102": 1500},
            )
        ),
        "wrong_metadata": text(
            doc(
                meta={
                    "title": ["a", "list"],
                    "start_method": 5,
                    "date": {"d": 1},
                    "scenario": [1],
                    "values": [1, 2],
                    "code": 7,
                    "time_scale": "fast",
                    "other": [[[[["deep"]]]]],
                }
            )
        ),
        "meta_not_a_dict": text(doc(meta=[1, 2, 3])),
        "a_scenario_with_odd_values": text(
            doc(
                meta={
                    "scenario": "process-basics",
                    "values": {"CHILD_SLEEP": "@BIG@", "PARENT_SLEEP": float("nan"), "X": [1]},
                }
            )
        ),
        "a_scenario_with_huge_values": text(
            doc(meta={"scenario": "pool-map", "values": {"WORKERS": 10**30, "ITEMS": 1e308}})
        ),
        "years_apart": text(
            doc(
                [
                    ["started", 10, 0, 0, {"name": "MainProcess"}],
                    ["state", 10, 5, 1, {"s": "sleeping", "on": "sleep", "secs": 1e20}],
                    ["created", 11, 6, 2, {"name": "Process-1", "parent": 10}],
                    ["started", 11, 7, 0, {"name": "Process-1", "ppid": 10, "parent": 10}],
                    ["print", 10, years, 0, {"stream": 1, "text": "a long nap"}],
                    ["exited", 11, years + 3, 0, {"code": 0, "by": 10}],
                    ["exited", 10, years + 5, 0, {"code": 0, "by": 1}],
                ],
                t0=0,
                end=years + 10,
            )
        ),
        "years_apart_messages": text(doc(_messages_years_apart(), t0=0, end=2**62 + 10**7)),
        "extreme_times": text(
            doc(
                [
                    ["started", 10, -(2**63), 0, {"name": "MainProcess"}],
                    ["print", 10, 0, 0, {"stream": 1, "text": "now"}],
                    ["exited", 10, 2**63 - 1, 0, {"code": 0, "by": 1}],
                ],
                t0=2**63 - 1,
                end=-(2**63),
            )
        ),
        "nan_and_infinity": text(
            doc(
                [
                    *story()[:6],
                    ["state", 11, 1600, 5, {"s": "sleeping", "on": "sleep", "secs": float("nan")}],
                    ["print", 11, 1700, 6, {"stream": 1, "text": "x", "v": float("-inf")}],
                    *story()[6:],
                ],
                t0=float("nan"),
                end=float("inf"),
                summarised={"print": float("nan")},
            )
        ),
        "surrogates_and_control_characters": text(doc(_named(SURROGATE_NAMES))),
        "wrong_types_in_events": text(doc(_wrong_types(), t0=0, end=20)),
        "long_strings": text(
            doc(
                [
                    ["started", 10, 0, 0, {"name": "N" * 2_000_000}],
                    ["print", 10, 5, 0, {"stream": 1, "text": "T" * 3_000_000}],
                    ["exited", 10, 10, 0, {"code": 0, "fault": "F" * 1_000_000}],
                ],
                t0=0,
                end=10,
            )
        ),
        "deep_data": text(doc(t0=1000)).replace('"hello"', deep(500)),
        "keys_in_another_order": _events_first(),
        "no_time_zero": text({k: v for k, v in doc().items() if k not in ("t0", "end")}),
        "whitespace_everywhere": json.dumps(doc(), indent=3).replace(",", " ,\n\t "),
    }


def _events_first() -> str:
    """The event list first, the format and version last, a key mpscope does not know."""
    events = json.dumps([list(ev) for ev in story()])
    tail = '"end": 2700, "extra": {"a": [1, 2]}, "version": 1, "format": "mpscope-recording"'
    return f'{{"events": {events}, {tail}, "t0": 1000}}'


def bad_files() -> dict[str, tuple[bytes, str]]:
    """Files that are no recording: the bytes and the error code that says why."""
    head = '{"format": "mpscope-recording", "version": 1, '
    return {
        "empty": (b"", "not_json"),
        "only_spaces": (b" \n\t ", "not_json"),
        "truncated": (good()[:300], "not_json"),
        "truncated_in_a_number": (good()[: good().index(b"1000") + 2], "not_json"),
        "not_utf8": (good().replace(b"hello", b"\xff\xfe\xfd"), "not_json"),
        "binary": (bytes(range(256)) * 4, "not_json"),
        "nested_100k_deep": ((head + '"events": ' + deep(100_000) + "}").encode(), "not_json"),
        "meta_100k_deep": ((head + '"meta": ' + deep(100_000) + "}").encode(), "not_json"),
        "garbage_after": (good() + b" trailing", "not_json"),
        "version_a_string": (text(doc(version="1")).encode(), "not_a_recording"),
        "version_of_5000_digits": (text(doc(version="@BIG@")).encode(), "not_a_recording"),
        "version_a_float": (text(doc(version=1.0)).encode(), "not_a_recording"),
        "no_format": (text({"version": 1, "events": []}).encode(), "not_a_recording"),
        "a_list": (b"[1, 2, 3]", "not_a_recording"),
        "a_number": (b"12345", "not_a_recording"),
        "two_event_lists": ((head + '"events": [], "events": []}').encode(), "not_a_recording"),
        "events_not_a_list": (text(doc(events=None) | {"events": {"a": 1}}).encode(), "no_events"),
        "no_events": (text({"format": "mpscope-recording", "version": 1}).encode(), "no_events"),
        "newer": (text(doc(version=2)).encode(), "newer_version"),
    }


def everything() -> str:
    """One recording with most of the odd content above at once (for the command line)."""
    events = [*_named(SURROGATE_NAMES), *_wrong_types()]
    events += [["print", 10, 2**62, 0, {"stream": 1, "text": "years later", "v": float("nan")}]]
    return text(doc(events, t0=0, end=2**62 + 5, meta={"title": ["x"], "start_method": 3}))


# ---- what the tests of hostile recordings share ------------------------------------------
def strict_json(path: str) -> object:
    """The file as standard JSON: NaN or Infinity in it is an error, as in most readers."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=refuse)


def write(folder, name: str, content: bytes | str) -> str:
    path = os.path.join(folder, f"{name}.mpscope.json")
    with open(path, "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def special_files(folder) -> dict[str, tuple[str, str]]:
    """Paths that are no file to read: a directory, a FIFO (reading one would wait forever),
    a file over the size limit (sparse: no disk used), one that is not there."""
    os.mkdir(os.path.join(folder, "a_directory.mpscope.json"))
    os.mkfifo(os.path.join(folder, "a_fifo.mpscope.json"))
    huge = os.path.join(folder, "huge.mpscope.json")
    with open(huge, "wb") as f:
        f.truncate(recording_file.MAX_BYTES + 1)
    return {
        "a_directory": (os.path.join(folder, "a_directory.mpscope.json"), "unreadable"),
        "a_fifo": (os.path.join(folder, "a_fifo.mpscope.json"), "unreadable"),
        "huge": (huge, "too_large"),
        "missing": (os.path.join(folder, "missing.mpscope.json"), "unreadable"),
    }


def one_line_error(run: subprocess.CompletedProcess) -> str:
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if "propagateSizeHints" not in line]
    assert len(lines) == 1 and lines[0].startswith("mpscope: error: "), run.stderr
    return lines[0]


def check_export(path: str, fmt: str) -> None:
    """The file is whole and readable as what it claims to be."""
    if fmt == "svg":
        ET.parse(path)  # well-formed XML, whatever the names held
    elif fmt == "png":
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    else:
        strict_json(path)
    if fmt == "mpscope.json":
        recording_file.load(path)


def many_events(n: int) -> str:
    events = [["started", 10, 0, 0, {"name": "MainProcess"}]]
    events += [["print", 10, i, 1, {"stream": 1, "text": f"line {i} " * 8}] for i in range(n)]
    return text(doc([*events, ["exited", 10, n, 0, {"code": 0}]]))
