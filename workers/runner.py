"""The runner: the process that becomes the watched script's ``MainProcess``.

The app starts it with the spawn context (never fork from a process that has a QApplication). It
leads a new session, so Stop can end every process of the run with one ``killpg``; it takes the
main process's name and identity so its children are ``Process-1``, not ``SpawnProcess-1:1``; it
installs the tracer; then it runs the script as ``__main__`` exactly as ``python script.py`` would,
including multiprocessing's exit handling (daemon children terminated, others joined).
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import traceback
import types
from multiprocessing import process, resource_tracker
from multiprocessing.connection import Connection, wait
from typing import Any

from workers import own_fds, private_names, proc_tree, tracer, user_traceback
from workers.events import K_ERROR, K_STARTED
from workers.exit_watcher import WATCHER
from workers.reprs import exit_code

READY = b"ready"


def standby(orders: Connection, conn: Connection) -> None:
    """Entry point of a runner started ahead of its run (control/standby.py): the interpreter,
    multiprocessing and the tracer load while the app is idle, and a Run starts at once (spawning
    the runner was ~70 ms of every run, bench/overhead.py). Says it is ready, waits for the run's
    spec, then is that run's runner; ends quietly if the app closes ``orders`` instead (the app
    closed, or died: nothing is left behind)."""
    _lead_own_session()  # from now on, as main() would: a Ctrl+C in the app's terminal is not ours
    tracer.patches()
    with contextlib.suppress(OSError):  # a cold start: the spec came and the app's end closed
        orders.send_bytes(READY)
    try:
        spec = orders.recv()
    except (EOFError, OSError):
        os._exit(0)
    orders.close()
    main(conn, spec)


def main(conn: Connection, spec: dict[str, Any]) -> None:
    """Entry point in the runner process; ``spec``: script, args, start_method, time_scale."""
    _lead_own_session()
    _no_stdin()
    _end_with_the_app()
    _become_main_process()
    script = os.path.abspath(spec["script"])
    cfg = {
        "script": script,
        "time_scale": float(spec.get("time_scale", 1.0)),
        "scratch": spec.get("scratch", ""),
    }
    tracer.install(conn, cfg)
    _own_resource_tracker()
    _temp_dir_in(cfg["scratch"])
    _default_start_method(spec["start_method"])
    tracer.emit(K_STARTED, os.getpid(), 0, _main_info())
    tracer.flush()  # the run's first frame: a child's early flush must not come first (time 0)
    private_names.hide()  # the script's own `workers` module, if it has one, is the one it gets
    code, tb = _run_script(script, list(spec.get("args", ())))
    _end_as_python_does()
    WATCHER.settle(timeout=1.0)
    tracer.exit_status(exit_code(code), tb)
    tracer.shutdown()
    raise SystemExit(code)  # the interpreter's own end: objects finalized, files flushed


def _end_as_python_does() -> None:
    """What ``python script.py`` does once the script is done, before the tracer's last words:
    wait for the non-daemon threads, then the ``atexit`` handlers, newest first (the script's,
    then multiprocessing's own, which joins the children). The tracer's last words are said by
    hand after them (their prints are events too), so its own handler is taken off the list.

    The process then ends by ``SystemExit``: spawn's bootstrap passes the code to ``sys.exit``,
    and the interpreter finalizes the script's objects as Python would (a file never closed is
    flushed then). ``os._exit`` here lost that data and skipped every handler."""
    atexit.unregister(tracer.shutdown)
    threading._shutdown()
    atexit._run_exitfuncs()


def _own_resource_tracker() -> None:
    """The app's resource tracker, which the runner inherited, is mpscope's descriptor: plain
    Python's main process has none until it first needs one. If the program closes it (a daemon
    closing what it inherited), it is forgotten, and the program starts its own tracker when it
    needs one, as without mpscope (a probe written to that number would land in the program's
    file, a close of it would fail). Closed behind Python's back, that is seen before the
    tracker is next used."""
    tracker = resource_tracker._resource_tracker
    if tracker._fd is None:
        return
    claimed = tracker._fd = own_fds.claim(tracker._fd, lambda _fd, _how: forget())
    ensure_running = tracker.ensure_running

    def forget() -> None:
        if tracker._fd == claimed:
            tracker._fd = tracker._pid = None

    def checked_ensure_running() -> None:
        if tracker._fd == claimed and not own_fds.is_ours(claimed):
            forget()
        ensure_running()

    tracker.ensure_running = checked_ensure_running


def _lead_own_session() -> None:
    """Lead a new session (and process group): Stop ends the whole run with one killpg."""
    if os.getsid(0) != os.getpid():
        os.setsid()


def _temp_dir_in(scratch: str) -> None:
    """multiprocessing's temp folder (the fork server's socket) inside the run's scratch folder,
    which the app removes when the run ends: a runner killed by Stop runs no exit handler to
    remove it. Short on purpose: a socket path is limited to 108 bytes."""
    if not scratch:
        return
    folder = os.path.join(scratch, "mp")
    os.makedirs(folder, exist_ok=True)
    process.current_process()._config["tempdir"] = folder


def _no_stdin() -> None:
    """A script that reads standard input gets end-of-file, as from /dev/null, and never waits
    on the app's terminal (multiprocessing only swaps sys.stdin, not file descriptor 0)."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)


