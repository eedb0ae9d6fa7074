"""Render the windows to PNG files for a look: sign-in, the queue as each role, a ticket with
its timeline, the new-ticket form with errors, empty states.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [OUT_DIR]

Uses a temporary database filled with the demo data set; nothing is written elsewhere.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from desk_app.app import local_desk, open_embedded
from desk_app.domain.records import TicketFilter
from desk_app.domain.status import Status
from desk_app.services.demo import DemoOptions, fill_demo
from desk_app.ui.i18n import install_translators
from desk_app.ui.main import application
from desk_app.ui.main_window import MainWindow
from desk_app.ui.new_ticket import NewTicketDialog
from desk_app.ui.signin import SignInDialog
from desk_app.ui.tasks import Tasks


def settle(ms: int = 400, until: Callable[[], bool] | None = None) -> None:
    loop = QEventLoop()
    deadline = datetime.now(UTC).timestamp() + 10
    while True:
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        if until is None or until() or datetime.now(UTC).timestamp() > deadline:
            return


def shot(widget: QWidget, out: Path, name: str) -> None:
    widget.show()
    settle()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/desk_shots")
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    install_translators(app)  # as run_gui does: Qt's own strings in Chinese too
    tasks = Tasks(app)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        ctx, _engine = open_embedded(data)
        fill_demo(ctx, DemoOptions(tickets=300, now=datetime.now(UTC)))

        desk = local_desk(data)
        shot(SignInDialog(desk, tasks), out, "01_signin")

        for login, name in (
            ("m_xingchen", "02_merchant"),
            ("a_trade1", "03_agent"),
            ("x_tech", "04_expert"),
        ):
            desk = local_desk(data)
            desk.sign_in(login)
            window = MainWindow(desk, tasks)
            window.show()
            settle(until=lambda w=window: w.model.rowCount() > 0)
            flt = (
                TicketFilter(statuses=(Status.RESOLVED,))
                if login == "m_xingchen"
                else TicketFilter()
            )
            first = desk.list_tickets(flt, limit=1).items[0]
            row = window.model.row_of(first.id)
            if row is None:
                window.pane.open_ticket(first.id)
            else:
                window.table.selectRow(row)
            settle(until=lambda w=window: w.pane.detail is not None)
            shot(window, out, name)
            if login == "a_trade1":
                window.filters.search.setText("zzz不存在的内容")
                settle(800, until=lambda w=window: not w.model.loading)
                shot(window, out, "05_empty_search")
                window.filters.search.setText("到账")
                settle(800, until=lambda w=window: not w.model.loading)
                shot(window, out, "06_search_到账")
            window.close()

        desk = local_desk(data)
        desk.sign_in("a_trade1")
        dialog = NewTicketDialog(desk, tasks)
        dialog.show()
        settle()
        dialog.subject.setText("x")
        dialog.description.setPlainText("")
        dialog.submit()
        settle(600)
        shot(dialog, out, "07_new_ticket_errors")
    tasks.wait()
    QCoreApplication.processEvents()


if __name__ == "__main__":
    main()
