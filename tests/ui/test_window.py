"""The window, driven as people use it: sign in, filter, search, open, reply, collide."""

from __future__ import annotations

import os
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desk_app.app import local_desk
from desk_app.client.local import LocalDesk
from desk_app.db import search_page
from desk_app.db.migrate import open_sqlite
from desk_app.db.uow import uow_factory
from desk_app.domain.records import NewTicket, TicketDetail
from desk_app.domain.status import Status
from desk_app.errors import DeskError, StorageError
from desk_app.services.context import ServiceContext
from desk_app.ui import i18n, main_window
from desk_app.ui import main as ui_main
from desk_app.ui.main_window import MainWindow
from desk_app.ui.new_ticket import NewTicketDialog
from desk_app.ui.queue_model import QueueModel
from desk_app.ui.signin import LOGIN_ROLE, SignInDialog
from desk_app.ui.tasks import Tasks
from tests.support import World

TIMEOUT = 10_000


def window(qtbot: QtBot, world: World, tasks: Tasks, login: str) -> MainWindow:
    w = MainWindow(world.desk(login), tasks, poll_ms=60_000)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.model.loading, timeout=TIMEOUT)
    return w


def open_row(qtbot: QtBot, w: MainWindow, ticket_id: int) -> TicketDetail:
    row = w.model.row_of(ticket_id)
    assert row is not None
    w.table.selectRow(row)
    qtbot.waitUntil(
        lambda: w.pane.detail is not None and w.pane.detail.summary.id == ticket_id, timeout=TIMEOUT
    )
    assert w.pane.detail is not None
    return w.pane.detail


