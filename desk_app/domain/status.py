"""Ticket statuses and the transitions between them."""

from __future__ import annotations

from enum import StrEnum

from desk_app.errors import IllegalTransition


class Status(StrEnum):
    NEW = "new"
    OPEN = "open"
    WAITING_CUSTOMER = "waiting_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_active(self) -> bool:
        return self not in (Status.RESOLVED, Status.CLOSED)


STATUS_LABELS: dict[Status, str] = {
    Status.NEW: "待处理",
    Status.OPEN: "处理中",
    Status.WAITING_CUSTOMER: "待补充",
    Status.RESOLVED: "已解决",
    Status.CLOSED: "已关闭",
}

# Closed is final: a merchant who is unhappy after closing files a new ticket that links back,
# so that the closed record (and its rating) stays what it was.
ALLOWED: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.OPEN, Status.WAITING_CUSTOMER, Status.RESOLVED}),
    Status.OPEN: frozenset({Status.WAITING_CUSTOMER, Status.RESOLVED}),
    Status.WAITING_CUSTOMER: frozenset({Status.OPEN, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


def check_transition(current: Status, target: Status) -> None:
    """Raise IllegalTransition unless `current -> target` is allowed."""
    if target == current:
        raise IllegalTransition(f"工单已经是「{current.label}」状态，无需变更")
    if target not in ALLOWED[current]:
        allowed = "、".join(s.label for s in sorted(ALLOWED[current], key=_order))
        hint = (
            f"可变更为：{allowed}"
            if allowed
            else "已关闭的工单不能再变更，请新建工单并引用原工单号"
        )
        raise IllegalTransition(f"不能从「{current.label}」变更为「{target.label}」。{hint}")


def _order(status: Status) -> int:
    return list(Status).index(status)
