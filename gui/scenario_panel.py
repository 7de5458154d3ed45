"""Choosing what to run: the scenario list, its parameter form, the start method, Run and Stop."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from control.session import DEFAULT_START_METHOD, START_METHODS
from gui import texts
from model import catalog


class ParamForm(QWidget):
    """One field per parameter, checked as typed; a bad value is named in red and blocks Run."""

    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form = QFormLayout(self)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._fields: dict[str, QLineEdit] = {}
        self._params: dict[str, catalog.Param] = {}
        self.message = QLabel()
        self.message.setStyleSheet("color: #c01818;")
        self.message.setWordWrap(True)

    def set_params(self, params: tuple[catalog.Param, ...]) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self._fields, self._params = {}, {p.name: p for p in params}
        for p in params:
            field = QLineEdit(_text(p.value))
            field.textChanged.connect(self._check)
            self._form.addRow(p.name, field)
            self._fields[p.name] = field
        self.message = QLabel()
        self.message.setStyleSheet("color: #c01818;")
        self.message.setWordWrap(True)
        self._form.addRow(self.message)
        self.retranslate()

    def retranslate(self) -> None:
        """Tooltips and the error message in the current language; typed values stay."""
        for name, field in self._fields.items():
            field.setToolTip(_hint(self._params[name]))
        self._check()

    def texts(self) -> dict[str, str]:
        """What is typed in each field, as typed (valid or not)."""
        return {name: field.text() for name, field in self._fields.items()}

    def set_text(self, name: str, text: str) -> None:
        self._fields[name].setText(text)

    def values(self) -> dict[str, int | float | bool]:
        """The typed values; raises catalog.ParamError for the first bad one."""
        return {n: catalog.parse_value(self._params[n], f.text()) for n, f in self._fields.items()}

    def _check(self) -> None:
        problems = []
        for name, field in self._fields.items():
            try:
                catalog.parse_value(self._params[name], field.text())
                field.setStyleSheet("")
            except catalog.ParamError as err:
                field.setStyleSheet("border: 2px solid #c01818;")
                problems.append(param_error_text(err))
        self.message.setText("\n".join(problems))
        self.message.setVisible(bool(problems))
        self.validityChanged.emit(not problems)


def param_error_text(err: catalog.ParamError) -> str:
    p = err.param
    if err.code == "not_a_number":
        return texts.tr("{name}: “{value}” is not a number").format(name=err.name, value=err.value)
    if err.code == "not_bool":
        return texts.tr("{name}: “{value}” is not true or false").format(
            name=err.name, value=err.value
        )
    if err.code == "out_of_range" and p is not None:
        return texts.tr("{name}: {value} is outside {low} … {high}").format(
            name=err.name, value=err.value, low=_text(p.low), high=_text(p.high)
        )
    return texts.tr("unknown parameter {name}").format(name=err.name)


def _text(value: float | bool | None) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if value >= 1000 else str(value)
    return str(value)


def _width(ch: str) -> int:
    """Chinese characters take about twice the room of Latin ones."""
    return 2 if ord(ch) >= 0x2E80 else 1


def first_sentence(text: str, limit: int = 70) -> str:
    """The first sentence (English or Chinese), cut with … to about ``limit`` Latin letters."""
    sentence = text.split(". ")[0].split("。")[0].rstrip(".")
    out, used = "", 0
    for ch in sentence:
        used += _width(ch)
        if used > limit - 1:
            return out + "…"
        out += ch
    return out


def _hint(p: catalog.Param) -> str:
    doc = texts.scenario_text(p.doc)
    if p.kind is bool:
        return doc
    return f"{doc} [{_text(p.low)} … {_text(p.high)}]"


class ScenarioPanel(QWidget):
    scenarioChosen = Signal(object)  # catalog.Scenario
    runClicked = Signal()
    stopClicked = Signal()

    def __init__(self, scenarios: list[catalog.Scenario], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenarios = scenarios
        self._build()
        self.list.setCurrentRow(0)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        for s in self.scenarios:
            item = QListWidgetItem()
            item.setToolTip(s.id)
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.list.addItem(item)
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._chosen)
        self.params = ParamForm()
        self.params.validityChanged.connect(self._validity)
        self.method = QComboBox()
        self.method.addItems(list(START_METHODS))
        self.method.setCurrentText(DEFAULT_START_METHOD)
        self.scale = QDoubleSpinBox()
        self.scale.setRange(0.05, 10.0)
        self.scale.setSingleStep(0.25)
        self.scale.setValue(1.0)
        self.scale.setSuffix(" ×")
        self.run_button = QPushButton()
        self.stop_button = QPushButton()
        self.stop_button.setEnabled(False)
        self.run_button.clicked.connect(self.runClicked)
        self.stop_button.clicked.connect(self.stopClicked)
        self._heads = {key: QLabel() for key in ("scenarios", "params", "method", "scale")}
        self._lay_out(layout)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the panel in the current language; selection and typed values stay."""
        for row, s in enumerate(self.scenarios):
            title = texts.scenario_text(s.title)
            summary = first_sentence(texts.scenario_text(s.summary))
            self.list.item(row).setText(f"{title}\n    {summary}")
        self._heads["scenarios"].setText(texts.tr("Scenarios"))
        self._heads["params"].setText(texts.tr("Parameters"))
        self._heads["method"].setText(texts.tr("Start method"))
        self._heads["scale"].setText(texts.tr("Time scale"))
        self.scale.setToolTip(
            texts.tr(
                "Multiplies every sleep and timeout of the program: below 1 faster, above 1 slow motion"
            )
        )
        self.method.setToolTip(texts.tr("How multiprocessing starts the child processes"))
        self.run_button.setText(texts.tr("Run"))
        self.stop_button.setText(texts.tr("Stop"))
        self.params.retranslate()

    def _lay_out(self, layout: QVBoxLayout) -> None:
        layout.addWidget(self._heads["scenarios"])
        layout.addWidget(self.list, 2)
        layout.addWidget(self._heads["params"])
        layout.addWidget(self.params)
        row = QHBoxLayout()
        row.addWidget(self._heads["method"])
        row.addWidget(self.method, 1)
        layout.addLayout(row)
        scale_row = QHBoxLayout()
        scale_row.addWidget(self._heads["scale"])
        scale_row.addWidget(self.scale, 1)
        layout.addLayout(scale_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def current(self) -> catalog.Scenario | None:
        row = self.list.currentRow()
        return self.scenarios[row] if 0 <= row < len(self.scenarios) else None

    def select(self, sid: str) -> bool:
        for row, s in enumerate(self.scenarios):
            if s.id == sid:
                self.list.setCurrentRow(row)
                return True
        return False

    def _chosen(self, row: int) -> None:
        s = self.current()
        if s is None:
            return
        self.params.set_params(s.params)
        self.scenarioChosen.emit(s)

    def _validity(self, ok: bool) -> None:
        self.run_button.setEnabled(ok)

    def set_running(self, running: bool) -> None:
        self.stop_button.setEnabled(running)
