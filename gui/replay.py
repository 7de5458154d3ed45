"""Replay of a finished recording (opened from a file, or the run just ended): play/pause, speed
0.25×–4×, a scrub slider. The timeline is revealed as it grew live (model/replay.py); this bar
only moves the replay clock and says which Recording to show."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from gui import texts
from model.recording import Recording
from model.replay import Replay

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)
TICK_MS = 30
NS_PER_STEP = 1_000_000  # the slider moves in ms of recorded time, or coarser for a long run:
SLIDER_STEPS = 1_000_000_000  # a QSlider holds an int of 32 bits (a recording may span years)


class ReplayBar(QWidget):
    frame = Signal(object, bool)  # the Recording to show; True when it is a new one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.replay: Replay | None = None
        self._step = NS_PER_STEP
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._elapsed = QElapsedTimer()
        self._build()
        self.retranslate()
        self.hide()

    def _build(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.play_button = QPushButton()
        self.play_button.clicked.connect(self.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setMinimumWidth(240)
        self.slider.valueChanged.connect(self._scrubbed)
        self.time_label = QLabel()
        self.speed = QComboBox()
        for factor in SPEEDS:
            self.speed.addItem(f"{factor:g}×", factor)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        for widget in (self.heading, self.play_button, self.slider, self.time_label, self.speed):
            row.addWidget(widget, 1 if widget is self.slider else 0)

    def retranslate(self) -> None:
        self.heading.setText(texts.tr("Replay:"))
        self.play_button.setText(texts.tr("Pause") if self.playing() else texts.tr("Play"))
        self.play_button.setToolTip(texts.tr("Replay the recording as it grew live"))
        self.slider.setToolTip(texts.tr("Drag to move through the recording"))
        self.speed.setToolTip(texts.tr("Replay speed"))
        self._show_time()

    # ---- what is replayed -----------------------------------------------------------------
    def load(self, rec: Recording) -> None:
        """Offer a replay of ``rec`` (finished); the slider starts at its end, as it is shown."""
        self.pause()
        self.replay = Replay(rec)  # at its end: the recording as it is shown
        self._step = max(NS_PER_STEP, -(-self.replay.duration // SLIDER_STEPS))
        self._set_slider(self.replay.duration // self._step, self.replay.duration)
        self.show()
        self._show_time()

    def unload(self) -> None:
        self.pause()
        self.replay = None
        self.hide()

    # ---- playing --------------------------------------------------------------------------
    def playing(self) -> bool:
        return self._timer.isActive()

    def speed_factor(self) -> float:
        return float(self.speed.currentData())

    def set_speed(self, factor: float) -> None:
        self.speed.setCurrentIndex(SPEEDS.index(factor))

    def play(self) -> None:
        if self.replay is None:
            return
        if self.replay.at_end:
            self._seek(0)
        self._elapsed.start()
        self._timer.start()
        self.retranslate()

    def pause(self) -> None:
        self._timer.stop()
        self.retranslate()

    def toggle(self) -> None:
        self.pause() if self.playing() else self.play()

    def step(self, wall_ns: int) -> None:
        """Move on by ``wall_ns`` of wall time at the chosen speed (what each tick does)."""
        if self.replay is None:
            return
        rebuilt = self.replay.advance(int(wall_ns * self.speed_factor()))
        self._set_slider(self.replay.position // self._step, self.replay.duration)
        self.frame.emit(self.replay.rec, rebuilt)
        self._show_time()
        if self.replay.at_end:
            self.pause()

    def _tick(self) -> None:
        self.step(self._elapsed.nsecsElapsed())
        self._elapsed.restart()

    def _scrubbed(self, value: int) -> None:
        self._seek(value * self._step)

    def _seek(self, position: int) -> None:
        if self.replay is None:
            return
        rebuilt = self.replay.seek_position(position)
        self._set_slider(self.replay.position // self._step, self.replay.duration)
        self.frame.emit(self.replay.rec, rebuilt)
        self._show_time()

    def _set_slider(self, value: int, duration: int) -> None:
        blocked = self.slider.blockSignals(True)
        self.slider.setRange(0, max(duration // self._step, 0))
        self.slider.setValue(value)
        self.slider.blockSignals(blocked)

    def _show_time(self) -> None:
        r = self.replay
        if r is None:
            self.time_label.clear()
            return
        self.time_label.setText(
            texts.tr("{now:.2f} / {total:.2f} s").format(
                now=r.position / 1e9, total=r.duration / 1e9
            )
        )
