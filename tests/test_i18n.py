"""Two languages: every string the user reads has a Chinese translation, the compiled .qm matches
the .ts, the window switches language without losing its run, pictures come out in Chinese."""

from __future__ import annotations

import os
import re
import string

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QLabel, QMenu, QWidget

from gui import app_setup
from gui.app_setup import ensure_app
from tests.helpers import alive
from tools import update_translations as ut

FIX_HINT = "translate it in resources/i18n/mpscope_zh_CN.ts, then run tools/update_translations.py"


@pytest.fixture(scope="session")
def qapp():
    return ensure_app()


@pytest.fixture(autouse=True)
def back_to_english(qapp):
    """Each test starts and ends in English, whatever it switched to."""
    app_setup.set_language("en")
    yield
    app_setup.set_language("en")


@pytest.fixture
def window(qtbot):
    from gui.main_window import MainWindow

    ensure_app("zh_CN")
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.controller.shutdown()


def _translations() -> dict[str, ut.Entry]:
    return ut.read_ts(ut.TS_PATH)


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


# ---- the .ts and .qm files --------------------------------------------------------------------
def test_every_tr_string_in_gui_has_a_finished_translation():
    ts = _translations()
    strings = ut.gui_strings()
    assert len(strings) > 80, "the ast scan should find the tr() strings of gui/"
    missing = [e.source for e in strings if not (e.source in ts and ts[e.source].finished)]
    assert not missing, f"no Chinese for {missing}: {FIX_HINT}"
    empty = [e.source for e in strings if not ts[e.source].translation.strip()]
    assert not empty, f"empty translation for {empty}"


def test_every_scenario_title_explanation_and_parameter_has_a_finished_translation():
    ts = _translations()
    missing = [
        f"{e.note}: {e.source!r}"
        for e in ut.scenario_strings()
        if not (e.source in ts and ts[e.source].finished and ts[e.source].translation.strip())
    ]
    assert not missing, f"no Chinese for {missing}: {FIX_HINT}"


def test_translations_keep_every_placeholder_and_line_break():
    for e in _translations().values():
        if e.finished:
            assert _fields(e.translation) == _fields(e.source), (e.source, e.translation)
            assert e.translation.count("\n") == e.source.count("\n"), e.source


def test_scenario_explanations_use_the_lessons_words():
    ts = _translations()
    by_id = {
        e.note.rsplit(" ", 1)[-1]: e.source
        for e in ut.scenario_strings()
        if "explanation" in e.note
    }
    expect = {
        "process-basics": "parent a= 1",
        "zombie": "僵尸进程",
        "pool-apply-sync": "效率较低",
        "queue-producer-consumer": "阻塞在 put()",
        "pipe-children-to-parent": "管道",
    }
    for sid, words in expect.items():
        assert words in ts[by_id[sid]].translation, sid


def test_the_qm_file_is_compiled_from_the_ts_file():
    """Every finished translation in the .ts comes out of the shipped .qm (no stale .qm)."""
    translator = QTranslator()
    assert translator.load(ut.QM_PATH), f"cannot load {ut.QM_PATH}"
    assert translator.translate("mpscope", "Run") == "运行"
    stale = [
        e.source
        for e in _translations().values()
        if e.finished and translator.translate("mpscope", e.source) != e.translation
    ]
    assert not stale, f"{len(stale)} strings differ from the .ts: run tools/update_translations.py"


def test_lrelease_gives_the_shipped_qm_byte_for_byte(tmp_path):
    if ut.lrelease() is None:
        pytest.skip("pyside6-lrelease not installed")
    out = tmp_path / "check.qm"
    ut.compile_qm(ut.TS_PATH, str(out))
    with open(ut.QM_PATH, "rb") as shipped:
        assert out.read_bytes() == shipped.read(), "run tools/update_translations.py"