def _default_start_method(method: str) -> None:
    """Make ``method`` the default without fixing it: a script may still call
    ``set_start_method()`` itself, as it could without mpscope."""
    default = multiprocessing.context._default_context
    default._default_context = multiprocessing.get_context(method)
    default._actual_context = None


def _end_with_the_app() -> None:
    """If the app dies (even by SIGKILL), end every process of the run: no orphans left. The
    runner leads the run's session, so what it ends is what the kernel shows as its run: its own
    group, and the processes that left it but are still in its session or below it by parent
    links (workers/proc_tree.py); nothing else."""
    parent = process.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        wait([sentinel])
        try:
            proc_tree.end_run_from_leader()
        finally:
            os.killpg(0, signal.SIGKILL)  # the group, the runner with it, whatever went wrong

    threading.Thread(target=watch, name="mpscope-app-watch", daemon=True).start()


def _become_main_process() -> None:
    """Take MainProcess's place: name, empty identity, fresh child counter, no parent."""
    main = process.current_process()
    main._identity = ()
    main._name = "MainProcess"
    main._parent_pid = None
    main._parent_name = None
    process._parent_process = None
    process._process_counter = itertools.count(1)
    process._children = set()


def _main_info() -> dict[str, Any]:
    return {"name": "MainProcess", "ppid": os.getppid(), "parent": None, "daemon": False}


def _run_script(script: str, args: list[str]) -> tuple[int, str | None]:
    """Run the script as ``__main__``; return its exit code and the traceback of a failure.

    As ``python script.py``: ``sys.argv[0]`` and ``__file__`` are the path as given (the app
    makes it absolute), while ``sys.path[0]`` is the folder of the file it resolves to, so a
    script reached through a symlink imports the modules beside the real file. The bytes are
    compiled as they are, so Python's own rules decide the encoding (a coding cookie, a BOM,
    else UTF-8), and none of the runner's ``__future__`` imports leak into the script.
    """
    sys.argv = [script, *args]
    sys.path[0:0] = [os.path.dirname(os.path.realpath(script))]
    try:
        code = compile(_read_source(script), script, "exec", dont_inherit=True)
    except SyntaxError as err:
        data = {"code": "syntax_error", "msg": str(err.msg), "file": script, "lineno": err.lineno}
        tracer.emit(K_ERROR, os.getpid(), err.lineno or 0, data)
        traceback.print_exception(err, limit=0)
        return 1, None
    except OSError as err:
        tracer.emit(K_ERROR, os.getpid(), 0, {"code": "unreadable", "msg": str(err)})
        print(err, file=sys.stderr)
        return 1, None
    return _exec_as_main(code, script)


def _read_source(script: str) -> bytes:
    """The script's bytes, undecoded: compile() reads a coding cookie or a BOM as Python does
    (spawn children import it with runpy, which compiles the bytes too)."""
    with open(script, "rb") as f:
        return f.read()


def _exec_as_main(code: Any, script: str) -> tuple[int, str | None]:
    """Run ``code`` as the ``__main__`` module, as ``python script.py`` does.

    Like Python, ``__mp_main__`` names the same module: objects of the script's classes that come
    back from spawn children (pickled as ``__mp_main__.Point``) must unpickle in this process.
    """
    module = types.ModuleType("__main__")
    module.__dict__.update(__file__=script, __builtins__=builtins, __cached__=None)
    sys.modules["__main__"] = sys.modules["__mp_main__"] = module
    try:
        exec(code, module.__dict__)
    except SystemExit as exc:
        return _exit_code(exc), None
    except BaseException as exc:
        tb = user_traceback.format_exception(exc, _from_script(exc.__traceback__, script))
        sys.stderr.write(tb)
        return 1, tb
    return 0, None


def _from_script(tb: Any, script: str) -> Any:
    """The traceback from the script's first frame on: the runner's own frames are noise."""
    first = tb
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == script:
            return tb
        tb = tb.tb_next
    return first


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1
