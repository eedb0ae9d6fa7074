"""LocalDesk: the Desk port served in process, over the embedded database."""

from __future__ import annotations

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
from desk_app.domain.roles import Actor
from desk_app.domain.status import Status
from desk_app.domain.taxonomy import Taxonomy
from desk_app.errors import PermissionDenied
from desk_app.services.context import ServiceContext
from desk_app.services.tickets import TicketService
from desk_app.services.users import UserService, actor_of


class LocalDesk:
    """One signed-in user at a time, like a desktop session.

    Embedded mode is one person's machine and file, so signing in picks an identity without a
    password (anyone with the file could read it anyway); team mode checks passwords on the
    server.
    """

    def __init__(self, ctx: ServiceContext, location: str = "") -> None:
        self._ctx = ctx
        self._users = UserService(ctx)
        self._tickets = TicketService(ctx)
        self._user: User | None = None
        self._location = location

    @property
    def location(self) -> str:
        return self._location

    def sign_in_options(self) -> list[User]:
        return self._users.list_users()

    def sign_in(self, login: str, password: str = "") -> User:
        self._user = self._users.by_login(login)
        return self._user

    def sign_out(self) -> None:
        self._user = None

    def me(self) -> User:
        if self._user is None:
            raise PermissionDenied("请先登录")
        return self._user

    @property
    def _actor(self) -> Actor:
        return actor_of(self.me())

    def taxonomy(self) -> Taxonomy:
        return self._ctx.taxonomy

    def staff(self) -> list[User]:
        return self._users.staff(self._actor)

    def orgs(self) -> list[Org]:
        return self._users.orgs(self._actor)

    def list_tickets(self, flt: TicketFilter, cursor: str | None = None, limit: int = 50) -> Page:
        return self._tickets.list_page(self._actor, flt, cursor=cursor, limit=limit)

    def count_tickets(self, flt: TicketFilter) -> int:
        return self._tickets.count(self._actor, flt)

    def get_ticket(self, ticket_id: int) -> TicketDetail:
        return self._tickets.get(self._actor, ticket_id)

    def events_since(self, after: int, limit: int = 500) -> list[Event]:
        return self._tickets.events_since(self._actor, after, limit)

    def event_feed(self, after: int, limit: int = 500) -> EventFeed:
        return self._tickets.feed(self._actor, after, limit)

    def create_ticket(self, draft: NewTicket) -> TicketDetail:
        return self._tickets.create(self._actor, draft)

    def transition(
        self, ticket_id: int, version: int, target: Status, reason: str | None = None
    ) -> TicketDetail:
        return self._tickets.transition(self._actor, ticket_id, version, target, reason=reason)

    def reply(
        self,
        ticket_id: int,
        version: int,
        body: str,
        new_status: Status | None = None,
        message_key: str | None = None,
    ) -> TicketDetail:
        return self._tickets.reply(
            self._actor, ticket_id, version, body, new_status=new_status, message_key=message_key
        )

    def note(
        self, ticket_id: int, version: int, body: str, message_key: str | None = None
    ) -> TicketDetail:
        return self._tickets.note(self._actor, ticket_id, version, body, message_key=message_key)

    def assign(self, ticket_id: int, version: int, owner_id: int | None) -> TicketDetail:
        return self._tickets.assign(self._actor, ticket_id, version, owner_id)