def test_the_tool_reads_literal_tr_calls_and_keeps_translations(tmp_path):
    src = tmp_path / "x.py"
    src.write_text(
        'from gui.texts import tr\nA = tr("Run")\nB = texts.tr("new {n}")\nC = tr(name)\n'
    )
    literals, dynamic = ut.tr_calls(str(src))
    assert [text for text, _line in literals] == ["Run", "new {n}"]
    assert dynamic == [4]
    merged = ut.merge(
        {"Run": ut.Entry("Run", "运行", True), "gone": ut.Entry("gone", "没了", True)},
        [ut.Entry("Run"), ut.Entry("new {n}")],
        drop_vanished=False,
    )
    assert [(e.source, e.translation, e.finished, e.vanished) for e in merged] == [
        ("Run", "运行", True, False),
        ("new {n}", "", False, False),
        ("gone", "没了", False, True),
    ]
    assert 'type="unfinished"' in ut.ts_text(merged) and 'type="vanished"' in ut.ts_text(merged)


# ---- choosing and installing the language -----------------------------------------------------
class _Locale:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


@pytest.mark.parametrize(
    ("system", "lang"), [("zh_CN", "zh_CN"), ("zh_TW", "zh_CN"), ("de_DE", "en"), ("C", "en")]
)
def test_without_lang_the_system_locale_decides(monkeypatch, system, lang):
    class FakeQLocale:
        @staticmethod
        def system() -> _Locale:
            return _Locale(system)

    monkeypatch.setattr(app_setup, "QLocale", FakeQLocale)
    assert app_setup.resolve_language(None) == lang
    assert app_setup.resolve_language("en") == "en"


def test_qt_own_dialog_texts_are_translated_too():
    from PySide6.QtCore import QCoreApplication

    ensure_app("zh_CN")
    assert app_setup.current_language() == "zh_CN"
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "确定"
    ensure_app("en")
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "OK"


