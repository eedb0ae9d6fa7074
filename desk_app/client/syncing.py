"""SyncingDesk: team mode that survives losing the server.

Reads fall back to what this desktop last saw; new tickets, replies and notes go to the outbox
and are sent, in order and exactly once, when the server answers again. Status changes and
assignments are not queued: they depend on the ticket as it is now, so the user is told they
could not be made.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from desk_app.client.outbox import Outbox, OutboxItem
from desk_app.domain.priority import Priority
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
from desk_app.errors import ConflictError, DeskError, OfflineError, Queued

if TYPE_CHECKING:  # requests is imported only where a team desk is made (app.team_desk)
    from desk_app.client.http import HttpDesk

log = logging.getLogger(__name__)
T = TypeVar("T")
QUEUED_MESSAGE = "无法连接服务器：内容已保存到待发送队列，网络恢复后会自动按顺序发送。"


@dataclass(frozen=True, slots=True)
class FlushReport:
    sent: int
    failed: int
    remaining: int
    online: bool


class SyncingDesk:
    needs_password = True

    def __init__(self, remote: HttpDesk, outbox: Outbox) -> None:
        self.remote = remote
        self.outbox = outbox
        self.online = True
        self._cache: dict[Any, Any] = {}

    # ---- pass-through ---------------------------------------------------------------------

    @property
    def location(self) -> str:
        return self.remote.location

    def sign_in_options(self) -> list[User]:
        return []

    def sign_in(self, login: str, password: str = "") -> User:
        user = self._online(self.remote.sign_in, login, password)
        self.outbox.account = f"{self.remote.location}|{user.login}"
        return user

    def sign_out(self) -> None:
        self.remote.sign_out()

    def me(self) -> User:
        return self.remote.me()

    # ---- reads: fall back to what was last seen --------------------------------------------

    def taxonomy(self) -> Taxonomy:
        return self._read(("taxonomy",), self.remote.taxonomy)

    def staff(self) -> list[User]:
        return self._read(("staff",), self.remote.staff)

    def orgs(self) -> list[Org]:
        return self._read(("orgs",), self.remote.orgs)

    def list_tickets(self, flt: TicketFilter, cursor: str | None = None, limit: int = 50) -> Page:
        return self._read(
            ("list", flt, cursor, limit), lambda: self.remote.list_tickets(flt, cursor, limit)
        )

    def count_tickets(self, flt: TicketFilter) -> int:
        return self._read(("count", flt), lambda: self.remote.count_tickets(flt))

    def get_ticket(self, ticket_id: int) -> TicketDetail:
        return self._read(("ticket", ticket_id), lambda: self.remote.get_ticket(ticket_id))

    def events_since(self, after: int, limit: int = 500) -> list[Event]:
        return self._online(self.remote.events_since, after, limit)

    def event_feed(self, after: int, limit: int = 500) -> EventFeed:
        return self._online(self.remote.event_feed, after, limit)

    # ---- writes ----------------------------------------------------------------------------

    def create_ticket(self, draft: NewTicket) -> TicketDetail:
        key = draft.idempotency_key or str(uuid.uuid4())
        draft = replace(draft, idempotency_key=key)
        return self._send_or_queue(
            lambda: self.remote.create_ticket(draft), "create_ticket", _draft_payload(draft), key
        )

    def reply(
        self,
        ticket_id: int,
        version: int,
        body: str,
        new_status: Status | None = None,
        message_key: str | None = None,
    ) -> TicketDetail:
        key = message_key or str(uuid.uuid4())
        payload = {"ticket_id": ticket_id, "version": version, "body": body}
        return self._send_or_queue(
            lambda: self.remote.reply(ticket_id, version, body, new_status, key),
            "reply",
            payload,
            key,
        )

    def note(
        self, ticket_id: int, version: int, body: str, message_key: str | None = None
    ) -> TicketDetail:
        key = message_key or str(uuid.uuid4())
        payload = {"ticket_id": ticket_id, "version": version, "body": body}
        return self._send_or_queue(
            lambda: self.remote.note(ticket_id, version, body, key), "note", payload, key
        )

    def transition(
        self, ticket_id: int, version: int, target: Status, reason: str | None = None
    ) -> TicketDetail:
        return self._online(self.remote.transition, ticket_id, version, target, reason)

    def assign(self, ticket_id: int, version: int, owner_id: int | None) -> TicketDetail:
        return self._online(self.remote.assign, ticket_id, version, owner_id)

    # ---- the outbox ------------------------------------------------------------------------

    def pending(self) -> list[OutboxItem]:
        return self.outbox.items()

    def flush(self) -> FlushReport:
        """Send what is queued, oldest first; stop at the first sign that the server is gone.

        Called by the window on a timer; it is also the way back online after an outage.
        """
        sent = failed = 0
        if not self.outbox.items(state="pending"):
            with suppress(OfflineError):
                self._online(self.remote.taxonomy)  # a cheap probe: is the server back?

        for item in self.outbox.items(state="pending"):
            try:
                self._send(item)
            except OfflineError as exc:
                self.outbox.tried(item.id, exc.message, failed=False)
                self.online = False
                break
            except DeskError as exc:
                # The server refused it for good (validation, permission, closed ticket): keep it
                # for the user to read and copy, and go on with the next one.
                self.outbox.tried(item.id, exc.message, failed=True)
                failed += 1
                continue
            self.outbox.done(item.id)
            sent += 1
            self.online = True
        remaining = len(self.outbox.items(state="pending"))
        return FlushReport(sent, failed, remaining, self.online)

    def _send(self, item: OutboxItem) -> None:
        p = item.payload
        if item.kind == "create_ticket":
            self.remote.create_ticket(_draft_from(p, item.key))
            return
        send: Callable[[int], TicketDetail]
        if item.kind == "reply":
            send = lambda v: self.remote.reply(p["ticket_id"], v, p["body"], None, item.key)  # noqa: E731
        else:
            send = lambda v: self.remote.note(p["ticket_id"], v, p["body"], item.key)  # noqa: E731
        try:
            send(int(p["version"]))
        except ConflictError as exc:
            # A message adds to the conversation; it does not act on what changed meanwhile, so
            # it is sent against the ticket as it is now (the key still guards against doubles).
            fresh = exc.current or self.remote.get_ticket(int(p["ticket_id"]))
            send(fresh.summary.version)

    # ---- plumbing --------------------------------------------------------------------------

    def _send_or_queue(
        self, send: Callable[[], TicketDetail], kind: str, payload: dict[str, Any], key: str
    ) -> TicketDetail:
        # Writes keep their order: while anything is waiting, or the server was just found
        # gone, a new write queues behind it instead of overtaking it.
        if self.online and self.outbox.items(state="pending"):
            self.flush()
        if self.online and not self.outbox.items(state="pending"):
            try:
                return self._online(send)
            except OfflineError:
                pass
        item = self.outbox.add(kind, payload, key)
        raise Queued(QUEUED_MESSAGE, item.id)

    def _online(self, call: Callable[..., T], *args: Any) -> T:
        try:
            result = call(*args)
        except OfflineError:
            self.online = False
            raise
        self.online = True
        return result

    def _read(self, key: Any, call: Callable[[], T]) -> T:
        try:
            value = self._online(call)
        except OfflineError:
            if key in self._cache:
                return self._cache[key]  # type: ignore[no-any-return]
            raise
        self._cache[key] = value
        return value


def _draft_payload(draft: NewTicket) -> dict[str, Any]:
    return {
        "subject": draft.subject,
        "description": draft.description,
        "category": draft.category,
        "subcategory": draft.subcategory,
        "priority": draft.priority.value if draft.priority else None,
        "org_id": draft.org_id,
        "fields": draft.fields,
    }


def _draft_from(p: dict[str, Any], key: str) -> NewTicket:
    return NewTicket(
        subject=p["subject"],
        description=p["description"],
        category=p["category"],
        subcategory=p["subcategory"],
        priority=Priority(p["priority"]) if p.get("priority") else None,
        org_id=p.get("org_id"),
        fields=p.get("fields") or {},
        idempotency_key=key,
    )
