"""Write-side helpers: ticket numbers and appending events to a ticket's chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    Table,
    bindparam,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desk_app.db import driver
from desk_app.db.schema import EventRow, TicketCounterRow, TicketRow
from desk_app.db.search import PG_SEARCH, pg_document
from desk_app.domain.audit import GENESIS, event_hash
from desk_app.domain.events import INTERNAL_KINDS, EventKind
from desk_app.domain.numbers import format_number


def _table(row: type[Any]) -> Table:
    table = row.__table__
    assert isinstance(table, Table)
    return table


# Creation is the busiest write, so its statements are built once and run with parameter
# dicts: a statement built with .values(...) per call spent more CPU on SQLAlchemy's
# expression objects and cache keys than the database spent on the insert.
_TICKETS = _table(TicketRow)
_EVENTS = _table(EventRow)
_COUNTERS = _table(TicketCounterRow)
_INSERT_TICKET = insert(_TICKETS).returning(_TICKETS.c.id)
_INSERT_EVENT = insert(_EVENTS).returning(_EVENTS.c.id)


@lru_cache(maxsize=4)
def _take_serial(dialect: str) -> Any:
    ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(_COUNTERS).values(
        day=bindparam("day", type_=String), last=1
    )
    return ins.on_conflict_do_update(
        index_elements=[_COUNTERS.c.day], set_={"last": _COUNTERS.c.last + 1}
    ).returning(_COUNTERS.c.last)


def next_number(session: Session, day: date) -> str:
    """Take the next serial for `day` atomically (safe with several writers on PostgreSQL)."""
    stmt = _take_serial(session.get_bind().dialect.name)
    serial = session.connection().execute(stmt, {"day": f"{day:%Y%m%d}"}).scalar_one()
    return format_number(day, int(serial))


@dataclass(frozen=True, slots=True)
class Claim:
    """What `pg_claim_number` found: the ticket already filed with the key, or a new number."""

    filed_id: int | None
    filed_by: int | None
    number: str | None


def pg_claim_number(conn: Connection, key: str | None, day: date) -> Claim:
    """PostgreSQL, in autocommit: the ticket already filed with idempotency `key`, or else the
    day's next number, taken and committed by the same statement: three round trips fewer
    than a transaction of its own that looks up the key, then takes the number."""
    found = driver.first(conn, _PG_CLAIM, {"key": key, "day": f"{day:%Y%m%d}"})
    assert found is not None  # a SELECT without FROM always answers one row
    filed_id, filed_by, serial = found
    return Claim(filed_id, filed_by, None if serial is None else format_number(day, int(serial)))


# A data-modifying WITH runs to completion whether or not the outer query reads it; the
# counter is only touched when no ticket holds the key.
_PG_CLAIM = text(
    "WITH filed AS (SELECT id, created_by FROM tickets WHERE idempotency_key = :key),"
    " taken AS (INSERT INTO ticket_counters (day, last) SELECT :day, 1"
    " WHERE NOT EXISTS (SELECT 1 FROM filed)"
    " ON CONFLICT (day) DO UPDATE SET last = ticket_counters.last + 1 RETURNING last)"
    " SELECT (SELECT id FROM filed), (SELECT created_by FROM filed), (SELECT last FROM taken)"
)


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


@dataclass(frozen=True, slots=True)
class NewRow:
    """What inserting a ticket decided: its id and number, and the first link of its chain."""

    ticket_id: int
    number: str
    first_hash: str


def insert_ticket(
    session: Session,
    values: dict[str, Any],
    *,
    number: str,
    actor_id: int,
    at: datetime,
    payload: dict[str, Any],
    pg_search_body: str | None = None,
) -> NewRow:
    """A new ticket row, written once; `insert_created_event` adds its first event. With
    `pg_search_body` (PostgreSQL) its search document is written by the same statement.

    Creation is the busiest write. The ORM path (insert, then an UPDATE for the event's link and
    version, then re-reading the detail) held the day's counter row and the event-order lock for
    a dozen statements; here the chain link is computed before the insert, so the row is written
    once, and the caller takes the event-order lock last, just before the event row.
    """
    row, digest = _first_row(values, number=number, actor_id=actor_id, at=at, payload=payload)
    if pg_search_body is None:
        ticket_id = session.connection().execute(_INSERT_TICKET, row).scalar_one()
    else:
        stmt = _pg_insert_indexed(tuple(sorted(row)))
        found = driver.first(session.connection(), stmt, {**row, _SEARCH_BODY: pg_search_body})
        assert found is not None  # RETURNING of a one-row insert
        ticket_id = found[0]
    return NewRow(int(ticket_id), number, digest)


def _first_row(
    values: dict[str, Any], *, number: str, actor_id: int, at: datetime, payload: dict[str, Any]
) -> tuple[dict[str, Any], str]:
    digest = event_hash(
        GENESIS,
        ticket_number=number,
        seq=1,
        kind=EventKind.CREATED.value,
        actor_id=actor_id,
        at=at,
        payload=payload,
    )
    row = {**values, "number": number, "last_seq": 1, "last_hash": digest, "version": 1}
    return row, digest


_SEARCH_BODY = "search_body"


def _bound_insert(table: Table, columns: tuple[str, ...]) -> Any:
    # Every value a named parameter: the driver runs the statement itself (db/driver.py),
    # so its SQL must not depend on which values an execute() brings.
    bound = {name: bindparam(name, type_=table.c[name].type) for name in columns}
    return insert(table).values(bound).returning(table.c.id)


@lru_cache(maxsize=4)
def _pg_insert_event(columns: tuple[str, ...]) -> Any:
    return _bound_insert(_EVENTS, columns)


@lru_cache(maxsize=4)
def _pg_insert_indexed(columns: tuple[str, ...]) -> Any:
    # Run by the driver (db/driver.py), which passes dictionaries as JSON and timestamps as
    # they are; the search document is the tsvector of the same text as search.py's.
    ticket = _bound_insert(_TICKETS, columns).cte("new_ticket")
    doc = pg_document(bindparam(_SEARCH_BODY, type_=String))
    return (
        insert(PG_SEARCH)
        .from_select(["ticket_id", "doc"], select(ticket.c.id, doc))
        .returning(PG_SEARCH.c.ticket_id)
    )


def insert_created_event(
    session: Session, row: NewRow, *, actor_id: int, at: datetime, payload: dict[str, Any]
) -> int:
    """The `created` event of a ticket from `insert_ticket`; returns its global sequence id."""
    if session.get_bind().dialect.name == "postgresql":
        announce_event(session)
    values = {
        "ticket_id": row.ticket_id,
        "seq": 1,
        "kind": EventKind.CREATED.value,
        "actor_id": actor_id,
        "at": at,
        "internal": False,
        "payload": payload,
        "prev_hash": GENESIS,
        "hash": row.first_hash,
    }
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return int(conn.execute(_INSERT_EVENT, values).scalar_one())
    found = driver.first(conn, _pg_insert_event(tuple(sorted(values))), values)
    assert found is not None  # RETURNING of a one-row insert
    return int(found[0])


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
    driver.first(session.connection(), _ANNOUNCE, {"k": EVENT_ORDER_LOCK, "c": EVENT_CHANNEL})


_ANNOUNCE = text("SELECT pg_advisory_xact_lock(:k), pg_notify(:c, '')")
