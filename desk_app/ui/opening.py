"""Opening the desk before the first window: off the GUI thread, with a progress dialog when
it takes long (a database upgrade of a large desk takes tens of seconds)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog

from desk_app.client.port import Desk
from desk_app.ui.i18n import tr
from desk_app.ui.tasks import Tasks

# A desk that opens within this time shows nothing: the usual start stays a sign-in dialog.
SHOW_AFTER_MS = 600

# What opens the desk; it calls its argument (from any thread) when it starts upgrading the
# database, which the user is then told about at once.
OpenDesk = Callable[[Callable[[], None]], Desk]


class _Upgrading(QObject):
    started = Signal()


def open_with_progress(
    open_desk: OpenDesk, tasks: Tasks, *, show_after_ms: int = SHOW_AFTER_MS
) -> Desk:
    """The opened desk; what `open_desk` raised is raised here, on the GUI thread."""
    dialog = QProgressDialog(tr("正在打开工作台…"), "", 0, 0)
    dialog.setWindowTitle(tr("卡盟工单工作台"))
    dialog.setCancelButton(None)  # an upgrade half done must not be interrupted from here
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumWidth(420)
    dialog.hide()  # shown by the timer below or by an upgrade, not on its own
    upgrading = _Upgrading(dialog)  # lives on the GUI thread: the signal arrives there

    def tell_upgrading() -> None:
        dialog.setLabelText(
            tr("正在升级数据库，请勿关闭。\n较大的数据库需要几十秒；升级前已自动备份。")
        )
        dialog.show()

    upgrading.started.connect(tell_upgrading)
    # QProgressDialog's own minimumDuration counts only from a setValue, which a busy dialog
    # never gets.
    timer = QTimer(dialog)
    timer.setSingleShot(True)
    timer.timeout.connect(dialog.show)
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(desk: Desk) -> None:
        outcome["desk"] = desk
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    tasks.run(lambda: open_desk(upgrading.started.emit), done, failed)
    timer.start(show_after_ms)
    if not outcome:  # results arrive through the event loop, so only once it runs
        loop.exec()
    timer.stop()
    dialog.hide()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    desk: Desk = outcome["desk"]
    return desk