def type_chinese(widget: object, text: str) -> None:
    """keyClicks cannot type Chinese; an input method commits it, as on a real desktop."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)  # type: ignore[arg-type]


def test_sign_in_lists_users_by_role_and_signs_in(qtbot: QtBot, world: World, tasks: Tasks) -> None:
    desk = world.desk()
    dialog = SignInDialog(desk, tasks)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.users.topLevelItemCount() == 4, timeout=TIMEOUT)
    roles = [dialog.users.topLevelItem(i).text(0) for i in range(4)]  # type: ignore[union-attr]
    assert roles == ["商户", "一线客服", "二线专家", "管理员"]
    agents = dialog.users.topLevelItem(1)
    assert agents is not None
    goods = next(
        agents.child(i)
        for i in range(agents.childCount())
        if agents.child(i).data(0, LOGIN_ROLE) == "a_goods"
    )  # type: ignore[union-attr]
    assert goods is not None and goods.text(1) == "账户组、商品组"
    dialog.users.setCurrentItem(goods)
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.accept()
    assert dialog.user is not None and dialog.user.login == "a_goods"
    assert desk.me().login == "a_goods"


def test_sign_in_on_an_empty_database_says_what_to_do(
    qtbot: QtBot, tmp_path: Path, tasks: Tasks
) -> None:
    desk = LocalDesk(ServiceContext(uow_factory(open_sqlite(tmp_path / "empty.sqlite3"))))
    dialog = SignInDialog(desk, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert "desk demo" in dialog.error.text()


def test_queue_model_is_a_well_behaved_model(
    qtbot: QtBot, qtmodeltester: object, world: World, tasks: Tasks
) -> None:
    for i in range(7):
        world.ticket(subject=f"问题 {i}")
    model = QueueModel(world.desk("admin"), tasks, world.ctx.taxonomy, page_size=3)
    model.set_filter(model.filter)
    qtbot.waitUntil(lambda: not model.loading, timeout=TIMEOUT)
    assert model.rowCount() == 3 and model.canFetchMore()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    # The tester fetched more, as a view would; the model stays consistent as pages arrive.
    qtbot.waitUntil(lambda: not model.loading, timeout=TIMEOUT)
    assert model.rowCount() == 6
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not model.loading, timeout=TIMEOUT)


def test_queue_loads_lazily_page_by_page(qtbot: QtBot, world: World, tasks: Tasks) -> None:
    desk = world.desk("m_star")
    for i in range(120):
        desk.create_ticket(NewTicket(f"批量问题 {i}", "描述", "trade", "refund"))
    model = QueueModel(world.desk("admin"), tasks, world.ctx.taxonomy, page_size=50)
    model.set_filter(model.filter)
    qtbot.waitUntil(lambda: not model.loading, timeout=TIMEOUT)
    assert model.rowCount() == 50
    for expected in (100, 120):
        assert model.canFetchMore()
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.loading, timeout=TIMEOUT)
        assert model.rowCount() == expected
    assert not model.canFetchMore()
    numbers = [model.ticket_at(i).number for i in range(120)]  # type: ignore[union-attr]
    assert len(set(numbers)) == 120


def test_filters_by_status_category_and_owner(qtbot: QtBot, world: World, tasks: Tasks) -> None:
    refund = world.ticket(subcategory="refund")
    crash = world.ticket(category="system", subcategory="crash", subject="客户端闪退")
    world.desk("a_trade").reply(refund.summary.id, refund.summary.version, "处理中")
    w = window(qtbot, world, tasks, "admin")
    assert w.model.rowCount() == 2  # staff start with what is still to do
    w.filters.status.setCurrentIndex(w.filters.status.findText("处理中"))
    qtbot.waitUntil(lambda: not w.model.loading and w.model.rowCount() == 1, timeout=TIMEOUT)
    assert w.model.ticket_at(0).id == refund.summary.id  # type: ignore[union-attr]
    w.filters.status.setCurrentIndex(0)
    w.filters.category.setCurrentIndex(w.filters.category.findText("系统类"))
    qtbot.waitUntil(lambda: not w.model.loading and w.model.rowCount() == 1, timeout=TIMEOUT)
    assert w.model.ticket_at(0).id == crash.summary.id  # type: ignore[union-attr]
    w.filters.category.setCurrentIndex(0)
    w.filters.owner.setCurrentIndex(w.filters.owner.findText("未分配"))
    qtbot.waitUntil(lambda: not w.model.loading and w.model.rowCount() == 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.count.text() == "共 2 张工单", timeout=TIMEOUT)


def test_search_in_chinese_typed_through_an_input_method(
    qtbot: QtBot, world: World, tasks: Tasks
) -> None:
    target = world.ticket(
        subject="卡密无法使用",
        category="goods",
        subcategory="card_key_invalid",
        description="提示已被使用",
    )
    world.ticket()
    w = window(qtbot, world, tasks, "admin")
    w.filters.search.setFocus()
    type_chinese(w.filters.search, "卡密")
    assert w.filters.search.text() == "卡密"
    qtbot.waitUntil(lambda: not w.model.loading and w.model.rowCount() == 1, timeout=TIMEOUT)
    assert w.model.ticket_at(0).id == target.summary.id  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: w.count.text() == "找到 1 张工单（按提交时间从新到旧）", timeout=TIMEOUT
    )
    w.filters.search.setText("不存在的词语")
    qtbot.waitUntil(w.empty.isVisible, timeout=TIMEOUT)
    assert not w.table.isVisible()


def test_a_capped_search_count_reads_as_more_than(
    qtbot: QtBot, world: World, tasks: Tasks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_page, "SEARCH_COUNT_LIMIT", 2)
    monkeypatch.setattr(main_window, "SEARCH_COUNT_LIMIT", 2)
    for i in range(4):
        world.ticket(subject=f"结算延迟 {i}")
    w = window(qtbot, world, tasks, "m_star")
    w.filters.search.setText("结算")
    # Within the merchant's scope alone the index counts exactly, above the limit too.
    qtbot.waitUntil(lambda: not w.model.loading and w.model.rowCount() == 4, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: w.count.text() == "找到 4 张工单（按提交时间从新到旧）", timeout=TIMEOUT
    )
    # A status filter is checked ticket by ticket: the count stops, and says so.
    w.filters.status.setCurrentIndex(w.filters.status.findText("待处理"))
    qtbot.waitUntil(
        lambda: w.count.text() == "找到 2+ 张工单（按提交时间从新到旧）", timeout=TIMEOUT
    )
    # A queue count without a search is never capped.
    w.filters.search.setText("")
    qtbot.waitUntil(lambda: w.count.text() == "共 4 张工单", timeout=TIMEOUT)


def test_a_search_of_too_many_words_says_so_and_keeps_the_words(
    qtbot: QtBot, world: World, tasks: Tasks
) -> None:
    world.ticket(subject="结算延迟")
    w = window(qtbot, world, tasks, "a_trade")
    # As run_gui wires it, a user error reaches the window. Through a weak reference: the
    # window holds the tasks, and a cycle would leave it to the garbage collector, which may
    # run on a worker thread and must never destroy a widget there.
    shown = weakref.ref(w)
    bugs: list[BaseException] = []

    def route(exc: BaseException) -> None:
        target = shown()
        if isinstance(exc, DeskError) and target is not None:
            target.show_user_error(exc)
        else:
            bugs.append(exc)

    tasks.default_error = route
    words = "一 二 三 四 五 六 七 八 九"
    w.filters.search.setText(words)
    qtbot.waitUntil(lambda: "搜索词太多" in w.message.text(), timeout=TIMEOUT)
    assert w.message.isVisible()
    assert w.filters.search.text() == words  # nothing typed is lost
    qtbot.waitUntil(lambda: w.count.text() == "", timeout=TIMEOUT)  # not "counting…" forever
    w.filters.search.setText("结算")
    qtbot.waitUntil(lambda: w.count.text().startswith("找到 1 张"), timeout=TIMEOUT)
    assert bugs == []


def test_open_a_ticket_and_read_its_timeline(qtbot: QtBot, world: World, tasks: Tasks) -> None:
    t = world.ticket()
    agent = world.desk("a_trade")
    t = agent.reply(
        t.summary.id, t.summary.version, "您好，请提供支付截图", new_status=Status.WAITING_CUSTOMER
    )
    w = window(qtbot, world, tasks, "a_trade")
    open_row(qtbot, w, t.summary.id)
    text = w.pane.timeline.toPlainText()
    for expected in ("创建了工单", "您好，请提供支付截图", "待处理 → 待补充", "王小明", "李娜"):
        assert expected in text
    assert t.summary.number in w.pane.title.text()


def test_a_live_update_keeps_the_readers_place_in_the_timeline(
    qtbot: QtBot, world: World, tasks: Tasks
) -> None:
    t = world.ticket()
    merchant = world.desk("m_star")
    for i in range(12):  # more history than the pane shows at once
        t = merchant.reply(t.summary.id, t.summary.version, f"第 {i + 1} 次补充：截图和订单号")
    w = window(qtbot, world, tasks, "a_trade")
    w.resize(1200, 700)
    open_row(qtbot, w, t.summary.id)
    bar = w.pane.timeline.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=TIMEOUT)

    def someone_replies(text: str) -> None:
        current = world.desk("m_star").get_ticket(t.summary.id)
        world.desk("m_star").reply(t.summary.id, current.summary.version, text)
        w.poll()
        qtbot.waitUntil(lambda: text in w.pane.timeline.toPlainText(), timeout=TIMEOUT)
        qtbot.wait(50)  # the pane scrolls once the new document is laid out

    bar.setValue(0)  # the agent goes back up to read the description
    someone_replies("商户又补充了一句")
    assert bar.value() == 0
    bar.setValue(bar.maximum())  # back at the newest: the next event is followed
    before = bar.maximum()
    someone_replies("商户再补充一句")
    assert bar.maximum() > before and bar.value() == bar.maximum()
    # The agent's own reply, sent while reading back, is shown where it landed.
    bar.setValue(0)
    w.pane.reply_box.setPlainText("已收到，正在核实")
    qtbot.mouseClick(w.pane.reply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已收到，正在核实" in w.pane.timeline.toPlainText(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 0, timeout=TIMEOUT)


def test_reply_and_internal_note_and_what_the_merchant_sees(
    qtbot: QtBot, world: World, tasks: Tasks
) -> None:
    t = world.ticket()
    agent = window(qtbot, world, tasks, "a_trade")
    open_row(qtbot, agent, t.summary.id)
    agent.pane.reply_box.setPlainText("已为您补单 <b>请查收</b>")
    qtbot.mouseClick(agent.pane.reply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "已为您补单 <b>请查收</b>" in agent.pane.timeline.toPlainText(), timeout=TIMEOUT
    )
    assert agent.pane.reply_box.toPlainText() == ""
    agent.pane.reply_box.setPlainText("内部：疑似重复扣款")
    qtbot.mouseClick(agent.pane.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "内部：疑似重复扣款" in agent.pane.timeline.toPlainText(), timeout=TIMEOUT
    )
    assert "商户不可见" in agent.pane.timeline.toPlainText()

    merchant = window(qtbot, world, tasks, "m_star")
    assert not merchant.pane.note_button.isVisibleTo(merchant)
    open_row(qtbot, merchant, t.summary.id)
    seen = merchant.pane.timeline.toPlainText()
    assert "已为您补单" in seen and "内部：疑似重复扣款" not in seen
    assert not merchant.pane.note_button.isVisibleTo(merchant)


def test_a_conflict_keeps_the_typed_reply_and_shows_the_news(
    qtbot: QtBot, world: World, tasks: Tasks
) -> None:
    t = world.ticket()
    w = window(qtbot, world, tasks, "a_trade")
    open_row(qtbot, w, t.summary.id)
    world.desk("a_trade2").reply(t.summary.id, t.summary.version, "另一位客服先回复了")
    w.pane.reply_box.setPlainText("我写了很久的回复")
    qtbot.mouseClick(w.pane.reply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(w.message.isVisible, timeout=TIMEOUT)
    assert "已被他人更新" in w.message.text()
    assert w.pane.reply_box.toPlainText() == "我写了很久的回复"
    assert "另一位客服先回复了" in w.pane.timeline.toPlainText()
    # Sending again now goes through, against the version just shown.
    qtbot.mouseClick(w.pane.reply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "我写了很久的回复" in w.pane.timeline.toPlainText(), timeout=TIMEOUT)


def test_claim_and_status_buttons(qtbot: QtBot, world: World, tasks: Tasks) -> None:
    t = world.ticket()
    w = window(qtbot, world, tasks, "a_trade")
    open_row(qtbot, w, t.summary.id)
    assert w.pane.claim_button.isVisibleTo(w)
    qtbot.mouseClick(w.pane.claim_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: w.pane.detail is not None and w.pane.detail.summary.owner_name == "李娜",
        timeout=TIMEOUT,
    )
    assert not w.pane.claim_button.isVisibleTo(w)
    resolve = w.pane.findChild(object, "to_resolved")
    qtbot.mouseClick(resolve, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    qtbot.waitUntil(
        lambda: w.pane.detail is not None and w.pane.detail.summary.status is Status.RESOLVED,
        timeout=TIMEOUT,
    )
    row = w.model.row_of(t.summary.id)
    assert row is not None and w.model.index(row, 2).data() == "已解决"


def test_new_ticket_form_names_errors_keeps_input_and_files_once(
    qtbot: QtBot, world: World, tasks: Tasks
) -> None:
    desk = world.desk("m_star")
    dialog = NewTicketDialog(desk, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.subject.setText("x")
    dialog.submit()
    qtbot.waitUntil(dialog.errors["subject"].isVisible, timeout=TIMEOUT)
    assert "标题太短" in dialog.errors["subject"].text()
    assert (
        "描述不能为空" in dialog.errors["description"].text()
    )  # the untouched template counts as empty
    assert dialog.subject.text() == "x"
    dialog.subject.setText("微信支付 500 元未到账")
    dialog.description.setPlainText("发生时间：今天 15:30\n具体现象：扣款成功未到账")
    dialog.submit()
    dialog.submit()  # a double click
    qtbot.waitUntil(lambda: dialog.created is not None, timeout=TIMEOUT)
    tasks.wait()
    assert world.desk("admin").count_tickets(TicketFilterAll) == 1


def test_the_new_ticket_dialog_is_destroyed_when_it_closes(
    qtbot: QtBot, world: World, tasks: Tasks
) -> None:
    """Each 新建工单 makes a dialog; closed, it must go (it was kept as a child of the window,
    one more for every ticket filed)."""
    w = window(qtbot, world, tasks, "m_star")
    w.new_ticket()
    first = w.findChildren(NewTicketDialog)
    assert len(first) == 1 and first[0].isVisible()
    first[0].reject()
    qtbot.waitUntil(lambda: not w.findChildren(NewTicketDialog), timeout=TIMEOUT)
    w.new_ticket()
    (dialog,) = w.findChildren(NewTicketDialog)
    dialog.subject.setText("微信支付 500 元未到账")
    dialog.description.setPlainText("发生时间：今天 15:30\n具体现象：扣款成功未到账")
    dialog.submit()
    dialog.reject()  # Esc while it is being filed: it stays until it can say how it went
    qtbot.waitUntil(lambda: not w.findChildren(NewTicketDialog), timeout=TIMEOUT)
    assert "工单已提交" in w.message.text()  # the window heard what was filed
    qtbot.waitUntil(lambda: w.model.rowCount() == 1, timeout=TIMEOUT)


def test_live_refresh_shows_what_others_did(qtbot: QtBot, world: World, tasks: Tasks) -> None:
    w = window(qtbot, world, tasks, "a_trade")
    assert w.model.rowCount() == 0
    qtbot.waitUntil(w._poll.isActive, timeout=TIMEOUT)
    t = world.ticket(subject="刚刚提交的新工单")
    w.poll()
    qtbot.waitUntil(lambda: w.model.row_of(t.summary.id) is not None, timeout=TIMEOUT)


WATCH_RUN_GUI = """
import sys, weakref
import shiboken6
from pathlib import Path
from desk_app.app import local_desk
from desk_app.ui import i18n
from desk_app.ui import main as ui_main

