"""One path for every error: user errors inline in the window, bugs in a dialog with the log.

Errors the user can act on (DeskError: validation, conflict, offline, permission, storage) are
shown in the window's message bar. Anything else is a bug: a dialog shows what happened and
where the log is, and the app keeps running.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desk_app.errors import DeskError
from desk_app.ui.i18n import tr

log = logging.getLogger(__name__)


class ErrorPath(QObject):
    # Errors may be raised in any thread; the signal brings them to the GUI thread.
    _arrived = Signal(object)

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.show_user_error: Callable[[DeskError], None] = self._dialog_for_user_error
        self.parent_widget: QWidget | None = None
        # Bug dialogs on screen. One without a parent (no window yet, or the app not active)
        # would be destroyed with its last Python reference, the moment show_bug returned.
        self._open: set[QMessageBox] = set()
        self._arrived.connect(self._handle)

    def install(self) -> None:
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook

    def detach(self) -> None:
        """Let go of the window (when the app ends): it is freed, not kept alive from here."""
        self.parent_widget = None
        self.show_user_error = self._dialog_for_user_error

    def report(self, exc: BaseException) -> None:
        self._arrived.emit(exc)

    def _excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        self.report(exc)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.report(args.exc_value)

    def _handle(self, exc: BaseException) -> None:
        if isinstance(exc, DeskError):
            log.info("user error: %s", exc.message)
            self.show_user_error(exc)
            return
        text = "".join(traceback.format_exception(exc))
        log.error("unexpected error\n%s", text)
        self.show_bug(text)

    def show_bug(self, details: str) -> None:
        box = QMessageBox(self.parent_widget or QApplication.activeWindow())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # destroyed once it is read
        self._open.add(box)
        box.finished.connect(lambda _result: self._open.discard(box))
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(tr("程序出错"))
        where = str(self.log_path) if self.log_path else tr("（日志文件不可用）")
        box.setText(tr("发生了一个意外错误。你的数据已保存；请把日志发给技术支持。"))
        box.setInformativeText(tr("日志文件：") + where)
        box.setDetailedText(details)
        box.open()

    def _dialog_for_user_error(self, exc: DeskError) -> None:
        QMessageBox.warning(
            self.parent_widget or QApplication.activeWindow(), tr("提示"), exc.message
        )
