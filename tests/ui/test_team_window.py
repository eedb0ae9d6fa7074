"""The window in team mode: signed in to a real server, and losing it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from desk_app.app import team_desk
from desk_app.domain.records import NewTicket
from desk_app.ui.main_window import MainWindow
from desk_app.ui.signin import SignInDialog
from desk_app.ui.tasks import Tasks
from tests.server_process import ServerProcess
from tests.support import PASSWORD, World

TIMEOUT = 15_000


def test_sign_in_with_password_then_work_offline_and_catch_up(
    qtbot: QtBot,
    team: tuple[ServerProcess, Engine, World],
    tasks: Tasks,
    tmp_path: Path,
) -> None:
    server, _engine, world = team
    t = world.ticket()
    desk = team_desk(tmp_path, server.url)
    dialog = SignInDialog(desk, tasks)
    qtbot.addWidget(dialog)
    assert dialog.users.isHidden() and dialog.login.isVisibleTo(dialog)
    dialog.login.setText("a_trade")
    dialog.password.setText("wrong-password")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=TIMEOUT)
    assert "密码错误" in dialog.error.text() and dialog.password.text() == ""
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.accept()

    window = MainWindow(desk, tasks, poll_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.row_of(t.summary.id) is not None, timeout=TIMEOUT)
    assert "在线" in window.connection.text()
    window.table.selectRow(window.model.row_of(t.summary.id) or 0)
    qtbot.waitUntil(lambda: window.pane.detail is not None, timeout=TIMEOUT)

    server.stop(kill=True)
    window.pane.reply_box.setPlainText("断网时写的回复")
    qtbot.mouseClick(window.pane.reply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "待发送" in window.message.text(), timeout=TIMEOUT)
    window.flush_outbox()
    qtbot.waitUntil(
        lambda: "离线" in window.connection.text() and "待发送 1" in window.connection.text(),
        timeout=TIMEOUT,
    )

    server.start()
    window.flush_outbox()
    qtbot.waitUntil(
        lambda: "在线" in window.connection.text() and "待发送" not in window.connection.text(),
        timeout=TIMEOUT,
    )
    bodies = [e.body for e in world.desk("admin").get_ticket(t.summary.id).events]
    assert bodies.count("断网时写的回复") == 1
    window.close()


def test_two_windows_see_each_other_live(
    qtbot: QtBot, served_world: World, tasks: Tasks, tmp_path: Path
) -> None:
    assert served_world.server_url
    windows = {}
    for login in ("a_trade", "m_star"):
        desk = team_desk(tmp_path / login, served_world.server_url)
        desk.sign_in(login, PASSWORD)
        w = MainWindow(desk, tasks, poll_ms=600_000)  # no polling: only the pushed stream
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda w=w: w.live is not None and not w.model.loading, timeout=TIMEOUT)
        windows[login] = w
    agent, merchant = windows["a_trade"], windows["m_star"]

    t = served_world.desk("m_star").create_ticket(
        NewTicket("实时推送测试", "充值 100 元未到账", "trade", "recharge_failed")
    )
    qtbot.waitUntil(lambda: agent.model.row_of(t.summary.id) is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: merchant.model.row_of(t.summary.id) is not None, timeout=TIMEOUT)
    merchant.table.selectRow(merchant.model.row_of(t.summary.id) or 0)
    qtbot.waitUntil(lambda: merchant.pane.detail is not None, timeout=TIMEOUT)

    agent.table.selectRow(agent.model.row_of(t.summary.id) or 0)
    qtbot.waitUntil(lambda: agent.pane.detail is not None, timeout=TIMEOUT)
    agent.pane.reply_box.setPlainText("您好，正在为您核查")
    qtbot.mouseClick(agent.pane.reply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "您好，正在为您核查" in merchant.pane.timeline.toPlainText(), timeout=TIMEOUT
    )
    for w in windows.values():
        w.close()
