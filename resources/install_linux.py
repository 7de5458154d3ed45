"""Put mpscope in the current user's application menu (Linux, freedesktop.org): no root needed.

    python resources/install_linux.py                 # the packaged app if built, else this checkout
    python resources/install_linux.py --exec /path/to/mpscope
    python resources/install_linux.py --uninstall

Writes $XDG_DATA_HOME/applications/mpscope.desktop (XDG_DATA_HOME defaults to ~/.local/share) from
resources/mpscope.desktop with its Exec line pointing at the app, and the icons under
$XDG_DATA_HOME/icons/hicolor/<size>/apps/mpscope.png (+ scalable/apps/mpscope.svg).
Standard library only, so it runs with any python3.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))  # resources/ (in a checkout or a packaged app)
ICONS = os.path.join(HERE, "icons")
TEMPLATE = os.path.join(HERE, "mpscope.desktop")
SIZES = (16, 24, 32, 48, 64, 128, 256)


def data_home() -> str:
    value = os.environ.get("XDG_DATA_HOME", "")
    return (
        value if os.path.isabs(value) else os.path.join(os.path.expanduser("~"), ".local", "share")
    )


def default_command() -> list[str]:
    """The packaged app next to (or around) these resources, else ``python main.py`` here."""
    candidates = [
        os.path.join(os.path.dirname(HERE), "dist", "mpscope", "mpscope"),  # a checkout, built
        os.path.join(os.path.dirname(os.path.dirname(HERE)), "mpscope"),  # dist/mpscope/_internal/
        os.path.join(os.path.dirname(HERE), "mpscope"),
    ]
    for path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return [path]
    main = os.path.join(os.path.dirname(HERE), "main.py")
    if os.path.isfile(main):
        return [sys.executable, main]
    raise SystemExit("install_linux: no mpscope found here: pass --exec /path/to/mpscope")


def exec_line(command: list[str]) -> str:
    """A desktop-entry Exec value: arguments with spaces quoted, plus %f (a dropped .py file)."""
    quoted = [f'"{a}"' if any(c in a for c in " \t\"'\\$`") else a for a in command]
    return " ".join(quoted) + " %f"


def targets(base: str) -> list[tuple[str, str]]:
    """(source, destination) of every icon file installed."""
    hicolor = os.path.join(base, "icons", "hicolor")
    pairs = [(os.path.join(ICONS, "mpscope.svg"), os.path.join(hicolor, "scalable", "apps"))]
    for size in SIZES:
        pairs.append(
            (
                os.path.join(ICONS, f"mpscope-{size}.png"),
                os.path.join(hicolor, f"{size}x{size}", "apps"),
            )
        )
    return [
        (src, os.path.join(folder, "mpscope" + os.path.splitext(src)[1])) for src, folder in pairs
    ]


def install(command: list[str]) -> str:
    base = data_home()
    for src, dst in targets(base):
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
    with open(TEMPLATE, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        if line.startswith("Exec="):
            line = "Exec=" + exec_line(command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0]
        out.append(line)
    apps = os.path.join(base, "applications")
    os.makedirs(apps, exist_ok=True)
    desktop = os.path.join(apps, "mpscope.desktop")
    with open(desktop, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    os.chmod(desktop, 0o755)  # some desktops only launch "trusted" (executable) entries
    _refresh(base)
    return desktop


def uninstall() -> None:
    base = data_home()
    for _src, dst in targets(base):
        if os.path.isfile(dst):
            os.remove(dst)
    desktop = os.path.join(base, "applications", "mpscope.desktop")
    if os.path.isfile(desktop):
        os.remove(desktop)
    _refresh(base)


def _refresh(base: str) -> None:
    """Tell the menu and icon caches, where those tools exist (quietly: both are optional)."""
    for cmd in (
        ["update-desktop-database", os.path.join(base, "applications")],
        ["gtk-update-icon-cache", "-q", "-t", os.path.join(base, "icons", "hicolor")],
    ):
        if shutil.which(cmd[0]):
            subprocess.run(cmd, capture_output=True, check=False)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Add mpscope to this user's application menu.")
    p.add_argument("--exec", metavar="COMMAND", help="the command that starts mpscope")
    p.add_argument("--uninstall", action="store_true", help="remove the launcher and icons")
    args = p.parse_args(argv)
    if args.uninstall:
        uninstall()
        print("mpscope removed from the application menu")
        return 0
    command = shlex.split(args.exec) if args.exec else default_command()
    desktop = install(command)
    print(f"installed {desktop} (Exec={exec_line(command)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
