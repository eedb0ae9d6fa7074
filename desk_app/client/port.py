"""The Desk port: every operation the UI may ask for, independent of where the data lives.

LocalDesk serves it in process over SQLite; HttpDesk (team mode) over the server API. One
contract suite (tests/contract) runs against every adapter.
"""

from __future__ import annotations

from typing import Protocol

from desk_app.domain.records import (
    Event,
    EventFeed,
    NewTicket,
    Org,
    Page,
    TicketDetail,
    TicketFilter,
    User,
)
from desk_app.domain.status import Status
from desk_app.domain.taxonomy import Taxonomy


class Desk(Protocol):
    @property
    def location(self) -> str:
        """Where the data lives, for the status bar (a file path or a server address)."""
        ...

    # Identity
    def sign_in_options(self) -> list[User]: ...
    def sign_in(self, login: str, password: str = "") -> User: ...
    def sign_out(self) -> None: ...
    def me(self) -> User: ...

    # Reference data
    def taxonomy(self) -> Taxonomy: ...
    def staff(self) -> list[User]: ...
    def orgs(self) -> list[Org]: ...

    # Tickets: reading
    def list_tickets(
        self, flt: TicketFilter, cursor: str | None = None, limit: int = 50
    ) -> Page: ...
    def count_tickets(self, flt: TicketFilter) -> int: ...
    def get_ticket(self, ticket_id: int) -> TicketDetail: ...
    def events_since(self, after: int, limit: int = 500) -> list[Event]: ...
    def event_feed(self, after: int, limit: int = 500) -> EventFeed:
        """Like events_since, plus the sequence number to resume after (which moves past
        events this user may not see, so a poller never rescans them). `limit=0` returns no
        events and the end of the log: where a newly opened window starts listening."""
        ...

    # Tickets: writing (each names the version it read)
    def create_ticket(self, draft: NewTicket) -> TicketDetail: ...
    def transition(
        self, ticket_id: int, version: int, target: Status, reason: str | None = None
    ) -> TicketDetail: ...
    def reply(
        self,
        ticket_id: int,
        version: int,
        body: str,
        new_status: Status | None = None,
        message_key: str | None = None,
    ) -> TicketDetail:
        """A public message. `message_key` makes a retry (the outbox) land once."""
        ...

    def note(
        self, ticket_id: int, version: int, body: str, message_key: str | None = None
    ) -> TicketDetail: ...
    def assign(self, ticket_id: int, version: int, owner_id: int | None) -> TicketDetail: ...
