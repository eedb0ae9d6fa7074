"""The error path's bug dialog: what happened and where the log is, then gone when closed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desk_app.ui.errors import ErrorPath


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def test_a_bug_is_shown_with_its_log_and_the_dialog_goes_when_closed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    errors = ErrorPath(tmp_path / "desk.log")
    before = set(map(id, _boxes()))
    errors.report(RuntimeError("索引越界"))  # from any thread; delivered on the GUI thread
    qtbot.waitUntil(lambda: any(b.isVisible() for b in _boxes()), timeout=5_000)
    (box,) = [b for b in _boxes() if id(b) not in before and b.isVisible()]
    assert box.windowTitle() == "程序出错"
    assert str(tmp_path / "desk.log") in box.informativeText()
    assert "RuntimeError: 索引越界" in box.detailedText()
    box.close()
    qtbot.waitUntil(lambda: not [b for b in _boxes() if id(b) not in before], timeout=5_000)


def test_a_bug_dialog_over_the_window_is_destroyed_when_closed(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    errors = ErrorPath(None)
    errors.parent_widget = window
    errors.report(ValueError("坏数据"))
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)), timeout=5_000)
    (box,) = window.findChildren(QMessageBox)
    assert "（日志文件不可用）" in box.informativeText()
    box.close()
    qtbot.waitUntil(lambda: not window.findChildren(QMessageBox), timeout=5_000)
