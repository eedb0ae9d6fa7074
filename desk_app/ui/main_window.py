"""The main window: filters and the queue on the left, the open ticket on the right."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.client.port import Desk
from desk_app.client.syncing import FlushReport, SyncingDesk
from desk_app.domain.records import SEARCH_COUNT_LIMIT, Event, EventFeed, TicketDetail, User
from desk_app.errors import DeskError
from desk_app.ui.detail import TicketPane
from desk_app.ui.filters import FilterBar
from desk_app.ui.i18n import tr
from desk_app.ui.live import LiveStream
from desk_app.ui.new_ticket import NewTicketDialog
from desk_app.ui.queue_model import TICKET_ID_ROLE, QueueModel
from desk_app.ui.tasks import Tasks
from desk_app.ui.widgets import label, named, timer

POLL_MS = 2_000
LIVE_POLL_MS = 30_000
FLUSH_MS = 5_000
MESSAGE_COLORS = {
    "info": ("#e6f4ff", "#0958d9"),
    "warning": ("#fffbe6", "#ad6800"),
    "error": ("#fff1f0", "#cf1322"),
}


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, tasks: Tasks, *, poll_ms: int = POLL_MS) -> None:
        super().__init__()
        self.desk, self.tasks = desk, tasks
        self.me: User = desk.me()
        taxonomy = desk.taxonomy()
        staff = self.me.role.is_staff
        self.setWindowTitle(tr("卡盟工单工作台") + f" — {self.me.name}（{tr(self.me.role.label)}）")
        self.resize(1600, 900)

        self.message = label(name="messageBar", wrap=True)
        self.message.hide()
        self._message_timer = timer(self, 10_000, single=True)
        self._message_timer.timeout.connect(self.message.hide)
        self.filters = FilterBar(taxonomy, staff_view=staff)
        self.model = QueueModel(desk, tasks, taxonomy)
        self.table = self._queue_view()
        self.count = label(name="countLabel")
        self.empty = label(
            tr("没有符合条件的工单"),
            "emptyQueue",
            center=True,
            style="color:#8c8c8c;font-size:14px;padding:24px",
        )
        self.empty.hide()
        self.pane = TicketPane(desk, tasks, taxonomy, self.notify)
        self._lay_out()
        self._add_shortcuts()

        self.filters.changed.connect(self.apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.model.page_loaded.connect(self._page_loaded)
        self.pane.changed.connect(self._ticket_changed)
        self._reselect: int | None = None
        self._last_event = 0
        self._poll = timer(self, poll_ms)
        self._poll.timeout.connect(self.poll)
        if staff:
            tasks.run(desk.staff, self.filters.set_staff)
        tasks.run(lambda: desk.event_feed(0, 0), self._start_feed, self._feed_unavailable)
        self.apply_filter(self.filters.current())
        self.sync: SyncingDesk | None = desk if isinstance(desk, SyncingDesk) else None
        self.live: LiveStream | None = None
        self._pushed_events: list[Event] = []
        self._push_debounce = timer(self, 150, single=True)
        self._push_debounce.timeout.connect(self._apply_pushed)
        self.connection = label(name="connectionLabel")
        if self.sync is not None:
            self.statusBar().addPermanentWidget(self.connection)
            self._flush_timer = timer(self, FLUSH_MS)
            self._flush_timer.timeout.connect(self.flush_outbox)
            self._flush_timer.start()
            self._show_connection()
            warning = self.sync.remote.credential_warning
            if warning:
                self.notify(warning, "warning")

    # ---- team mode: connection and outbox ------------------------------------------------

    def flush_outbox(self) -> None:
        sync = self.sync
        if sync is None:
            return
        self.tasks.run(sync.flush, self._flushed, lambda _e: self._show_connection())

    def _flushed(self, report: FlushReport) -> None:
        if report.sent:
            self.notify(
                tr("网络已恢复：待发送的内容已提交 ") + str(report.sent) + tr(" 条"), "info"
            )
            self.refresh()
        if report.failed:
            self.notify(tr("有内容被服务器拒绝，已保留在待发送队列中，请查看"), "error")
        self._show_connection()

    def _show_connection(self) -> None:
        if self.sync is None:
            return
        pending = len(self.sync.pending())
        state = tr("在线") if self.sync.online else tr("离线：显示的是最近一次看到的内容")
        color = "#389e0d" if self.sync.online else "#cf1322"
        text = state + (f"　{tr('待发送')} {pending}" if pending else "")
        self.connection.setText(f"<span style='color:{color}'>● {text}</span>")

    def _feed_unavailable(self, _exc: BaseException) -> None:
        self._poll.start()  # keep trying; the first successful poll sets the position

    def _queue_view(self) -> QTableView:
        table = named(QTableView(), "queue")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        for column, width in {0: 158, 2: 58, 3: 52, 4: 170, 5: 104, 6: 64, 7: 120}.items():
            table.setColumnWidth(column, width)
        # A merchant sees only its own organisation: the column would repeat one name.
        table.setColumnHidden(5, not self.me.role.is_staff)
        return table

    def _lay_out(self) -> None:
        new_button = named(QPushButton(tr("新建工单")), "newTicketButton")
        new_button.clicked.connect(self.new_ticket)
        refresh = named(QPushButton(tr("刷新")), "refreshButton")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.filters, 1)
        top.addWidget(refresh)
        top.addWidget(new_button)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.table, 1)
        left_column.addWidget(self.empty, 1)
        left_column.addWidget(self.count)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.pane)
        split.setSizes([920, 680])
        central = QWidget()
        column = QVBoxLayout(central)
        column.addWidget(self.message)
        column.addLayout(top)
        column.addWidget(split, 1)
        self.setCentralWidget(central)
        where = f"{self.me.name}（{tr(self.me.role.label)}）　{tr('数据')}：{self.desk.location}"
        self.statusBar().addWidget(QLabel(where))

    def _add_shortcuts(self) -> None:
        for text, key, slot in (
            (tr("搜索"), QKeySequence.StandardKey.Find, self.filters.search.setFocus),
            (tr("新建工单"), QKeySequence.StandardKey.New, self.new_ticket),
            (tr("刷新"), QKeySequence.StandardKey.Refresh, self.refresh),
        ):
            action = QAction(text, self)
            action.setShortcut(key)
            action.triggered.connect(slot)
            self.addAction(action)

    # ---- messages ------------------------------------------------------------------------

    def notify(self, text: str, level: str = "info") -> None:
        bg, fg = MESSAGE_COLORS.get(level, MESSAGE_COLORS["info"])
        self.message.setStyleSheet(f"background:{bg};color:{fg};padding:8px;border-radius:4px")
        self.message.setText(text)
        self.message.show()
        self._message_timer.start()

    def show_user_error(self, exc: DeskError) -> None:
        self.notify(exc.message, "error")

    # ---- the queue -----------------------------------------------------------------------

    def apply_filter(self, flt: object) -> None:
        self.model.set_filter(self.filters.current())
        current = self.model.filter
        self.count.setText(tr("正在统计…"))
        self.tasks.run(
            lambda: self.desk.count_tickets(current),
            lambda n: self._counted(current, n),
            lambda _e: self._not_counted(current),  # the page load reports the error itself
        )

    def refresh(self) -> None:
        if self.pane.detail is not None:
            self._reselect = self.pane.detail.summary.id
        self.apply_filter(self.model.filter)

    def _counted(self, flt: object, n: int) -> None:
        if flt == self.model.filter:
            searching = bool(getattr(flt, "text", "").strip())
            # Only a search count is ever capped, and a capped count is exactly limit + 1.
            capped = searching and n == SEARCH_COUNT_LIMIT + 1
            shown = f"{SEARCH_COUNT_LIMIT:,}+" if capped else f"{n:,}"
            if searching:
                self.count.setText(tr("找到 {n} 张工单（按提交时间从新到旧）").format(n=shown))
            else:
                self.count.setText(tr("共 {n} 张工单").format(n=shown))

    def _not_counted(self, flt: object) -> None:
        if flt == self.model.filter:
            self.count.setText("")

    def _page_loaded(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        self.table.setVisible(not empty)
        if self._reselect is not None:
            row = self.model.row_of(self._reselect)
            if row is not None:
                self.table.selectRow(row)
                self._reselect = None

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        ticket_id = self.model.data(indexes[0], TICKET_ID_ROLE)
        if ticket_id is not None and (
            self.pane.detail is None or self.pane.detail.summary.id != ticket_id
        ):
            self.pane.open_ticket(int(ticket_id))

    def _ticket_changed(self, detail: TicketDetail) -> None:
        self.model.update_ticket(detail.summary)

    def new_ticket(self) -> None:
        dialog = NewTicketDialog(self.desk, self.tasks, self)
        # Destroyed when it closes (after `finished`), on the GUI thread: a child of the window
        # otherwise, one more for every ticket filed, until the window goes.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._filed(dialog))
        dialog.open()

    def _filed(self, dialog: NewTicketDialog) -> None:
        if dialog.created is not None:
            self.notify(tr("工单已提交：") + dialog.created.summary.number, "info")
            self._reselect = dialog.created.summary.id
            self.refresh()

    # ---- live updates --------------------------------------------------------------------

    def _start_feed(self, feed: EventFeed) -> None:
        self._last_event = feed.last_id
        self._poll.start()
        if self.sync is not None and self.live is None:
            # Team mode: the server pushes events; polling stays on as the slow safety net.
            self.live = LiveStream(self.sync.remote, self)
            self.live.arrived.connect(self._pushed)
            self.live.start(feed.last_id)
            self._poll.setInterval(LIVE_POLL_MS)

    def _pushed(self, event: Event) -> None:
        # A burst of events (a bulk change, a reconnect) refreshes the window once.
        self._pushed_events.append(event)
        self._push_debounce.start()

    def _apply_pushed(self) -> None:
        batch, self._pushed_events = tuple(self._pushed_events), []
        if batch:
            self._events(EventFeed(batch, max(self._last_event, batch[-1].id)))

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing may start after the window is gone: its answers would reach deleted widgets.
        self._poll.stop()
        if self.sync is not None:
            self._flush_timer.stop()
        if self.live is not None:
            self.live.stop()
        super().closeEvent(event)

    def poll(self) -> None:
        after = self._last_event
        self.tasks.run(
            lambda: self.desk.event_feed(after), self._events, lambda _e: self._show_connection()
        )

    def _events(self, feed: EventFeed) -> None:
        self._last_event = max(self._last_event, feed.last_id)
        if not feed.events:
            return
        touched = {e.ticket_id for e in feed.events}
        open_id = self.pane.detail.summary.id if self.pane.detail else None
        if open_id in touched and self.pane.detail is not None:
            self.pane.open_ticket(open_id)
        if self.table.verticalScrollBar().value() == 0:
            self._reselect = open_id
            self.model.reload()
        else:
            self.notify(tr("队列有新的变化，按 F5 刷新"), "info")
