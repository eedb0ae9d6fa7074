"""Ticket use cases: create, read, list, search, transition, reply, note, assign.

Every write names the version it read, writes the ticket row and its event in one transaction,
and is refused with the fresh state when someone else changed the ticket in between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import String, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desk_app.db import queries, search_page
from desk_app.db.schema import EventRow, TicketRow, UserRow
from desk_app.db.search import append_to_index
from desk_app.db.tickets import append_event
from desk_app.domain.access import (
    can_read,
    require_may_transition,
    require_staff,
    scope_for,
    sees_internal,
)
from desk_app.domain.events import EventKind
from desk_app.domain.records import (
    Event,
    EventFeed,
    NewTicket,
    Page,
    TicketDetail,
    TicketFilter,
)
from desk_app.domain.roles import Actor, Role
from desk_app.domain.status import Status, check_transition
from desk_app.domain.ticket_text import clean_body
from desk_app.errors import ConflictError, DeskError, NotFound, PermissionDenied, ValidationError
from desk_app.services import privacy
from desk_app.services.context import ServiceContext
from desk_app.services.creation import IDEMPOTENCY_KEY_MAX, KEY_TAKEN, create_ticket

if TYPE_CHECKING:
    from desk_app.db.async_reads import AsyncReads  # a team server's; imports psycopg

PAGE_MAX = 500


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= PAGE_MAX:
        raise ValidationError({"limit": f"每页条数应在 1 到 {PAGE_MAX} 之间"})


class TicketService:
    def __init__(self, ctx: ServiceContext, *, page_reads: AsyncReads | None = None) -> None:
        self._ctx = ctx
        self._page_reads = page_reads

    # ---- reading -------------------------------------------------------------------------

    def get(self, actor: Actor, ticket_id: int) -> TicketDetail:
        with self._ctx.uow() as uow:
            return self._detail(uow.session, actor, ticket_id)

    def get_by_number(self, actor: Actor, number: str) -> TicketDetail:
        with self._ctx.uow() as uow:
            ident = uow.session.scalar(
                select(TicketRow.id).where(TicketRow.number == number.strip().upper())
            )
            if ident is None:
                raise NotFound(f"没有工单 {number}")
            return self._detail(uow.session, actor, ident)

    def list_page(
        self, actor: Actor, flt: TicketFilter, *, cursor: str | None = None, limit: int = 50
    ) -> Page:
        _check_limit(limit)
        reader = search_page.page if flt.text.strip() else queries.page
        with self._ctx.uow(one_statement=True) as uow:
            items, nxt = reader(
                uow.connection,
                scope_for(actor),
                flt,
                actor.user_id,
                cursor=cursor,
                limit=limit,
                names=self._ctx.names,
            )
            return Page(privacy.summaries_for(actor, items), nxt)

    async def list_page_on_loop(
        self, actor: Actor, flt: TicketFilter, *, cursor: str | None = None, limit: int = 50
    ) -> Page | None:
        """list_page without a thread, on a team server over PostgreSQL (db/async_reads.py).
        None when the page must be read by list_page on a worker thread instead: a search
        (several statements), no asyncio reader (SQLite; an event loop psycopg cannot use),
        or a name the cache does not hold yet."""
        if self._page_reads is None or not self._page_reads.usable or flt.text.strip():
            return None
        _check_limit(limit)
        stmt, values = queries.page_query(
            scope_for(actor), flt, actor.user_id, cursor=cursor, limit=limit, dialect="postgresql"
        )
        rows = await self._page_reads.rows(stmt, values)
        names = self._ctx.names.known({r[8] for r in rows}, {r[9] for r in rows})
        if names is None:
            return None
        items, nxt = queries.page_of([queries.to_list_summary(r, *names) for r in rows], limit)
        return Page(privacy.summaries_for(actor, items), nxt)

    def count(self, actor: Actor, flt: TicketFilter) -> int:
        counter = search_page.count if flt.text.strip() else queries.count
        with self._ctx.uow(one_statement=True) as uow:
            return counter(uow.connection, scope_for(actor), flt, actor.user_id)

    def events_since(self, actor: Actor, after: int, limit: int = 500) -> list[Event]:
        """The sync feed: events after global sequence `after` that the actor may see."""
        return list(self.feed(actor, after, limit).events)

    def feed(self, actor: Actor, after: int, limit: int = 500) -> EventFeed:
        if after < 0:
            raise ValidationError({"after": "事件序号不能为负数"})
        with self._ctx.uow() as uow:
            if limit == 0:
                # Where the log ends now: a window that starts here skips the history.
                return EventFeed((), max(queries.feed_head(uow.session), after))
            found, reached = queries.feed(
                uow.session,
                scope_for(actor),
                include_internal=sees_internal(actor),
                after=after,
                limit=min(max(limit, 1), PAGE_MAX),
            )
            return EventFeed(tuple(privacy.event_for(actor, e) for e in found), reached)

    # ---- writing -------------------------------------------------------------------------

    def create(self, actor: Actor, draft: NewTicket) -> TicketDetail:
        return create_ticket(self._ctx, actor, draft, existing=self._by_key)

    def transition(
        self,
        actor: Actor,
        ticket_id: int,
        expected_version: int,
        target: Status,
        *,
        reason: str | None = None,
    ) -> TicketDetail:
        with self._ctx.uow(write=True) as uow:
            s = uow.session
            ticket = self._for_write(s, actor, ticket_id, expected_version)
            current = Status(ticket.status)
            require_may_transition(actor, current, target)
            check_transition(current, target)
            payload: dict[str, Any] = {"from": current.value, "to": target.value}
            if reason and reason.strip():
                payload["reason"] = clean_body(reason, "reason", "原因")
            self._set_status(s, ticket, actor, target, payload)
            return self._commit(uow, actor, ticket.id)

    def reply(
        self,
        actor: Actor,
        ticket_id: int,
        expected_version: int,
        body: str,
        *,
        new_status: Status | None = None,
        message_key: str | None = None,
    ) -> TicketDetail:
        """A public message: from staff an answer, from the merchant a customer reply."""
        text = clean_body(body, "body", "回复内容")
        key = _message_key(message_key)
        with self._ctx.uow(write=True) as uow:
            s = uow.session
            done = self._already_sent(s, actor, ticket_id, key)
            if done is not None:
                return done
            ticket = self._for_write(s, actor, ticket_id, expected_version)
            current = Status(ticket.status)
            if current is Status.CLOSED:
                raise DeskError("工单已关闭，不能再回复。如问题仍在，请新建工单并引用原工单号。")
            now = self._ctx.clock()
            if actor.is_staff:
                append_event(
                    s,
                    ticket,
                    EventKind.REPLIED,
                    actor_id=actor.user_id,
                    at=now,
                    payload={"body": text},
                    client_key=key,
                )
                target = new_status or (Status.OPEN if current is Status.NEW else None)
            else:
                if new_status is not None:
                    raise PermissionDenied("商户回复时不能指定状态")
                append_event(
                    s,
                    ticket,
                    EventKind.CUSTOMER_REPLIED,
                    actor_id=actor.user_id,
                    at=now,
                    payload={"body": text},
                    client_key=key,
                )
                # The merchant answering (or saying it is not solved) puts it back in the queue.
                reopen = (Status.WAITING_CUSTOMER, Status.RESOLVED)
                target = Status.OPEN if current in reopen else None
            if target is not None and target is not current:
                check_transition(current, target)
                self._set_status(
                    s, ticket, actor, target, {"from": current.value, "to": target.value}
                )
            append_to_index(s, ticket.id, text, org_id=ticket.org_id, group=ticket.grp)
            return self._commit(uow, actor, ticket.id)

    def note(
        self,
        actor: Actor,
        ticket_id: int,
        expected_version: int,
        body: str,
        *,
        message_key: str | None = None,
    ) -> TicketDetail:
        require_staff(actor, "写内部备注")
        text = clean_body(body, "body", "备注内容")
        key = _message_key(message_key)
        with self._ctx.uow(write=True) as uow:
            s = uow.session
            done = self._already_sent(s, actor, ticket_id, key)
            if done is not None:
                return done
            ticket = self._for_write(s, actor, ticket_id, expected_version)
            append_event(
                s,
                ticket,
                EventKind.NOTE,
                actor_id=actor.user_id,
                at=self._ctx.clock(),
                payload={"body": text},
                client_key=key,
            )
            return self._commit(uow, actor, ticket.id)

    def assign(
        self, actor: Actor, ticket_id: int, expected_version: int, owner_id: int | None
    ) -> TicketDetail:
        require_staff(actor, "分配工单")
        with self._ctx.uow(write=True) as uow:
            s = uow.session
            ticket = self._for_write(s, actor, ticket_id, expected_version)
            owner_name: str | None = None
            if owner_id is not None:
                owner = s.get(UserRow, owner_id)
                if owner is None or not owner.active:
                    raise ValidationError({"owner_id": "要分配的用户不存在或已停用"})
                if not Role(owner.role).is_staff:
                    raise ValidationError({"owner_id": "工单只能分配给客服或专家，不能分配给商户"})
                owner_name = owner.name
            if ticket.owner_id == owner_id:
                raise ValidationError({"owner_id": "处理人没有变化"})
            # First-contact ownership: once someone owns a ticket, only they (handing over) or an
            # admin may move it.
            if actor.role is not Role.ADMIN and ticket.owner_id not in (None, actor.user_id):
                raise PermissionDenied("这张工单已有处理人：只有当前处理人或管理员可以转交")
            previous = ticket.owner_id
            ticket.owner_id = owner_id
            append_event(
                s,
                ticket,
                EventKind.ASSIGNED,
                actor_id=actor.user_id,
                at=self._ctx.clock(),
                payload={"from": previous, "to": owner_id, "to_name": owner_name},
            )
            return self._commit(uow, actor, ticket.id)

    # ---- helpers -------------------------------------------------------------------------

    def _set_status(
        self, s: Session, ticket: TicketRow, actor: Actor, target: Status, payload: dict[str, Any]
    ) -> None:
        ticket.status = target.value
        append_event(
            s,
            ticket,
            EventKind.STATUS_CHANGED,
            actor_id=actor.user_id,
            at=self._ctx.clock(),
            payload=payload,
        )

    def _for_write(
        self, s: Session, actor: Actor, ticket_id: int, expected_version: int
    ) -> TicketRow:
        # FOR UPDATE (PostgreSQL): a concurrent writer waits here and then sees the new version,
        # instead of racing to append the same event sequence number. SQLite's BEGIN IMMEDIATE
        # already serialises writers.
        ticket = s.get(TicketRow, ticket_id, with_for_update=True)
        if ticket is None or not can_read(actor, org_id=ticket.org_id, group=ticket.grp):
            raise NotFound(f"工单不存在或无权访问（ID {ticket_id}）")
        if ticket.version != expected_version:
            raise ConflictError(
                f"工单 {ticket.number} 已被他人更新（你看到的是第 {expected_version} 版，"
                f"现在是第 {ticket.version} 版）。你输入的内容仍保留，请查看最新内容后再提交。",
                current=self._detail(s, actor, ticket.id),
            )
        return ticket

    def _commit(self, uow: Any, actor: Actor, ticket_id: int) -> TicketDetail:
        s: Session = uow.session
        self._flush(s, ticket_id)
        uow.commit()
        return self._detail(s, actor, ticket_id)

    def _flush(self, s: Session, ticket_id: int) -> None:
        try:
            s.flush()
        except (StaleDataError, IntegrityError):
            s.rollback()
            raise ConflictError(
                "工单刚刚被他人更新，你的更改没有保存，输入的内容仍保留。请刷新后重试。"
            ) from None

    def _already_sent(
        self, s: Session, actor: Actor, ticket_id: int, key: str | None
    ) -> TicketDetail | None:
        """A retried message (same key) is answered with the ticket as it is, not stored twice."""
        if key is None:
            return None
        actor_id = s.scalar(
            select(EventRow.actor_id).where(
                EventRow.ticket_id == ticket_id, EventRow.client_key == key
            )
        )
        if actor_id is None:
            return None
        if actor_id != actor.user_id:
            raise ValidationError({"idempotency_key": KEY_TAKEN})
        return self._detail(s, actor, ticket_id)

    def _by_key(self, s: Session, key: str, actor: Actor) -> TicketDetail | None:
        row = s.connection().execute(_BY_KEY, {"key": key}).first()
        if row is None:
            return None
        if row.created_by != actor.user_id:
            raise ValidationError({"idempotency_key": KEY_TAKEN})
        return self._detail(s, actor, row.id)

    def _detail(self, s: Session, actor: Actor, ticket_id: int) -> TicketDetail:
        head = queries.detail_head(s, ticket_id)
        if head is None or not can_read(
            actor, org_id=head.summary.org_id, group=head.summary.group
        ):
            raise NotFound(f"工单不存在或无权访问（ID {ticket_id}）")
        detail = TicketDetail(
            summary=head.summary,
            description=head.description,
            created_by_id=head.created_by_id,
            created_by_name=head.created_by_name,
            fields=head.fields,
            events=tuple(queries.events(s, ticket_id, include_internal=sees_internal(actor))),
        )
        return privacy.detail_for(actor, detail)


_BY_KEY = select(TicketRow.id, TicketRow.created_by).where(
    TicketRow.idempotency_key == bindparam("key", type_=String)
)


def _message_key(value: str | None) -> str | None:
    key = (value or "").strip() or None
    if key is not None and len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError({"idempotency_key": f"幂等键过长（上限 {IDEMPOTENCY_KEY_MAX} 字符）"})
    return key
