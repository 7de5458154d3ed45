"""Settings remembered between sessions (in a test's own folder, never the user's), reset; light
and dark themes at run time; presentation mode in and out."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QApplication

from gui import app_setup, settings
from gui.app_setup import ensure_app
from gui.theme import DARK, LIGHT


@pytest.fixture(scope="session")
def qapp():
    return ensure_app()


@pytest.fixture
def make_window(qtbot):
    from gui.main_window import MainWindow

    made = []

    def make():
        w = MainWindow()
        qtbot.addWidget(w)
        w.show()
        made.append(w)
        return w

    app_setup.set_language("en")
    yield make
    for w in made:
        w.controller.shutdown()
        w.set_theme("light")
    app_setup.set_language("en")


# ---- settings -----------------------------------------------------------------------------
def test_tests_never_touch_the_users_settings(tmp_path_factory):
    folder = settings.config_dir()
    assert folder == os.environ[settings.ENV_DIR]
    assert str(tmp_path_factory.getbasetemp()) in folder
    assert settings.settings_path().startswith(folder)


def test_without_the_variable_settings_live_in_the_users_config_folder(monkeypatch):
    from PySide6.QtCore import QStandardPaths

    monkeypatch.delenv(settings.ENV_DIR)
    folder = settings.config_dir()
    where = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)
    assert folder == where and "mpscope" in where


def test_a_new_window_starts_as_the_last_one_was_left(make_window, monkeypatch):
    from gui.main_window import MainWindow

    first = make_window()
    assert first.panel.select("queue-producer-consumer")
    name, text = "ITEMS", "7"
    first.panel.params.set_text(name, text)
    first.panel.method.setCurrentText("spawn")
    first.panel.scale.setValue(2.5)
    first.set_language("zh_CN")
    first.set_theme("dark")
    first.resize(1700, 950)
    geometry = first.saveGeometry()
    first.close()
    assert os.path.exists(settings.settings_path())
    assert settings.saved_language() == "zh_CN"

    app_setup.set_language("en")
    restored = []  # (the offscreen screen is too small to show the size itself)
    real = MainWindow.restoreGeometry
    monkeypatch.setattr(
        MainWindow, "restoreGeometry", lambda w, g: restored.append(g) or real(w, g)
    )
    second = make_window()
    assert second.panel.current().id == "queue-producer-consumer"
    assert second.panel.params.texts()[name] == text
    assert second.panel.method.currentText() == "spawn"
    assert second.panel.scale.value() == 2.5
    assert second.theme == "dark" and second.theme_actions["dark"].isChecked()
    assert restored == [geometry]


def test_values_no_longer_valid_are_not_restored(make_window):
    s = settings.store()
    s.setValue("scenario/id", "process-basics")
    s.setValue("params/CHILD_SLEEP", "999")
    s.setValue("params/NO_SUCH", "1")
    s.setValue("run/start_method", "teleport")
    s.setValue("run/time_scale", "fast")
    s.setValue("theme", "neon")
    s.sync()
    w = make_window()
    assert w.panel.current().id == "process-basics"
    assert w.panel.run_button.isEnabled(), "an out-of-range value is left out, not shown red"
    assert w.panel.params.texts()["CHILD_SLEEP"] != "999"
    assert w.panel.scale.value() == 1.0 and w.theme == "light"


def test_reset_settings_forgets_and_shows_the_defaults(make_window):
    w = make_window()
    assert w.panel.select("process-basics")
    default = w.panel.params.texts()["CHILD_SLEEP"]
    w.panel.params.set_text("CHILD_SLEEP", "0.5")
    w.panel.scale.setValue(3.0)
    w.set_theme("dark")
    w.set_language("zh_CN")
    settings.save_window(w)
    w.reset_settings()
    assert settings.store().allKeys() == []
    assert w.panel.params.texts()["CHILD_SLEEP"] == default
    assert w.panel.scale.value() == 1.0 and w.theme == "light"
    assert app_setup.current_language() == app_setup.system_language()


# ---- themes -------------------------------------------------------------------------------
def test_the_theme_switches_at_run_time(make_window):
    w = make_window()
    w.theme_actions["dark"].trigger()
    view = w.timeline
    assert view.palette_ is DARK
    assert view.plot.backgroundBrush().color().name() == DARK.background
    assert view.messages.arrows._color.name() == DARK.arrow
    assert QApplication.palette().window().color().lightness() < 80
    w.theme_actions["light"].trigger()
    assert view.palette_ is LIGHT
    assert view.plot.backgroundBrush().color().name() == LIGHT.background
    assert QApplication.palette().window().color().lightness() > 180


# ---- presentation mode --------------------------------------------------------------------
def test_presentation_mode_is_full_screen_large_and_gives_everything_back(make_window, qtbot):
    w = make_window()
    normal_points = w.font().pointSize()
    assert w.presentation_action.shortcut().toString() == "F11"
    w.presentation_action.trigger()
    assert w.presentation.active and w.isFullScreen()
    assert w.font().pointSize() >= normal_points * 1.5
    assert w.explanation.label.font().pointSize() > w.font().pointSize()
    assert not w.scenario_dock.isVisible() and not w.code_dock.isVisible()
    assert not w.tabs.isVisible()
    left = w.timeline.plot.getPlotItem().getAxis("left")
    qtbot.waitUntil(lambda: left.width() > 250)  # lane names have room at the larger size
    w.presentation_action.trigger()
    assert not w.presentation.active and not w.isFullScreen()
    assert w.font().pointSize() == normal_points
    assert w.scenario_dock.isVisible() and w.code_dock.isVisible() and w.tabs.isVisible()


def test_escape_leaves_presentation_mode(make_window, qtbot):
    from PySide6.QtCore import Qt

    w = make_window()
    w.presentation.set_active(True)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Escape)
    assert not w.presentation.active and not w.presentation_action.isChecked()


def test_closing_in_presentation_mode_saves_the_normal_layout(make_window):
    w = make_window()
    w.resize(1200, 800)
    w.presentation.set_active(True)
    w.close()
    second = make_window()
    assert not second.isFullScreen() and second.scenario_dock.isVisible()
