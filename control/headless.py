"""Headless runs for ``--export``: run to the end (or ``--stop-after``), then write the file."""

from __future__ import annotations

import datetime
import os
import sys
import tempfile

from control.cli import CliError, Request, one_line
from control.session import RunSpec, Session
from model import catalog, recording_file
from model.plain import flat, text
from model.recording import Recording
from model.trace_export import detail_limit, write_chrome_trace
from workers.events import CHANNEL_LOST


def prepared_spec(request: Request, folder: str) -> RunSpec:
    """The spec to run: for a scenario, a copy of its script with the chosen values written in."""
    spec = request.spec
    if request.scenario is None:
        return spec
    script = catalog.write_run_copy(request.scenario, request.values, folder)
    return RunSpec(script, list(spec.args), spec.start_method, spec.time_scale)


def run_and_export(request: Request) -> int:
    with tempfile.TemporaryDirectory(prefix="mpscope-run-") as folder:
        session = Session(prepared_spec(request, folder))
        try:
            session.start()
        except OSError as err:  # no process could be started (the system's process limit)
            raise CliError(f"the run could not start: {err}") from None
        try:
            if not session.wait_finished(request.stop_after):
                session.stop()
        except KeyboardInterrupt:
            session.stop()
            raise CliError("interrupted; nothing written") from None
    rec = session.recording
    _fail_on_run_error(rec)
    _export(rec, request, _run_meta(request))
    _note_detail_limit(rec)
    _note_unread(rec)
    lanes, events = len(rec.lanes), len(rec.events)
    print(f"mpscope: wrote {request.export} ({lanes} processes, {events} events)", file=sys.stderr)
    return 0


def _run_meta(request: Request) -> dict:
    meta = {"title": request.title, "start_method": request.spec.start_method}
    meta["time_scale"] = request.spec.time_scale
    meta["date"] = datetime.date.today().isoformat()  # the picture title of a reopened recording
    if request.scenario is not None:
        meta["scenario"] = request.scenario.id
        meta["values"] = dict(request.values)
    return meta


FATAL = ("syntax_error", "unreadable")  # nothing ran: there is no timeline to write


def open_and_export(request: Request) -> int:
    try:
        rec, meta = recording_file.load(request.recording)
    except recording_file.RecordingFileError as err:
        raise CliError(f"cannot open {request.recording}: {recording_error_text(err)}") from None
    _export(rec, request, meta)
    _note_unread(rec)
    print(f"mpscope: wrote {request.export}", file=sys.stderr)
    return 0


def recording_error_text(err: recording_file.RecordingFileError) -> str:
    texts = {
        "unreadable": "cannot read it",
        "too_large": "the file is too large",
        "not_json": "it is not a recording (not JSON, or cut short)",
        "not_a_recording": "it is not an mpscope recording",
        "no_events": "it holds no events",
        "newer_version": "it was saved by a newer mpscope (format version {detail})",
    }
    if err.detail == recording_file.TOO_DEEP:
        return "it is nested too deeply to be a recording"
    text = texts.get(err.code, err.code).format(detail=err.detail)
    return (
        f"{text} ({err.detail})"
        if err.detail and "{detail}" not in texts.get(err.code, "")
        else text
    )


def _note_unread(rec: Recording) -> None:
    """One line on stderr when events could not be read; the file is written all the same."""
    text = unread_text(rec)
    if text:
        print(f"mpscope: warning: {text}", file=sys.stderr)


def unread_text(rec: Recording) -> str:
    """One English line on what of the run could not be read; "" when nothing was lost."""
    n, parts = rec.unread, []
    if n:
        least = "at least " if rec.dropped_frames else ""
        noun = "event" if n == 1 and not least else "events"
        parts.append(f"{least}{n} {noun} of the run could not be read")
    if rec.channel_broken:
        parts.append("the event channel was corrupted, later events were not recorded")
    return "; ".join(parts)


def _fail_on_run_error(rec: Recording) -> None:
    """A script that could not run fails the export; other problems are noted, the file written."""
    for _kind, _pid, _ts, line, data in rec.errors:
        said = run_error_text(data or {}, line)
        if (data or {}).get("code") in FATAL:
            raise CliError(said)
        print(f"mpscope: note: {said}", file=sys.stderr)


def _note_detail_limit(rec: Recording) -> None:
    """A run past the detail limit says so, as the window does: what was kept, what counted."""
    if not rec.summarised:
        return
    limit = detail_limit(rec)
    kinds = ", ".join(f"{kind}: {n:,}" for kind, n in sorted(limit["counted"].items()))
    print(
        f"mpscope: note: the run passed the detail limit ({limit['limit']:,} events): "
        f"{limit['kept']:,} kept in full, {rec.summarised_total:,} more counted, not kept ({kinds})",
        file=sys.stderr,
    )


def run_error_text(data: dict, line: int) -> str:
    """One English line on what went wrong with the watched script."""
    data = flat(data) or {}
    code, where = data.get("code"), f"line {line}" if line else ""
    msg = text(data.get("msg", ""), 300)  # a note from a forged event may say anything
    if code == "syntax_error":
        return f"{text(data.get('file', ''), 300)} {where}: syntax error: {msg}"
    if code == "missing_main_guard":
        return (
            f"{where}: the script starts a process while a spawn/forkserver child imports it; "
            'put that code under `if __name__ == "__main__":`'
        )
    if code == CHANNEL_LOST:
        return (
            f"{where + ': ' if where else ''}process {text(data.get('pid', '?'), 20)} closed "
            f"mpscope's event channel ({text(data.get('how', '?'), 40)}); what it did afterwards "
            "is not recorded"
        )
    return f"{text(code, 100)}: {msg}"


def _export(rec: Recording, request: Request, meta: dict | None = None) -> None:
    path = request.export
    if meta is None:
        meta = {"title": request.title, "start_method": request.spec.start_method}
    try:
        if path.lower().endswith(".mpscope.json"):
            recording_file.save(rec, path, meta)
        elif path.lower().endswith((".png", ".svg")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
            from gui import qt_messages
            from gui.picture_export import export_picture

            with qt_messages.quieted():
                export_picture(rec, path, request.width, meta, request.lang)
        else:
            write_chrome_trace(rec, path, meta)
    except OSError as err:
        raise CliError(f"cannot write {path}: {err.strerror or err}") from None
    except Exception as err:  # data no exporter foresaw: said in one line; nothing was written
        raise CliError(f"cannot write {path}: {one_line(err)}") from None
