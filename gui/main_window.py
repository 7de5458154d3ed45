"""The window: scenarios on the left, the live timeline in the middle, code on the right,
console and event log below. It wires the panels together; each panel owns its own work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
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

from gui import texts
from gui.code_panel import CodePanel
from gui.console_panel import ConsolePanel
from gui.event_log import EventLog
from gui.run_controller import RunController
from gui.scenario_panel import ScenarioPanel, param_error_text
from gui.timeline_view import TimelineView
from model import catalog


class MainWindow(QMainWindow):
    def __init__(self, scenarios: list[catalog.Scenario] | None = None) -> None:
        super().__init__()
        self.setWindowTitle("mpscope")
        self.controller = RunController(self)
        self.scenarios = scenarios if scenarios is not None else catalog.discover()
        self._build()
        self._connect()
        self.resize(1600, 900)
        self._scenario_chosen(self.panel.current())

    # ---- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.panel = ScenarioPanel(self.scenarios)
        self.timeline = TimelineView()
        self.code = CodePanel()
        self.code.setMinimumWidth(440)
        self.panel.setMinimumWidth(360)
        self.console = ConsolePanel()
        self.log = EventLog()
        self.status = QLabel()
        self.follow = QCheckBox(texts.tr("Follow the run"))
        self.follow.setChecked(True)
        self.fit = QPushButton(texts.tr("Zoom to fit"))
        self.setCentralWidget(self._center())
        self._dock(self.panel, texts.tr("Scenario"), Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock(self.code, texts.tr("Code"), Qt.DockWidgetArea.RightDockWidgetArea)
        self.statusBar().addWidget(self.status, 1)
        self._menus()

    def _center(self) -> QWidget:
        top = QWidget()
        col = QVBoxLayout(top)
        col.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.follow)
        bar.addWidget(self.fit)
        bar.addStretch(1)
        col.addLayout(bar)
        col.addWidget(self.timeline, 1)
        tabs = QTabWidget()
        tabs.addTab(self.console, texts.tr("Console"))
        tabs.addTab(self.log, texts.tr("Event log"))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        return split

    def _dock(self, widget: QWidget, title: str, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(area, dock)

    def _menus(self) -> None:
        run_menu = self.menuBar().addMenu(texts.tr("&Run"))
        self.run_action = QAction(texts.tr("Run"), self, shortcut=QKeySequence("F5"))
        self.stop_action = QAction(texts.tr("Stop"), self, shortcut=QKeySequence("Shift+F5"))
        run_menu.addAction(self.run_action)
        run_menu.addAction(self.stop_action)
        quit_action = QAction(texts.tr("Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        run_menu.addSeparator()
        run_menu.addAction(quit_action)

    def _connect(self) -> None:
        self.panel.scenarioChosen.connect(self._scenario_chosen)
        self.panel.runClicked.connect(self.run_current)
        self.panel.stopClicked.connect(self.controller.stop)
        self.run_action.triggered.connect(self.run_current)
        self.stop_action.triggered.connect(self.controller.stop)
        self.controller.started.connect(self._run_started)
        self.controller.updated.connect(self._refresh)
        self.controller.finished.connect(self._run_finished)
        self.follow.toggled.connect(self.timeline.set_follow)
        self.timeline.followChanged.connect(self.follow.setChecked)
        self.fit.clicked.connect(self.timeline.zoom_to_fit)
        self.timeline.eventClicked.connect(self.log.select_event)
        self.log.eventSelected.connect(self._event_selected)

    # ---- actions --------------------------------------------------------------------------
    def _scenario_chosen(self, scenario: catalog.Scenario | None) -> None:
        if scenario is not None and not self.controller.running():
            self.code.show_code(scenario.source())

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
        code = self.controller.run_scenario(scenario, values, method, scale)
        self.code.show_code(code)

    def _run_started(self) -> None:
        rec = self.controller.recording
        self.timeline.set_recording(rec)
        self.log.log_model.set_recording(rec)
        self.console.reset()
        self.panel.set_running(True)
        self.status.setText(texts.tr("Running…"))

    def _refresh(self) -> None:
        rec = self.controller.recording
        if rec is None:
            return
        self.timeline.refresh()
        self.log.log_model.grow()
        self.console.update_from(rec)
        self.status.setText(
            texts.tr("Running… {n} processes, {e} events").format(
                n=len(rec.lanes), e=len(rec.events)
            )
        )

    def _run_finished(self) -> None:
        self.panel.set_running(False)
        session = self.controller.session
        rec = self.controller.recording
        stopped = session is not None and session.stopped
        text = texts.tr("Stopped.") if stopped else texts.tr("Finished.")
        if rec is not None:
            text += " " + texts.tr("{n} processes, {e} events").format(
                n=len(rec.lanes), e=len(rec.events)
            )
        self.status.setText(text)

    def _event_selected(self, index: int) -> None:
        rec = self.controller.recording
        if rec is None or not (0 <= index < len(rec.events)):
            return
        self.timeline.highlight_event(index)
        self.code.highlight_line(rec.events[index][3])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.controller.shutdown()
        super().closeEvent(event)
