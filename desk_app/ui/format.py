"""How values look in the window: local times, labels and colours."""

from __future__ import annotations

from datetime import datetime

from desk_app.domain.priority import Priority
from desk_app.domain.roles import Role
from desk_app.domain.status import Status
from desk_app.ui.i18n import tr

STATUS_COLORS: dict[Status, str] = {
    Status.NEW: "#1677ff",
    Status.OPEN: "#fa8c16",
    Status.WAITING_CUSTOMER: "#eb2f96",
    Status.RESOLVED: "#52c41a",
    Status.CLOSED: "#8c8c8c",
}
PRIORITY_COLORS: dict[Priority, str] = {
    Priority.URGENT: "#f5222d",
    Priority.HIGH: "#fa8c16",
    Priority.NORMAL: "#595959",
    Priority.LOW: "#8c8c8c",
}


def local_time(value: datetime, *, seconds: bool = False) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def status_label(status: Status) -> str:
    return tr(status.label)


def priority_label(priority: Priority) -> str:
    return tr(priority.label)


def role_label(role: Role | None) -> str:
    return tr(role.label) if role else tr("系统")
