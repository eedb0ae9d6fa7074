"""The filter bar above the queue: status, category, priority, owner and free text."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desk_app.domain.priority import Priority
from desk_app.domain.records import TicketFilter, User
from desk_app.domain.status import Status
from desk_app.domain.taxonomy import Taxonomy
from desk_app.ui.format import priority_label, status_label
from desk_app.ui.i18n import tr
from desk_app.ui.widgets import named, timer

ACTIVE = (Status.NEW, Status.OPEN, Status.WAITING_CUSTOMER)
SEARCH_DELAY_MS = 300


class FilterBar(QWidget):
    changed = Signal(object)  # TicketFilter

    def __init__(
        self, taxonomy: Taxonomy, *, staff_view: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._staff_view = staff_view
        self.status = named(QComboBox(), "statusFilter")

        # Combo data holds plain strings: Qt hands enums back as str.
        self.status.addItem(tr("全部状态"), "")
        self.status.addItem(tr("未完成"), ",".join(s.value for s in ACTIVE))
        for s in Status:
            self.status.addItem(status_label(s), s.value)
        self.category = named(QComboBox(), "categoryFilter")
        self.category.addItem(tr("全部分类"), "")
        for c in taxonomy.categories:
            self.category.addItem(c.name, c.code)
            for sub in c.subcategories:
                self.category.addItem("　" + sub.name, f"{c.code}/{sub.code}")
        self.priority = named(QComboBox(), "priorityFilter")
        self.priority.addItem(tr("全部优先级"), "")
        for p in Priority:
            self.priority.addItem(priority_label(p), p.value)
        self.owner = named(QComboBox(), "ownerFilter")
        self.owner.addItem(tr("全部处理人"), None)
        self.owner.addItem(tr("我的工单"), "me")
        self.owner.addItem(tr("未分配"), "none")
        self.owner.setVisible(staff_view)
        self.search = named(QLineEdit(), "searchBox")
        self.search.setPlaceholderText(tr("搜索标题、描述、回复或工单号…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)

        self._debounce = timer(self, SEARCH_DELAY_MS, single=True)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._emit)
        if staff_view:
            self.status.setCurrentIndex(1)  # staff start with what is still to do
        for combo in (self.status, self.category, self.priority, self.owner):
            combo.currentIndexChanged.connect(self._emit)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.status, self.category, self.priority, self.owner):
            row.addWidget(w)
        row.addWidget(self.search, 1)

    def set_staff(self, staff: list[User]) -> None:
        for user in staff:
            self.owner.addItem(user.name, str(user.id))

    def current(self) -> TicketFilter:
        category, _, subcategory = str(self.category.currentData() or "").partition("/")
        statuses = str(self.status.currentData() or "")
        priority = str(self.priority.currentData() or "")
        return TicketFilter(
            statuses=tuple(Status(s) for s in statuses.split(",") if s),
            categories=(category,) if category else (),
            subcategories=(subcategory,) if subcategory else (),
            priorities=(Priority(priority),) if priority else (),
            owner=self.owner.currentData() if self._staff_view else None,
            text=self.search.text().strip(),
        )

    def _emit(self) -> None:
        self._debounce.stop()
        self.changed.emit(self.current())
