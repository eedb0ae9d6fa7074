"""Starting the window: the application, translations, the error path, sign-in, the main window."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from desk_app.errors import DeskError
from desk_app.ui.errors import ErrorPath
from desk_app.ui.i18n import install_translators, remove_translators, tr
from desk_app.ui.main_window import MainWindow
from desk_app.ui.opening import OpenDesk, open_with_progress
from desk_app.ui.signin import SignInDialog
from desk_app.ui.tasks import Tasks

# For the frozen-build check and the start-up benchmark: sign in as this user, paint the queue
# once, print a line and quit.
SMOKE_ENV = "DESK_SMOKE_EXIT"
SMOKE_LOGIN_ENV = "DESK_SMOKE_LOGIN"


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("desk_app")
    app.setOrganizationName("desk_app")
    font = QFont()
    # Windows has these; elsewhere Qt falls back to what fontconfig offers (Noto CJK here).
    font.setFamilies(["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "PingFang SC"])
    font.setPointSize(10)
    app.setFont(font)
    return app


def run_gui(open_desk: OpenDesk, *, log_path: Path | None) -> int:
    app = application()
    translators = install_translators(app)
    try:
        return _run(app, open_desk, log_path)
    finally:
        # The application outlives this call when it is not the process's last (the tests).
        remove_translators(app, translators)


def _run(app: QApplication, open_desk: OpenDesk, log_path: Path | None) -> int:
    errors = ErrorPath(log_path, app)
    errors.install()
    tasks = Tasks(app)
    tasks.default_error = errors.report
    try:
        desk = open_with_progress(open_desk, tasks)
    except DeskError as exc:
        QMessageBox.critical(None, tr("无法打开工作台"), exc.message)
        return 2
    smoke = os.environ.get(SMOKE_ENV) == "1"
    if smoke:
        desk.sign_in(os.environ.get(SMOKE_LOGIN_ENV, "admin"))
    else:
        dialog = SignInDialog(desk, tasks)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        _destroy(dialog)
        del dialog
        if not accepted:
            return 0
    window = MainWindow(desk, tasks)
    errors.parent_widget = window
    errors.show_user_error = window.show_user_error
    window.show()
    if smoke:
        announced = False

        def painted() -> None:
            # Once: results delivered on the way out load pages too, and a second quit would
            # reach whatever event loop runs next.
            nonlocal announced
            if announced:
                return
            announced = True
            print("desk: window shown", flush=True)
            QTimer.singleShot(0, app.quit)

        window.model.page_loaded.connect(painted)
    code = app.exec()
    tasks.wait()  # let background calls finish before Python tears Qt down
    # The window, its pane, its tasks' undelivered results and the error path refer to one
    # another, so Python alone would free them in some later garbage collection, on whatever
    # thread triggers it, and a widget must never be destroyed off the GUI thread (a crash at
    # exit). Deliver what is queued, then destroy the window here.
    QApplication.sendPostedEvents()
    errors.detach()
    _destroy(window)
    del window
    gc.collect()
    return code


def _destroy(widget: QWidget) -> None:
    """Destroy a top-level widget now, on the GUI thread, rather than in whatever garbage
    collection later frees its Python side, on whatever thread that runs."""
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