made = []


class Watched(ui_main.MainWindow):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        made.append(weakref.ref(self))


ui_main.MainWindow = Watched
code = ui_main.run_gui(lambda up: local_desk(Path(sys.argv[1]), on_upgrade=up), log_path=None)
window = made[0]() if made else None
print("exit", code, "windows", len(made), "alive", window is not None and shiboken6.isValid(window))
"""


def test_the_window_is_destroyed_before_run_gui_returns(world: World) -> None:
    """On the GUI thread, not by a garbage collection on whatever thread runs one later.
    (A process of its own: the app's event loop ends, which the test session's must not.)"""
    world.ticket()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", ui_main.SMOKE_ENV: "1",
           ui_main.SMOKE_LOGIN_ENV: "admin"}  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", WATCH_RUN_GUI, str(world.path.parent)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "exit 0 windows 1 alive False" in out.stdout, out.stdout + out.stderr[-2000:]


def test_the_sign_in_dialog_is_destroyed_when_it_closes(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, world: World
) -> None:
    """On the GUI thread, as soon as it is done: not kept until run_gui returns, or freed by a
    garbage collection on whatever thread runs one."""
    made: list[SignInDialog] = []

    class Leaving(SignInDialog):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)  # the wrapper only: Qt's object may still go
            QTimer.singleShot(0, self.reject)  # the user chose 退出

    monkeypatch.setattr(ui_main, "SignInDialog", Leaving)
    assert ui_main.run_gui(lambda _up: local_desk(world.path.parent), log_path=None) == 0
    assert len(made) == 1 and not shiboken6.isValid(made[0])


def test_storage_errors_at_start_are_shown_not_crashed(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))

    def broken(_upgrading: object) -> LocalDesk:
        raise StorageError("数据库文件已损坏")

    assert ui_main.run_gui(broken, log_path=None) == 2
    assert shown == ["数据库文件已损坏"]


from desk_app.domain.records import TicketFilter  # noqa: E402

TicketFilterAll = TicketFilter()


def test_english_through_qt_translations(
    qtbot: QtBot, world: World, tasks: Tasks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = i18n.install_translators(app)
    assert len(translators) == 1
    try:
        w = window(qtbot, world, tasks, "admin")
        assert w.filters.status.itemText(0) == "All statuses"
        assert w.model.headerData(0, Qt.Orientation.Horizontal) == "Ticket"
        qtbot.waitUntil(lambda: w.count.text() == "0 tickets", timeout=TIMEOUT)
    finally:
        i18n.remove_translators(app, translators)


def _message_box_buttons() -> list[str]:
    box = QMessageBox(QMessageBox.Icon.Warning, "t", "x")
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    box.setDetailedText("log")
    try:
        return sorted(b.text() for b in box.buttons())
    finally:
        box.deleteLater()


def test_qt_own_strings_are_chinese_in_the_chinese_ui(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    english = _message_box_buttons()
    assert "OK" in english
    translators = i18n.install_translators(app)
    try:
        assert _message_box_buttons() == sorted(["确定", "取消", "显示详情..."])
    finally:
        i18n.remove_translators(app, translators)
    assert _message_box_buttons() == english


def test_run_gui_removes_its_translators_when_it_returns(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    monkeypatch.setattr(QMessageBox, "critical", lambda *_args: None)
    before = _message_box_buttons()
    seen: list[str] = []

    def broken(_upgrading: object) -> LocalDesk:
        # On a worker thread, where no widget may be made: Qt's translation of its OK.
        seen.append(QCoreApplication.translate("QPlatformTheme", "OK"))
        raise StorageError("数据库文件已损坏")

    assert ui_main.run_gui(broken, log_path=None) == 2
    assert seen == ["确定"]
    assert _message_box_buttons() == before


def test_every_window_string_has_an_english_translation() -> None:
    import xml.etree.ElementTree as ET

    from desk_app.paths import resource_path
    from scripts.update_translations import sources

    ts = ET.parse(resource_path("i18n", "desk_en.ts")).getroot()
    translated = {
        m.findtext("source"): m.findtext("translation")
        for m in ts.iter("message")
        if m.find("translation") is not None and m.find("translation").get("type") != "unfinished"  # type: ignore[union-attr]
    }
    assert [s for s in sources() if not translated.get(s)] == []
