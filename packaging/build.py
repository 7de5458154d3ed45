"""Build the one-folder desktop app with PyInstaller: dist/mpscope/ with the `mpscope` executable.

    pip install -r packaging/requirements.txt
    python packaging/build.py            # then: dist/mpscope/mpscope --smoke

Run it with the project's venv Python, on the system the app is for (PyInstaller does not cross
compile): Linux gives dist/mpscope/mpscope, Windows dist\\mpscope\\mpscope.exe, macOS also
dist/mpscope.app. The recipe is packaging/mpscope.spec.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print(
            "build: PyInstaller is missing: pip install -r packaging/requirements.txt",
            file=sys.stderr,
        )
        return 1
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", os.path.join(ROOT, "dist"), "--workpath", os.path.join(ROOT, "build"),
        os.path.join(HERE, "mpscope.spec"), *argv,
    ]  # fmt: skip
    began = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, check=False)
    if done.returncode != 0:
        print(f"build: PyInstaller failed (exit code {done.returncode})", file=sys.stderr)
        return done.returncode
    name = "mpscope.exe" if sys.platform == "win32" else "mpscope"
    exe = os.path.join(ROOT, "dist", "mpscope", name)
    if not os.path.isfile(exe):
        print(f"build: no {exe} after the build", file=sys.stderr)
        return 1
    print(f"built {os.path.relpath(exe, ROOT)} in {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
