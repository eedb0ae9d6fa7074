"""The queue as a lazy table model: keyset pages fetched in the background as the view scrolls.

Only the rows already scrolled past are held, a page at a time, so a queue of a million tickets
opens as fast as one of ten. Sorting and filtering happen in the database, never in a proxy.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from desk_app.client.port import Desk
from desk_app.domain.records import Page, TicketFilter, TicketSummary
from desk_app.domain.taxonomy import Taxonomy
from desk_app.ui.format import (
    PRIORITY_COLORS,
    STATUS_COLORS,
    local_time,
    priority_label,
    status_label,
)
from desk_app.ui.i18n import tr
from desk_app.ui.tasks import Tasks

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("工单号", "标题", "状态", "优先级", "分类", "商户", "处理人", "更新时间")
TICKET_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class QueueModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    page_loaded = Signal()

    def __init__(self, desk: Desk, tasks: Tasks, taxonomy: Taxonomy, page_size: int = 100) -> None:
        super().__init__()
        self._desk = desk
        self._tasks = tasks
        self._taxonomy = taxonomy
        self._page_size = page_size
        self._rows: list[TicketSummary] = []
        self._filter = TicketFilter()
        self._cursor: str | None = None
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self.last_error: BaseException | None = None

    # ---- what the view asks --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        t = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(t, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return t.subject
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 2:
                return QBrush(QColor(STATUS_COLORS[t.status]))
            if col == 3:
                return QBrush(QColor(PRIORITY_COLORS[t.priority]))
        if role == TICKET_ID_ROLE:
            return t.id
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch()

    # ---- what the window asks ------------------------------------------------------------

    @property
    def filter(self) -> TicketFilter:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._loading

    def set_filter(self, flt: TicketFilter) -> None:
        """Start over with another filter; answers still on their way for the old one are dropped."""
        self._filter = flt
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._cursor = None
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._fetch()

    def reload(self) -> None:
        self.set_filter(self._filter)

    def ticket_at(self, row: int) -> TicketSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, ticket_id: int) -> int | None:
        for i, t in enumerate(self._rows):
            if t.id == ticket_id:
                return i
        return None

    def update_ticket(self, summary: TicketSummary) -> None:
        """Show a fresh version of a row the user just changed, without reloading the page."""
        row = self.row_of(summary.id)
        if row is not None:
            self._rows[row] = summary
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # ---- loading -------------------------------------------------------------------------

    def _fetch(self) -> None:
        generation, flt, cursor, size = (
            self._generation,
            self._filter,
            self._cursor,
            self._page_size,
        )
        self._set_loading(True)
        self._tasks.run(
            lambda: self._desk.list_tickets(flt, cursor, size),
            lambda page: self._arrived(generation, page),
            lambda exc: self._failed(generation, exc),
        )

    def _arrived(self, generation: int, page: Page) -> None:
        if generation != self._generation:
            return
        if page.items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._rows.extend(page.items)
            self.endInsertRows()
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        self.last_error = None
        self._set_loading(False)
        self.page_loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.last_error = exc
        self._exhausted = True  # stop asking until the user refreshes
        self._set_loading(False)
        self._tasks.default_error(exc)

    def _set_loading(self, value: bool) -> None:
        if self._loading != value:
            self._loading = value
            self.loading_changed.emit(value)

    def _text(self, t: TicketSummary, col: int) -> str:
        match col:
            case 0:
                return t.number
            case 1:
                return t.subject
            case 2:
                return status_label(t.status)
            case 3:
                return priority_label(t.priority)
            case 4:
                return self._taxonomy.label(t.category, t.subcategory)
            case 5:
                return t.org_name
            case 6:
                return t.owner_name or tr("未分配")
            case _:
                return local_time(t.updated_at)
