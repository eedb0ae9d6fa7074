"""What can happen to a ticket. Every change is one of these, in order, forever."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    CREATED = "created"
    STATUS_CHANGED = "status_changed"
    ASSIGNED = "assigned"
    REPLIED = "replied"  # public answer from staff
    CUSTOMER_REPLIED = "customer_replied"  # message from the merchant
    NOTE = "note"  # internal; never shown to merchants
    PRIORITY_CHANGED = "priority_changed"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]

    @property
    def is_message(self) -> bool:
        return self in (EventKind.REPLIED, EventKind.CUSTOMER_REPLIED, EventKind.NOTE)


EVENT_LABELS: dict[EventKind, str] = {
    EventKind.CREATED: "创建工单",
    EventKind.STATUS_CHANGED: "状态变更",
    EventKind.ASSIGNED: "分配处理人",
    EventKind.REPLIED: "客服回复",
    EventKind.CUSTOMER_REPLIED: "商户回复",
    EventKind.NOTE: "内部备注",
    EventKind.PRIORITY_CHANGED: "优先级变更",
}

INTERNAL_KINDS = frozenset({EventKind.NOTE})
