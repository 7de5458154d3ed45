"""The end-to-end smoke test (`main.py --smoke`), the icons, and the Linux per-user install."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ICONS = os.path.join(ROOT, "resources", "icons")


def _smoke(command: list[str], tmp_path: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MPSCOPE_CONFIG_DIR=str(tmp_path))
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.timeout(150)
def test_smoke_runs_a_scenario_in_the_window_and_exits_0(tmp_path):
    done = _smoke([sys.executable, "main.py", "--smoke"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "smoke test passed" in done.stdout


def test_smoke_takes_no_export():
    from control.cli import CliError, parse

    with pytest.raises(CliError):
        parse(["--smoke", "--export", "x.png"])
    assert parse(["--smoke", "--start-method", "spawn"]).spec.start_method == "spawn"


def test_the_icon_files_are_there():
    for name in ("mpscope.svg", "mpscope.ico", *(f"mpscope-{s}.png" for s in (16, 32, 48, 256))):
        assert os.path.getsize(os.path.join(ICONS, name)) > 0, name


def test_the_desktop_file_says_what_a_menu_needs():
    with open(os.path.join(ROOT, "resources", "mpscope.desktop"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert lines[0] == "[Desktop Entry]"
    for line in ("Name=mpscope", "Terminal=false", "Icon=mpscope", "Type=Application"):
        assert line in lines
    categories = next(x for x in lines if x.startswith("Categories="))
    assert "Education;" in categories
    assert any(x.startswith("Exec=") for x in lines)


def test_install_linux_puts_launcher_and_icons_under_xdg_data_home(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path))
    script = os.path.join(ROOT, "resources", "install_linux.py")
    done = subprocess.run(
        [sys.executable, script, "--exec", "/opt/mpscope/mpscope"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    desktop = tmp_path / "applications" / "mpscope.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert "Exec=/opt/mpscope/mpscope %f" in text
    assert "Terminal=false" in text
    hicolor = tmp_path / "icons" / "hicolor"
    assert (hicolor / "scalable" / "apps" / "mpscope.svg").is_file()
    assert (hicolor / "256x256" / "apps" / "mpscope.png").is_file()
    assert (hicolor / "16x16" / "apps" / "mpscope.png").is_file()
    uninstall = [sys.executable, script, "--uninstall"]
    done = subprocess.run(uninstall, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not desktop.exists()
    assert not (hicolor / "256x256" / "apps" / "mpscope.png").exists()


PACKAGED = os.environ.get("MPSCOPE_PACKAGED", "")  # e.g. dist/mpscope/mpscope, built beforehand


@pytest.mark.skipif(not PACKAGED, reason="MPSCOPE_PACKAGED names no packaged app")
@pytest.mark.timeout(300)
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_the_packaged_app_passes_the_smoke_test(tmp_path, method):
    app = os.path.abspath(os.path.join(ROOT, PACKAGED))
    done = _smoke([app, "--smoke", "--start-method", method], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "smoke test passed" in done.stdout


@pytest.mark.skipif(not PACKAGED, reason="MPSCOPE_PACKAGED names no packaged app")
@pytest.mark.timeout(300)
def test_the_packaged_app_traces_a_script_under_spawn(tmp_path):
    script = tmp_path / "mine.py"
    script.write_text(
        "import multiprocessing as mp\n\n\ndef f(x):\n    return x * x\n\n\n"
        "if __name__ == '__main__':\n    with mp.Pool(2) as pool:\n"
        "        print(pool.map(f, range(4)))\n",
        encoding="utf-8",
    )
    out = tmp_path / "mine.json"
    app = os.path.abspath(os.path.join(ROOT, PACKAGED))
    command = [app, "--trace", str(script), "--start-method", "spawn", "--export", str(out)]
    done = _smoke(command, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "[0, 1, 4, 9]" in done.stdout
    assert "(3 processes" in done.stderr
