"""The ticket pane: header, description, timeline, and the actions the signed-in role may take."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk_app.client.port import Desk
from desk_app.domain.records import TicketDetail, User
from desk_app.domain.status import ALLOWED, Status
from desk_app.domain.taxonomy import Taxonomy
from desk_app.errors import ConflictError, DeskError, Queued
from desk_app.ui.format import (
    PRIORITY_COLORS,
    STATUS_COLORS,
    local_time,
    priority_label,
    status_label,
)
from desk_app.ui.i18n import tr
from desk_app.ui.tasks import Tasks
from desk_app.ui.timeline import ticket_html
from desk_app.ui.widgets import label, named

Notify = Callable[[str, str], None]  # (message, level: info | warning | error)
STAFF_TARGET_LABELS = {
    Status.OPEN: "开始处理",
    Status.WAITING_CUSTOMER: "请商户补充",
    Status.RESOLVED: "标记已解决",
    Status.CLOSED: "关闭",
}


_AT_END_PX = 8  # this close to the bottom of the timeline counts as reading the newest


class TicketPane(QWidget):
    changed = Signal(object)  # TicketDetail after a successful write

    def __init__(
        self,
        desk: Desk,
        tasks: Tasks,
        taxonomy: Taxonomy,
        notify: Notify,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk, self._tasks, self._taxonomy, self._notify = desk, tasks, taxonomy, notify
        self._me: User = desk.me()
        self.detail: TicketDetail | None = None
        self._loading_id: int | None = None

        self.pages = QStackedWidget()
        self.empty = label(
            tr("请选择左侧的工单"), "emptyDetail", center=True, style="color:#8c8c8c;font-size:15px"
        )
        self.pages.addWidget(self.empty)

        body = QWidget()
        self.title = label(name="ticketTitle", wrap=True, style="font-size:17px;font-weight:600")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = label(name="ticketMeta", wrap=True)
        self.timeline = named(QTextBrowser(), "timeline")
        self.timeline.setOpenLinks(False)

        self.reply_box = named(QPlainTextEdit(), "replyBox")
        self.reply_box.setPlaceholderText(tr("输入回复内容…（Ctrl+Enter 发送）"))
        self.reply_box.setMaximumHeight(120)
        self.reply_button = named(QPushButton(tr("回复")), "replyButton")
        self.note_button = named(QPushButton(tr("内部备注")), "noteButton")
        self.note_button.setToolTip(tr("只有客服和专家能看到"))
        self.claim_button = named(QPushButton(tr("认领")), "claimButton")
        self.status_row = QHBoxLayout()
        self.reply_button.clicked.connect(lambda: self._send(internal=False))
        self.note_button.clicked.connect(lambda: self._send(internal=True))
        self.claim_button.clicked.connect(self._claim)

        actions = QHBoxLayout()
        actions.addWidget(self.claim_button)
        actions.addLayout(self.status_row)
        actions.addStretch(1)
        actions.addWidget(self.note_button)
        actions.addWidget(self.reply_button)
        layout = QVBoxLayout(body)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(self.reply_box)
        layout.addLayout(actions)
        self.pages.addWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

    # ---- showing -------------------------------------------------------------------------

    def open_ticket(self, ticket_id: int) -> None:
        self._loading_id = ticket_id
        self._tasks.run(
            lambda: self._desk.get_ticket(ticket_id), lambda d: self._loaded(ticket_id, d)
        )

    def clear(self) -> None:
        self.detail = None
        self.pages.setCurrentIndex(0)

    def _loaded(self, ticket_id: int, detail: TicketDetail) -> None:
        if ticket_id == self._loading_id:
            self.show_detail(detail)

    def show_detail(self, detail: TicketDetail, *, follow: bool = False) -> None:
        """Show `detail`, scrolled to its newest event; shown again (a live event), the same
        ticket keeps the reader's place unless they were at the newest event or `follow`
        (their own write, or the news of a conflict) asks for it."""
        keep_reply = self.detail is not None and self.detail.summary.id == detail.summary.id
        if not keep_reply:
            self.reply_box.clear()
        self.detail = detail
        s = detail.summary
        self.title.setText(f"{escape(s.number)}　{escape(s.subject)}")
        status = f"<b style='color:{STATUS_COLORS[s.status]}'>{escape(status_label(s.status))}</b>"
        priority = f"<span style='color:{PRIORITY_COLORS[s.priority]}'>{escape(priority_label(s.priority))}</span>"
        owner = escape(s.owner_name or tr("未分配"))
        self.meta.setText(
            f"{status}　{tr('优先级')}：{priority}　{tr('分类')}：{escape(self._taxonomy.label(s.category, s.subcategory))}"
            f"　{tr('商户')}：{escape(s.org_name)}　{tr('处理人')}：{owner}　{tr('创建')}：{local_time(s.created_at)}"
        )
        bar = self.timeline.verticalScrollBar()
        reading_back = keep_reply and not follow and bar.value() < bar.maximum() - _AT_END_PX
        stay_at = bar.value() if reading_back else None
        self.timeline.setHtml(ticket_html(detail))
        # Scroll once the document is laid out, so the newest event is really in view (the
        # timer is bound to the timeline: it does not fire once the pane is gone).
        QTimer.singleShot(0, self.timeline, lambda: self._scroll(stay_at))
        self._update_actions()
        self.pages.setCurrentIndex(1)

    def _scroll(self, stay_at: int | None) -> None:
        bar = self.timeline.verticalScrollBar()
        bar.setValue(bar.maximum() if stay_at is None else stay_at)

    def _update_actions(self) -> None:
        assert self.detail is not None
        s = self.detail.summary
        staff = self._me.role.is_staff
        closed = s.status is Status.CLOSED
        self.note_button.setVisible(staff)
        self.claim_button.setVisible(staff and s.owner_id is None)
        self.reply_box.setEnabled(not closed)
        self.reply_button.setEnabled(not closed)
        self.note_button.setEnabled(not closed)
        self.reply_box.setPlaceholderText(
            tr("工单已关闭，不能再回复。如问题仍在，请新建工单。")
            if closed
            else tr("输入回复内容…（Ctrl+Enter 发送）")
        )
        while self.status_row.count():
            item = self.status_row.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        for target, text in self._targets(s.status, staff):
            button = named(QPushButton(text), f"to_{target.value}")

            button.clicked.connect(lambda _=False, t=target: self._transition(t))
            self.status_row.addWidget(button)

    @staticmethod
    def _targets(current: Status, staff: bool) -> list[tuple[Status, str]]:
        if not staff:
            if current is Status.RESOLVED:
                return [(Status.CLOSED, tr("确认解决")), (Status.OPEN, tr("问题未解决，重新打开"))]
            return []
        return [
            (t, tr(STAFF_TARGET_LABELS[t]))
            for t in sorted(ALLOWED[current], key=list(Status).index)
        ]

    # ---- acting --------------------------------------------------------------------------

    def keyPressEvent(self, event: object) -> None:  # Ctrl+Enter sends the reply
        from PySide6.QtGui import QKeyEvent

        if (
            isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._send(internal=False)
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def _send(self, *, internal: bool) -> None:
        if self.detail is None:
            return
        text = self.reply_box.toPlainText()
        if not text.strip():
            self._notify(tr("请先输入内容"), "warning")
            self.reply_box.setFocus()
            return
        tid, version = self.detail.summary.id, self.detail.summary.version
        call = (
            (lambda: self._desk.note(tid, version, text))
            if internal
            else (lambda: self._desk.reply(tid, version, text))
        )
        self._write(call, clear_reply=True)

    def _claim(self) -> None:
        if self.detail is None:
            return
        tid, version, me = self.detail.summary.id, self.detail.summary.version, self._me.id
        self._write(lambda: self._desk.assign(tid, version, me))

    def _transition(self, target: Status) -> None:
        if self.detail is None:
            return
        tid, version = self.detail.summary.id, self.detail.summary.version
        self._write(lambda: self._desk.transition(tid, version, target))

    def _write(self, call: Callable[[], TicketDetail], *, clear_reply: bool = False) -> None:
        self._set_busy(True)

        def done(detail: TicketDetail) -> None:
            self._set_busy(False)
            if clear_reply:
                self.reply_box.clear()
            self.show_detail(detail, follow=True)
            self.changed.emit(detail)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            if isinstance(exc, ConflictError):
                # Keep what the user typed; show them what changed.
                if isinstance(exc.current, TicketDetail):
                    self.show_detail(exc.current, follow=True)
                self._notify(exc.message, "warning")
            elif isinstance(exc, Queued):
                if clear_reply:
                    self.reply_box.clear()
                self._notify(exc.message, "info")
            elif isinstance(exc, DeskError):
                self._notify(exc.message, "error")
            else:
                self._tasks.default_error(exc)

        self._tasks.run(call, done, failed)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.reply_button, self.note_button, self.claim_button):
            button.setDisabled(busy)
        if not busy and self.detail is not None:
            self._update_actions()
