"""The window: scenarios on the left, the live timeline in the middle, code on the right,
console and event log below. It wires the panels together; each panel owns its own work
(recording files and pictures: file_actions; replay: replay; theme, presentation mode and
reset: view_actions; what is remembered: settings)."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import app_setup, settings, texts
from gui.app_setup import LANGUAGES
from gui.banner import Banner
from gui.code_panel import CodePanel
from gui.console_panel import ConsolePanel
from gui.event_log import EventLog
from gui.explanation import ExplanationPanel
from gui.file_actions import FileActions, run_meta, show_scenario_of
from gui.replay import ReplayBar
from gui.run_controller import RunController
from gui.scenario_panel import ScenarioPanel, param_error_text
from gui.script_runs import ScriptRuns, dropped_script, run_error_text, script_problem
from gui.timeline_view import TimelineView
from gui.view_actions import ViewActions, choices
from model import catalog
from model.recording import Recording
from model.script_source import read_script


class MainWindow(QMainWindow):
    def __init__(self, scenarios: list[catalog.Scenario] | None = None) -> None:
        super().__init__()
        self.setWindowTitle("mpscope")
        self.controller = RunController(self)
        self._starting: catalog.Scenario | None = None
        self.scenarios = scenarios if scenarios is not None else catalog.discover()
        self.opened: Recording | None = None  # a recording opened from a file, else the run's
        self.meta: dict = {}  # what the recording on screen is: title, start method, date, code
        self._build()
        self._connect()
        self.retranslate()
        self.resize(1600, 900)
        self._scenario_chosen(self.panel.current())
        settings.restore_window(self)

    # ---- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.panel = ScenarioPanel(self.scenarios)
        self.timeline = TimelineView()
        self.code = CodePanel()
        self.code.setMinimumWidth(440)
        self.panel.setMinimumWidth(360)
        self.console = ConsolePanel()
        self.log = EventLog()
        self.explanation = ExplanationPanel()
        self.banner = Banner()
        self._limit_shown = 0.0  # when the detail-limit strip last got its counts
        self.scripts = ScriptRuns(self)
        self._mode = "scenario"  # what Rerun reruns: the scenario, or the opened script
        self._script_args: list[str] = []
        self.setAcceptDrops(True)
        self.status = QLabel()
        self.font_note = QLabel()
        self.font_note.setStyleSheet("color: #c01818;")
        self.unread_note = QLabel()  # what of the run could not be read, if anything
        self.unread_note.setStyleSheet("color: #c01818;")
        self.unread_note.hide()
        self.follow = QCheckBox()
        self.follow.setChecked(True)
        self.fit = QPushButton()
        self.replay = ReplayBar()
        self.setCentralWidget(self._center())
        self.scenario_dock = self._dock(
            self.panel, "scenario", Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.code_dock = self._dock(self.code, "code", Qt.DockWidgetArea.RightDockWidgetArea)
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.unread_note)
        self.statusBar().addPermanentWidget(self.font_note)
        self.files = FileActions(self)
        self.views = ViewActions(self)
        self.presentation = self.views.presentation
        self._menus()

    def _center(self) -> QWidget:
        top = QWidget()
        col = QVBoxLayout(top)
        col.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.follow)
        bar.addWidget(self.fit)
        bar.addSpacing(24)
        bar.addWidget(self.replay, 1)
        bar.addStretch(0)
        col.addLayout(bar)
        col.addWidget(self.banner)
        col.addWidget(self.explanation)
        col.addWidget(self.timeline, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.console, "")
        self.tabs.addTab(self.log, "")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        return split

    def _dock(self, widget: QWidget, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"{name}_dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(area, dock)
        return dock

    def _menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.open_action = QAction(self, shortcut=QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(lambda: self.open_script())
        self.rerun_action = QAction(self, shortcut=QKeySequence("Ctrl+R"))
        self.rerun_action.triggered.connect(self.rerun)
        self.file_menu.addAction(self.open_action)
        self.file_menu.addAction(self.rerun_action)
        self.file_menu.addSeparator()
        self.files.add_to(self.file_menu)
        self.run_menu = self.menuBar().addMenu("")
        self.run_action = QAction(self, shortcut=QKeySequence("F5"))
        self.stop_action = QAction(self, shortcut=QKeySequence("Shift+F5"))
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.run_menu.addAction(self.run_action)
        self.run_menu.addAction(self.stop_action)
        self.run_menu.addSeparator()
        self.run_menu.addAction(self.quit_action)
        self.view_menu = self.menuBar().addMenu("")
        self.explain_action = QAction(self, checkable=True, checked=True)
        self.explain_action.toggled.connect(self.explanation.set_wanted)
        self.view_menu.addAction(self.explain_action)
        self.language_menu = self.view_menu.addMenu("")
        # English / 简体中文, each named in its own language; switching takes effect at once
        self.language_actions = choices(self, self.language_menu, LANGUAGES, self.set_language)
        for lang, action in self.language_actions.items():
            action.setText(app_setup.LANGUAGE_NAMES[lang])
        self.views.add_to(self.view_menu)
        self.theme_actions = self.views.theme_actions
        self.presentation_action = self.views.presentation_action

    def retranslate(self) -> None:
        """Every text of the window in the current language; the run, view and input stay."""
        tr = texts.tr
        self.file_menu.setTitle(tr("&File"))
        self.open_action.setText(tr("Open script…"))
        self.rerun_action.setText(tr("Rerun"))
        self.run_menu.setTitle(tr("&Run"))
        self.run_action.setText(tr("Run"))
        self.stop_action.setText(tr("Stop"))
        self.quit_action.setText(tr("Quit"))
        self.view_menu.setTitle(tr("&View"))
        self.explain_action.setText(tr("What to notice (explanation above the timeline)"))
        self.language_menu.setTitle(tr("Language"))
        self.language_actions[app_setup.current_language()].setChecked(True)
        self.views.retranslate()
        self.files.retranslate()
        self.follow.setText(tr("Follow the run"))
        self.fit.setText(tr("Zoom to fit"))
        self.scenario_dock.setWindowTitle(tr("Scenario"))
        self.code_dock.setWindowTitle(tr("Code"))
        self.tabs.setTabText(0, tr("Console"))
        self.tabs.setTabText(1, tr("Event log"))
        for part in (self.panel, self.explanation, self.timeline, self.log, self.replay):
            part.retranslate()
        self.status.setText(self._status_text())
        self._show_unread()
        warning = app_setup.font_warning()
        self.font_note.setText(warning)
        self.font_note.setVisible(bool(warning))

    def set_language(self, lang: str) -> None:
        """Switch the language of the whole window now; nothing of the run is touched."""
        if lang != app_setup.current_language():
            app_setup.set_language(lang)
        self.retranslate()

    @property
    def theme(self) -> str:
        return self.views.theme

    def set_theme(self, name: str) -> None:
        self.views.set_theme(name)

    def reset_settings(self, ask: bool = False) -> None:
        self.views.reset_settings(ask)

    def _connect(self) -> None:
        self.panel.scenarioChosen.connect(self._scenario_chosen)
        self.panel.runClicked.connect(self.run_current)
        self.panel.stopClicked.connect(self.controller.stop)
        self.run_action.triggered.connect(self.run_current)
        self.stop_action.triggered.connect(self.controller.stop)
        self.controller.started.connect(self._run_started)
        self.controller.failed.connect(self._run_failed)
        self.controller.updated.connect(self._refresh)
        self.controller.finished.connect(self._run_finished)
        self.follow.toggled.connect(self.timeline.set_follow)
        self.timeline.followChanged.connect(self.follow.setChecked)
        self.fit.clicked.connect(self.timeline.zoom_to_fit)
        self.timeline.eventClicked.connect(self.log.select_event)
        self.log.eventSelected.connect(self._event_selected)
        self.replay.frame.connect(self._show_replay)

    # ---- actions --------------------------------------------------------------------------
    def _scenario_chosen(self, scenario: catalog.Scenario | None) -> None:
        if scenario is not None and not self.controller.running():
            self.code.show_code(scenario.source())
            self.explanation.show_scenario(scenario)

    def run_current(self) -> None:
        scenario = self.panel.current()
        if scenario is None:
            return
        try:
            values = self.panel.params.values()
        except catalog.ParamError as err:
            QMessageBox.warning(self, texts.tr("Bad parameter"), param_error_text(err))
            return
        method = self.panel.method.currentText()
        scale = self.panel.scale.value()
        self._starting, self._mode = scenario, "scenario"
        self.scripts.forget()
        code = self.controller.run_scenario(scenario, values, method, scale)
        self.code.show_code(code)
        self.meta = run_meta(
            scenario.title, method, scale, code, scenario=scenario.id, values=values
        )

    # ---- the user's own script -----------------------------------------------------------
    def open_script(self, path: str | None = None, args: list[str] | None = None) -> None:
        """Open a script (asking for it when no path is given), watch it and run it."""
        path = path or self.scripts.choose()
        if not path:
            return
        problem = script_problem(path)
        if problem:
            self.banner.show_message(problem, "error")
            return
        self.scripts.watch(path)
        self._mode, self._script_args = "script", list(args or [])
        self.run_script_file()

    def run_script_file(self) -> None:
        problem = script_problem(self.scripts.path or "")
        if problem:
            self.banner.show_message(problem, "error")
            return
        code = read_script(self.scripts.path)
        self.code.show_code(code)
        spec = self.scripts.spec(self.panel.method.currentText(), self.panel.scale.value())
        spec.args = list(self._script_args)
        self._starting = None
        self.controller.run_script(spec)
        name = os.path.basename(spec.script)
        self.meta = run_meta(name, spec.start_method, spec.time_scale, code, script=name)

    def rerun(self) -> None:
        self.banner.hide()
        if self._mode == "script" and self.scripts.path:
            self.run_script_file()
        else:
            self.run_current()

    def offer_rerun(self, name: str) -> None:
        text = texts.tr("{name} changed on disk.").format(name=name)
        self.banner.show_message(text, "info", texts.tr("Rerun"), self.rerun)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if dropped_script(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        path = dropped_script(event.mimeData().urls())
        if path:
            event.acceptProposedAction()
            self.open_script(path)

    def _show_run_problems(self) -> None:
        rec = self.controller.recording
        if rec is None or not rec.errors:
            return
        _kind, _pid, _ts, line, data = rec.errors[0]
        self.banner.show_message(run_error_text(data or {}, line), "error")
        self.code.highlight_line(line)

    def _run_failed(self, reason: str) -> None:
        """No process could be started (the system's process limit): say so, keep what is shown."""
        text = texts.tr("The run could not start: {reason}").format(reason=reason)
        self.banner.show_message(text, "error")

    def _run_started(self) -> None:
        if self.banner.kind in ("error", "limit") or self._mode == "script":
            self.banner.hide()
            self.banner.kind = ""
        # A scenario started by run_current is explained; any other run (a script) is not.
        self.explanation.show_scenario(self._starting)
        self._starting = None
        self.opened = None
        self.replay.unload()
        self._show(self.controller.recording)
        self.panel.set_running(True)
        self.status.setText(self._status_text())
        self._show_unread()
        self.files.update_enabled()
        settings.save_window(self)

    def _show(self, rec: Recording) -> None:
        self.timeline.set_recording(rec)
        self.log.log_model.set_recording(rec)
        self.console.reset()
        self.console.update_from(rec)

    def recording(self) -> Recording | None:
        """The whole recording on screen (a replay shows part of it): opened, or the run's."""
        return self.opened if self.opened is not None else self.controller.recording

    def show_recording(self, rec: Recording, meta: dict, path: str) -> None:
        """Show a recording read from ``path`` (any run is stopped), ready to replay."""
        self.controller.stop()
        self.banner.hide()
        self.opened, self.meta = rec, dict(meta, path=path)
        self.meta.setdefault("title", os.path.basename(path))
        scenario, code = show_scenario_of(meta, self.panel)
        self.explanation.show_scenario(scenario)
        self.code.show_code(code)
        self._show(rec)
        self.banner.kind = ""
        self._show_detail_limit(rec)
        self.timeline.zoom_to_fit()
        self.replay.load(rec)
        self.status.setText(self._status_text())
        self._show_unread()
        self.files.update_enabled()

    def _show_replay(self, rec: Recording, new: bool) -> None:
        if new or self.timeline.rec is not rec:
            self._show(rec)
            return
        self.timeline.refresh()
        self.log.log_model.grow()
        self.console.update_from(rec)

    def _refresh(self) -> None:
        rec = self.controller.recording
        if rec is None:
            return
        self.timeline.refresh()
        self.log.log_model.grow()
        self.console.update_from(rec)
        self.status.setText(self._status_text())
        self._show_unread()
        self._show_detail_limit(rec)

    def _show_detail_limit(self, rec: Recording) -> None:
        """Say on screen, once per run and then kept current, what a flood left out."""
        if not rec.summarised or self.banner.kind == "error":
            return
        if self.banner.kind == "limit":
            # closed by the teacher: stays closed for this run; open: its counts are brought up
            # to date once a second and at the end (a word-wrapped label laid out anew on every
            # tick put a flood's timer p99 over 50 ms; the status bar counts on every tick)
            due = time.monotonic() - self._limit_shown >= 1.0 or rec.end_ts is not None
            if not self.banner.isHidden() and due:
                self.banner.label.setText(texts.detail_limit_text(rec.summarised))
                self._limit_shown = time.monotonic()
            return
        self.banner.show_message(texts.detail_limit_text(rec.summarised), "limit")
        self._limit_shown = time.monotonic()

    def _run_finished(self) -> None:
        self.panel.set_running(False)
        self.status.setText(self._status_text())
        self._show_unread()
        if self.controller.recording is not None:
            self._show_detail_limit(self.controller.recording)
        self._show_run_problems()
        if self.controller.recording is not None:
            self.replay.load(self.controller.recording)

    def _show_unread(self) -> None:
        """Say in the status bar what of the recording on screen could not be read."""
        rec = self.recording()
        text = texts.unread_text(rec) if rec is not None else ""
        if text != self.unread_note.text():
            self.unread_note.setText(text)
        self.unread_note.setVisible(bool(text))

    def _status_text(self) -> str:
        session, rec = self.controller.session, self.recording()
        if rec is None:
            return ""
        counts = texts.tr("{n} processes, {e} events").format(
            n=len(rec.lanes), e=f"{len(rec.events):,}"
        )
        if rec.summarised:
            more = texts.tr("{n:,} more counted, not kept").format(n=rec.summarised_total)
            counts = f"{counts} ({more})"
        if self.opened is not None:
            name = os.path.basename(self.meta.get("path", ""))
            return texts.tr("Recording {name}: {counts}").format(name=name, counts=counts)
        if self.controller.running():
            return texts.tr("Running… {counts}").format(counts=counts)
        done = texts.tr("Stopped.") if session.stopped else texts.tr("Finished.")
        if session.exit_code is not None and not session.stopped:
            done += " " + texts.tr("Exit code {code}.").format(code=session.exit_code)
        return f"{done} {counts}"

    def _event_selected(self, index: int) -> None:
        rec = self.timeline.rec
        if rec is None or not (0 <= index < len(rec.events)):
            return
        self.timeline.highlight_event(index)
        self.code.highlight_line(rec.events.line(index))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.presentation.set_active(False)
        self.replay.unload()
        settings.save_window(self)
        self.controller.shutdown()
        super().closeEvent(event)
