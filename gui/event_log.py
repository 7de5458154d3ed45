"""The event log: every event of the run, one row each; selecting a row tells the others."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from gui import texts
from model.recording import Recording


class EventLogModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rec: Recording | None = None
        self._rows = 0

    def set_recording(self, rec: Recording | None) -> None:
        self.beginResetModel()
        self.rec, self._rows = rec, 0
        self.endResetModel()
        self.grow()

    def grow(self) -> None:
        """Show the events that arrived since the last call, as one insertion."""
        total = len(self.rec.events) if self.rec is not None else 0
        if total > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, total - 1)
            self._rows = total
            self.endInsertRows()

    def retranslate(self) -> None:
        """Headers and the event and detail columns in the current language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, 4))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (
            texts.tr("time (s)"),
            texts.tr("process"),
            texts.tr("event"),
            texts.tr("detail"),
            texts.tr("line"),
        )[section]

    def data(self, index: QModelIndex, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self.rec is None:
            return None
        kind, pid, ts, line, data = self.rec.event(index.row())
        col = index.column()
        if col == 0:
            return f"{(ts - self.rec.t0) / 1e9:.4f}"
        if col == 1:
            return f"{self.rec.lane_name(pid)} ({pid})"
        if col == 2:
            return texts.event_name(kind)
        if col == 3:
            names = {p: lane.name for p, lane in self.rec.lanes.items()}
            return texts.event_detail(kind, data, names)
        return str(line) if line else ""


class EventLog(QTableView):
    eventSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_model = EventLogModel(self)
        self.setModel(self.log_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.selectionModel().currentRowChanged.connect(self._row_changed)

    def retranslate(self) -> None:
        self.log_model.retranslate()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.eventSelected.emit(current.row())

    def select_event(self, index: int) -> None:
        if 0 <= index < self.log_model.rowCount():
            self.selectRow(index)
            self.scrollTo(self.log_model.index(index, 0))
