"""Verifying every ticket's event chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.db.schema import EventRow, TicketRow
from desk_app.domain.audit import BrokenLink, ChainLink, verify_chain
from desk_app.services.context import ServiceContext

BATCH = 2_000


@dataclass(frozen=True, slots=True)
class AuditReport:
    tickets: int
    events: int
    broken: tuple[BrokenLink, ...]

    @property
    def ok(self) -> bool:
        return not self.broken


class AuditService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def verify(self, *, stop_at_first: bool = False) -> AuditReport:
        broken: list[BrokenLink] = []
        tickets = events = 0
        with self._ctx.uow() as uow:
            for number, links, last_hash, last_seq in self._chains(uow.session):
                tickets += 1
                events += len(links)
                bad = verify_chain(links)
                if (
                    bad is None
                    and links
                    and (links[-1].hash != last_hash or links[-1].seq != last_seq)
                ):
                    bad = BrokenLink(
                        number,
                        links[-1].event_id,
                        links[-1].seq,
                        "工单记录的链尾与最后一条事件不符（事件被删除？）",
                    )
                if bad is not None:
                    broken.append(bad)
                    if stop_at_first:
                        break
        return AuditReport(tickets, events, tuple(broken))

    def _chains(self, session: Session) -> Iterator[tuple[str, list[ChainLink], str, int]]:
        last_id = 0
        while True:
            heads = session.execute(
                select(TicketRow.id, TicketRow.number, TicketRow.last_hash, TicketRow.last_seq)
                .where(TicketRow.id > last_id)
                .order_by(TicketRow.id)
                .limit(BATCH)
            ).all()
            if not heads:
                return
            ids = [h.id for h in heads]
            by_ticket: dict[int, list[ChainLink]] = {i: [] for i in ids}
            numbers = {h.id: h.number for h in heads}
            for ev in session.scalars(
                select(EventRow)
                .where(EventRow.ticket_id.in_(ids))
                .order_by(EventRow.ticket_id, EventRow.seq)
            ):
                by_ticket[ev.ticket_id].append(
                    ChainLink(
                        event_id=ev.id,
                        ticket_number=numbers[ev.ticket_id],
                        seq=ev.seq,
                        kind=ev.kind,
                        actor_id=ev.actor_id,
                        at=ev.at,
                        payload=ev.payload or {},
                        prev_hash=ev.prev_hash,
                        hash=ev.hash,
                    )
                )
            for h in heads:
                yield h.number, by_ticket[h.id], h.last_hash, h.last_seq
            last_id = ids[-1]
