"""Write-side helpers: ticket numbers and appending events to a ticket's chain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desk_app.db.schema import EventRow, TicketCounterRow, TicketRow
from desk_app.domain.audit import event_hash
from desk_app.domain.events import INTERNAL_KINDS, EventKind
from desk_app.domain.numbers import format_number


def next_number(session: Session, day: date) -> str:
    """Take the next serial for `day` atomically (safe with several writers on PostgreSQL)."""
    key = f"{day:%Y%m%d}"
    table = TicketCounterRow.__table__
    assert isinstance(table, Table)
    dialect = session.get_bind().dialect.name
    ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(table).values(day=key, last=1)
    stmt = ins.on_conflict_do_update(
        index_elements=[table.c.day], set_={"last": table.c.last + 1}
    ).returning(table.c.last)
    serial = session.execute(stmt).scalar_one()
    return format_number(day, int(serial))


def append_event(
    session: Session,
    ticket: TicketRow,
    kind: EventKind,
    *,
    actor_id: int | None,
    at: datetime,
    payload: dict[str, Any] | None = None,
    client_key: str | None = None,
) -> EventRow:
    """Add the next link of the ticket's chain and touch the ticket (its version moves on)."""
    if session.get_bind().dialect.name == "postgresql":
        announce_event(session)
    body = payload or {}
    seq = ticket.last_seq + 1
    digest = event_hash(
        ticket.last_hash,
        ticket_number=ticket.number,
        seq=seq,
        kind=kind.value,
        actor_id=actor_id,
        at=at,
        payload=body,
    )
    row = EventRow(
        ticket_id=ticket.id,
        seq=seq,
        kind=kind.value,
        actor_id=actor_id,
        at=at,
        internal=kind in INTERNAL_KINDS,
        payload=body,
        prev_hash=ticket.last_hash,
        hash=digest,
        client_key=client_key,
    )
    session.add(row)
    ticket.last_seq = seq
    ticket.last_hash = digest
    ticket.updated_at = at
    return row


EVENT_CHANNEL = "desk_events"
# Any constant works; it only has to be the same in every server process.
EVENT_ORDER_LOCK = 0x6465736B


def announce_event(session: Session) -> None:
    """Keep the global event sequence in commit order, and wake the live streams.

    Identity values are handed out at insert but become visible at commit, so two writers could
    commit ids 11 and 10 in that order and a reader that saw 11 would skip 10 forever. Holding a
    transaction-scoped advisory lock from the first event insert to commit makes id order and
    commit order the same. NOTIFY is delivered at commit, once per transaction.
    """
    session.execute(
        text("SELECT pg_advisory_xact_lock(:k), pg_notify(:c, '')"),
        {"k": EVENT_ORDER_LOCK, "c": EVENT_CHANNEL},
    )
