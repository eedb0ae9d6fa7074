"""Opening the desk before the first window: off the GUI thread, with a progress dialog only
when it takes long, and the upgrade announced at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from desk_app.app import local_desk
from desk_app.client.local import LocalDesk
from desk_app.errors import StorageError
from desk_app.ui.opening import open_with_progress
from desk_app.ui.tasks import Tasks


def _dialogs() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]


def _visible_texts() -> list[str]:
    return [d.labelText() for d in _dialogs() if d.isVisible()]


def test_a_quick_open_shows_nothing(tmp_path: Path, qtbot: QtBot, tasks: Tasks) -> None:
    seen: list[list[str]] = []
    threads: list[str] = []

    def open_desk(_upgrading: Callable[[], None]) -> LocalDesk:
        threads.append(threading.current_thread().name)
        return local_desk(tmp_path)

    desk = open_with_progress(open_desk, tasks, show_after_ms=5_000)
    seen.append(_visible_texts())
    assert isinstance(desk, LocalDesk)
    assert threads and threads[0] != threading.main_thread().name  # not on the GUI thread
    assert seen == [[]]


def test_a_slow_open_shows_a_busy_dialog_then_closes_it(qtbot: QtBot, tasks: Tasks) -> None:
    release = threading.Event()
    shown: list[list[str]] = []

    def open_desk(_upgrading: Callable[[], None]) -> str:
        release.wait(10)
        return "desk"

    def watch() -> None:
        shown.append(_visible_texts())
        release.set()

    QTimer.singleShot(400, watch)  # after show_after_ms: the dialog is up while it opens
    assert open_with_progress(open_desk, tasks, show_after_ms=100) == "desk"  # type: ignore[arg-type]
    assert shown == [["正在打开工作台…"]]
    assert _visible_texts() == []


def test_an_upgrade_is_announced_at_once(qtbot: QtBot, tasks: Tasks) -> None:
    release = threading.Event()
    shown: list[list[str]] = []

    def open_desk(upgrading: Callable[[], None]) -> str:
        upgrading()
        release.wait(10)
        return "desk"

    def watch() -> None:
        shown.append(_visible_texts())
        release.set()

    QTimer.singleShot(300, watch)  # long before show_after_ms
    assert open_with_progress(open_desk, tasks, show_after_ms=60_000) == "desk"  # type: ignore[arg-type]
    assert len(shown) == 1 and len(shown[0]) == 1
    assert shown[0][0].startswith("正在升级数据库，请勿关闭。")


def test_what_the_opening_raised_is_raised_on_the_gui_thread(qtbot: QtBot, tasks: Tasks) -> None:
    def open_desk(_upgrading: Callable[[], None]) -> LocalDesk:
        raise StorageError("数据库文件已损坏")

    with pytest.raises(StorageError, match="已损坏"):
        open_with_progress(open_desk, tasks, show_after_ms=60_000)
    assert _visible_texts() == []
