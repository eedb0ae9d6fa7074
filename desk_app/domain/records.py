"""Plain values that cross the Desk port: what services return and the UI shows.

They are the same for the embedded and the HTTP adapter, so they hold only JSON-friendly
types (str, int, bool, datetime in UTC, dicts) and know how to round-trip through JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from desk_app.domain.events import EventKind
from desk_app.domain.priority import Priority
from desk_app.domain.roles import Role
from desk_app.domain.status import Status


@dataclass(frozen=True, slots=True)
class Org:
    id: int
    name: str
    tier: str = "standard"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    login: str
    name: str
    role: Role
    org_id: int | None
    org_name: str | None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TicketSummary:
    id: int
    number: str
    subject: str
    status: Status
    priority: Priority
    category: str
    subcategory: str
    group: str
    org_id: int
    org_name: str
    owner_id: int | None
    owner_name: str | None
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class Event:
    id: int  # global sequence number
    ticket_id: int
    seq: int  # position in the ticket's own chain
    kind: EventKind
    actor_id: int | None
    actor_name: str
    actor_role: Role | None
    at: datetime
    internal: bool
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def body(self) -> str | None:
        value = self.payload.get("body")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class EventFeed:
    """A page of the sync feed: the events, and the sequence number to resume after."""

    events: tuple[Event, ...]
    last_id: int


@dataclass(frozen=True, slots=True)
class TicketDetail:
    summary: TicketSummary
    description: str
    created_by_id: int
    created_by_name: str
    fields: dict[str, Any]
    events: tuple[Event, ...]


# A search's hit count stops here when filters must be checked ticket by ticket: such a count
# is then exactly SEARCH_COUNT_LIMIT + 1, "more than this many" (shown as 10,000+). Counts the
# index answers alone (no filter beyond the actor's scope) and queue counts are always exact.
SEARCH_COUNT_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class TicketFilter:
    """What a queue shows. With `text`, results come newest-filed first (db/search_page.py)."""

    statuses: tuple[Status, ...] = ()
    categories: tuple[str, ...] = ()
    subcategories: tuple[str, ...] = ()
    priorities: tuple[Priority, ...] = ()
    owner: str | None = None  # "me", "none", or a user id as text
    group: str | None = None
    org_id: int | None = None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Page:
    items: tuple[TicketSummary, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class NewTicket:
    subject: str
    description: str
    category: str
    subcategory: str
    priority: Priority | None = None  # None: the subcategory's default
    org_id: int | None = None  # staff filing on behalf of a merchant must name the org
    fields: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None


def field_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]