# ---- the window -------------------------------------------------------------------------------
def _plain(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ")
    return [line.strip(" ■○▶●✕★▼◆") for line in text.split("\n")]


def _english_left(w: QWidget) -> list[str]:
    """Texts on screen that are an English source whose translation differs."""
    english = {
        e.source for e in _translations().values() if e.finished and e.translation != e.source
    }
    english |= {e.source.replace("&", "") for e in _translations().values() if "&" in e.source}
    shown = [w.windowTitle()]
    for child in w.findChildren(QWidget):
        if child.isHidden():  # e.g. legend labels of the language before, on their way out
            continue
        shown.append(child.toolTip())
        if isinstance(child, (QLabel, QAbstractButton)):
            shown.append(child.text())
        if isinstance(child, (QDockWidget, QMenu)):
            shown.append(child.windowTitle() if isinstance(child, QDockWidget) else child.title())
    shown += [a.text() for a in w.findChildren(QMenu) for a in a.actions()]
    shown += [w.tabs.tabText(i) for i in range(w.tabs.count())]
    shown += [w.panel.list.item(i).text() for i in range(w.panel.list.count())]
    model = w.log.log_model
    shown += [model.headerData(i, 1, 0) for i in range(model.columnCount())]
    shown.append(w.timeline.plot.getPlotItem().getAxis("bottom").labelText)
    return sorted({line for text in shown for line in _plain(text or "") if line in english})


def test_with_lang_zh_cn_the_window_is_chinese(window):
    assert window.panel.run_button.text() == "运行"
    assert window.panel.stop_button.text() == "停止"
    assert window.run_menu.title() == "运行(&R)"
    assert window.language_actions["zh_CN"].isChecked()
    assert window.panel.select("process-basics")
    assert "parent a= 1" in window.explanation.text() and "注意观察" in window.explanation.text()
    assert _english_left(window) == []


def test_switching_language_keeps_the_run_and_what_was_typed(window, qtbot):
    panel = window.panel
    assert panel.select("custom-process-class")
    panel.params.set_text("VALUE", "0.1")
    panel.params.set_text("TICKS", "20")
    panel.method.setCurrentText("fork")
    panel.run_button.click()
    qtbot.waitUntil(lambda: len(window.controller.recording.lanes) >= 2, timeout=10_000)
    rec = window.controller.recording
    qtbot.waitUntil(lambda: "ClockProcess" in window.console.toPlainText(), timeout=10_000)
    seen = len(rec.events)
    pids = list(rec.lanes)

    window.language_actions["en"].trigger()

    assert app_setup.current_language() == "en"
    assert panel.run_button.text() == "Run"
    assert window.controller.running(), "the run goes on"
    assert window.controller.recording is rec and window.timeline.rec is rec
    assert len(rec.events) >= seen and window.log.log_model.rowCount() >= seen
    assert "ClockProcess" in window.console.toPlainText()
    assert panel.current().id == "custom-process-class"
    assert panel.params.texts() == {"VALUE": "0.1", "TICKS": "20"}
    assert panel.method.currentText() == "fork"
    assert window.status.text().startswith("Running")
    assert "subclass Process" in window.explanation.text()

    window.language_actions["zh_CN"].trigger()
    assert panel.run_button.text() == "运行"
    assert _english_left(window) == []
    assert window.status.text().startswith("运行中")
    panel.stop_button.click()
    qtbot.waitUntil(lambda: not any(alive(pid) for pid in pids), timeout=3_000)
    assert window.status.text().startswith("已停止")
    assert len(rec.events) > seen, "what was recorded stays"


def test_without_a_chinese_font_the_window_says_how_to_get_one(window, monkeypatch):
    assert not window.font_note.isVisible() or app_setup.cjk_family() is None
    monkeypatch.setattr(app_setup, "cjk_family", lambda: None)
    window.retranslate()
    assert window.font_note.isVisible()
    assert "fonts-noto-cjk" in window.font_note.text()
    window.set_language("en")
    assert not window.font_note.isVisible(), "English needs no Chinese font"


# ---- pictures ---------------------------------------------------------------------------------
def test_a_chinese_font_is_found_by_its_glyphs():
    from PySide6.QtGui import QFont

    family = app_setup.cjk_family()
    if family is None:
        pytest.skip("no CJK font on this machine (apt install fonts-wqy-microhei)")
    assert app_setup.has_cjk_glyphs(QFont(family))
    assert family in ensure_app().font().families()


def test_export_png_with_lang_zh_cn(tmp_path, capsys):
    from control.cli import main
    from gui.picture_export import title_text
    from model.recording import Recording

    out = tmp_path / "basics.png"
    argv = [
        "--scenario",
        "process-basics",
        "--set",
        "CHILD_SLEEP=0.1",
        "--set",
        "PARENT_SLEEP=0.05",
    ]
    rc = main(argv + ["--start-method", "fork", "--export", str(out), "--lang", "zh_CN"])
    assert rc == 0, capsys.readouterr().err
    assert app_setup.current_language() == "en", "the app's own language is given back"
    image = QImage(str(out))
    assert image.width() == 1920 and image.height() > 300
    ensure_app("zh_CN")
    meta = {"title": "Process basics: memory is not shared", "start_method": "fork"}
    title = title_text(meta, Recording())
    assert title.startswith("创建进程：父子进程不共享内存 · 启动方式：fork")
    slow = title_text({**meta, "time_scale": 3.0}, Recording())
    assert slow.endswith(" · 时间倍率 ×3")
    if app_setup.cjk_family() is not None:
        assert "No Chinese font" not in capsys.readouterr().err


def test_export_without_a_chinese_font_says_so_on_one_stderr_line(tmp_path, capsys, monkeypatch):
    from gui.picture_export import export_picture
    from model.recording import Recording

    monkeypatch.setattr(app_setup, "cjk_family", lambda: None)
    rec = Recording(t0=0)
    rec.add([("started", 10, 0, 0, {"name": "MainProcess"})])
    export_picture(
        rec, str(tmp_path / "x.png"), 800, {"title": "", "start_method": "fork"}, "zh_CN"
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "fonts-noto-cjk" in err[0] and err[0].startswith("mpscope: warning:")
    assert os.path.exists(tmp_path / "x.png")
