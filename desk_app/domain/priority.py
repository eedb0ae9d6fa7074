"""Priorities and the first-response promise that comes with each (seed documents)."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def label(self) -> str:
        return PRIORITY_LABELS[self]

    @property
    def rank(self) -> int:
        """0 is most urgent; used to sort queues."""
        return list(Priority).index(self)

    @property
    def first_response(self) -> timedelta:
        return FIRST_RESPONSE[self]


PRIORITY_LABELS: dict[Priority, str] = {
    Priority.URGENT: "紧急",
    Priority.HIGH: "重要",
    Priority.NORMAL: "普通",
    Priority.LOW: "低",
}

FIRST_RESPONSE: dict[Priority, timedelta] = {
    Priority.URGENT: timedelta(hours=1),
    Priority.HIGH: timedelta(hours=4),
    Priority.NORMAL: timedelta(hours=24),
    Priority.LOW: timedelta(hours=48),
}
