"""One script run twice, by itself (``python script.py``) and traced (``main.py --trace``, the
recording exported), for the tests that hold mpscope to plain Python's behaviour: output, exit
code, and the files the script wrote (each run writes into a folder of its own).

Scripts take ``START_METHOD FOLDER [ARGS...]`` and choose their start method themselves, so the
same command line serves both runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from model import recording_file
from model.recording import Lane, Recording
from tests import helpers

SCRIPTS = Path(__file__).resolve().parent / "scripts"
METHODS = ["fork", "spawn", "forkserver"]
TIMEOUT = 60.0


@dataclass
class Pair:
    plain: subprocess.CompletedProcess
    traced: subprocess.CompletedProcess
    rec: Recording
    plain_files: dict[str, bytes]
    traced_files: dict[str, bytes]

    @property
    def traced_stderr(self) -> str:
        """The traced run's stderr without mpscope's own lines (``mpscope: wrote ...``)."""
        lines = self.traced.stderr.splitlines(keepends=True)
        return "".join(line for line in lines if not line.startswith("mpscope:"))

    @property
    def main(self) -> Lane:
        return next(lane for lane in self.rec.lanes.values() if lane.name == "MainProcess")

    def prints(self) -> list[str]:
        """Every printed line the recording holds, of every process, sorted."""
        return sorted(m.data["text"] for lane in self.rec.lanes.values() for m in _prints(lane))

    def assert_same_as_plain(self) -> None:
        """Output, exit code and files as without mpscope; mpscope itself said nothing wrong."""
        assert self.traced.returncode == 0, self.traced.stderr
        assert self.traced.stdout == self.plain.stdout, (self.traced.stdout, self.plain.stdout)
        assert self.traced_stderr == self.plain.stderr, (self.traced_stderr, self.plain.stderr)
        assert self.main.exitcode == self.plain.returncode, (self.main, self.plain.returncode)
        assert self.traced_files == self.plain_files, (self.traced_files, self.plain_files)
        assert self.rec.dropped == 0, self.rec.dropped

    def assert_recorded_in_full(self) -> None:
        """Every line the program printed is a print event, and every process said its exit
        status after its last printed line (atexit handlers included)."""
        said = self.plain.stdout.splitlines() + self.plain.stderr.splitlines()
        assert self.prints() == sorted(said), (self.prints(), sorted(said))
        for lane in self.rec.lanes.values():  # a fork server runs no tracer: it says nothing
            assert lane.helper or lane.exit_status_ts is not None, lane
            late = [m for m in _prints(lane) if m.ts > lane.exit_status_ts]
            assert not late, (lane.name, late)


def _prints(lane: Lane) -> list:
    return [m for m in lane.markers if m.kind == "print"]


_cache: dict[tuple, Pair] = {}


def run_both(script: str, method: str, folder: Path, *args: str) -> Pair:
    """Run ``tests/scripts/<script>.py METHOD FOLDER ARGS`` plain, then traced; cached per
    (script, method, args) for the tests of one module that read the same runs."""
    key = (script, method, args)
    if key not in _cache:
        _cache[key] = _run_both(SCRIPTS / f"{script}.py", method, folder, args)
    return _cache[key]


def _run_both(path: Path, method: str, folder: Path, args: tuple[str, ...]) -> Pair:
    plain_dir, traced_dir = folder / "plain", folder / "traced"
    plain_dir.mkdir(parents=True)
    traced_dir.mkdir()
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("MPSCOPE_TEST_START_METHOD", None)
    plain = subprocess.run(
        [sys.executable, str(path), method, str(plain_dir), *args],
        cwd=helpers.PROJECT_ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT,
    )
    export = folder / "run.mpscope.json"
    traced = helpers.cli(
        "--trace", str(path), "--start-method", method, "--export", str(export),
        "--", method, str(traced_dir), *args, timeout=TIMEOUT,
    )  # fmt: skip
    assert export.exists(), traced.stderr
    rec, _meta = recording_file.load(str(export))
    return Pair(plain, traced, rec, _files(plain_dir), _files(traced_dir))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
