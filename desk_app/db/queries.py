"""Read side: queue pages (keyset), counts and ticket detail, scoped by permissions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    bindparam,
    false,
    func,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from desk_app.db import driver, filter_sql
from desk_app.db.names import NameCache
from desk_app.db.schema import EventRow, OrgRow, TicketRow, UserRow
from desk_app.db.types import UTCDateTime
from desk_app.domain.access import Scope
from desk_app.domain.events import EventKind
from desk_app.domain.priority import Priority
from desk_app.domain.records import Event, TicketFilter, TicketSummary
from desk_app.domain.roles import Role
from desk_app.domain.status import Status
from desk_app.errors import ValidationError

_owner = aliased(UserRow, name="owner")
_creator = aliased(UserRow, name="creator")

# Lists read the bare rows; names come from db/names.py (see there for why). A single ticket's
# head joins the two names in, after the same columns.
_LIST_COLUMNS = (
    TicketRow.id,
    TicketRow.number,
    TicketRow.subject,
    TicketRow.status,
    TicketRow.priority,
    TicketRow.category,
    TicketRow.subcategory,
    TicketRow.grp,
    TicketRow.org_id,
    TicketRow.owner_id,
    TicketRow.created_at,
    TicketRow.updated_at,
    TicketRow.version,
)
_SUMMARY_COLUMNS = (*_LIST_COLUMNS, OrgRow.name, _owner.name)


_SUMMARY_SELECT = (
    select(*_SUMMARY_COLUMNS)
    .join(OrgRow, OrgRow.id == TicketRow.org_id)
    .outerjoin(_owner, _owner.id == TicketRow.owner_id)
)


_LIST_SELECT = select(*_LIST_COLUMNS)


def list_select() -> Select[*tuple[Any, ...]]:
    return _LIST_SELECT


def to_list_summary(
    row: Sequence[Any], orgs: dict[int, str], users: dict[int, str]
) -> TicketSummary:
    """A row of list_select() as a summary, with names from NameCache.names()."""
    owner = row[9]
    return TicketSummary(
        id=row[0],
        number=row[1],
        subject=row[2],
        status=_STATUS[row[3]],
        priority=_PRIORITY[row[4]],
        category=row[5],
        subcategory=row[6],
        group=row[7],
        org_id=row[8],
        org_name=orgs.get(row[8], ""),
        owner_id=owner,
        owner_name=None if owner is None else users.get(owner),
        # Cheap when the value is in UTC already, as PostgreSQL's connections hand it over.
        created_at=row[10].astimezone(UTC),
        updated_at=row[11].astimezone(UTC),
        version=row[12],
    )


def list_summaries(conn: Connection, names: NameCache, rows: Sequence[Any]) -> list[TicketSummary]:
    orgs, users = names.names(conn, {r[8] for r in rows}, {r[9] for r in rows})
    return [to_list_summary(r, orgs, users) for r in rows]


def summary_select() -> Select[*tuple[Any, ...]]:
    # Statements are immutable (each .where() makes a new one), so one base serves every page.
    return _SUMMARY_SELECT


# Enum(value) goes through the enum machinery on every call; a page converts hundreds.
_STATUS = {s.value: s for s in Status}
_PRIORITY = {p.value: p for p in Priority}


def to_summary(row: Sequence[Any]) -> TicketSummary:
    """A row of summary_select(): list columns, then the organisation's and owner's names."""
    n = len(_LIST_COLUMNS)
    owner = row[9]
    return to_list_summary(row, {row[8]: row[n]}, {} if owner is None else {owner: row[n + 1]})


def scope_condition(scope: Scope) -> ColumnElement[bool] | None:
    """The tickets a scope reaches, as SQL (None: all of them)."""
    if scope.everything:
        return None
    if scope.org_id is not None:
        return TicketRow.org_id == scope.org_id
    if scope.groups:
        return TicketRow.grp.in_(sorted(scope.groups))
    return false()


def feed_head(session: Session) -> int:
    return int(session.execute(select(func.max(EventRow.id))).scalar() or 0)


def feed(
    session: Session, scope: Scope, *, include_internal: bool, after: int, limit: int
) -> tuple[list[Event], int]:
    """Visible events after `after`, and the id up to which the log has been read.

    The high-water mark is read first: event ids are committed in order (db/tickets.py), so
    every id at or below it is final, and a reader that resumes from it skips nothing.
    """
    high = feed_head(session)
    stmt = (
        select(EventRow, UserRow.name, UserRow.role)
        .join(TicketRow, TicketRow.id == EventRow.ticket_id)
        .outerjoin(UserRow, UserRow.id == EventRow.actor_id)
        .where(EventRow.id > after, EventRow.id <= high)
        .order_by(EventRow.id)
        .limit(limit)
    )
    scoped = scope_condition(scope)
    if scoped is not None:
        stmt = stmt.where(scoped)
    if not include_internal:
        stmt = stmt.where(EventRow.internal.is_(False))
    found = [to_event(ev, name, role) for ev, name, role in session.execute(stmt)]
    reached = found[-1].id if len(found) == limit else max(high, after)
    return found, reached


def encode_cursor(updated_at: datetime, ticket_id: int) -> str:
    return f"{updated_at.isoformat()}|{ticket_id}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        stamp, _, ident = cursor.rpartition("|")
        value = datetime.fromisoformat(stamp)
        if value.tzinfo is None:
            raise ValueError("cursor without zone")
        return value, int(ident)
    except ValueError:
        raise ValidationError({"cursor": "翻页位置无效，请刷新列表"}) from None


def page(
    conn: Connection,
    scope: Scope,
    flt: TicketFilter,
    actor_id: int,
    *,
    cursor: str | None,
    limit: int,
    names: NameCache,
) -> tuple[list[TicketSummary], str | None]:
    stmt, values = page_query(
        scope, flt, actor_id, cursor=cursor, limit=limit, dialect=conn.dialect.name
    )
    return page_of(list_summaries(conn, names, driver.rows(conn, stmt, values)), limit)


def page_query(
    scope: Scope, flt: TicketFilter, actor_id: int, *, cursor: str | None, limit: int, dialect: str
) -> tuple[Select[Any], dict[str, Any]]:
    """The statement of a queue page and its values: one row more than `limit`, which says
    whether another page follows."""
    shape, values = filter_sql.bind(scope, flt, actor_id)
    values["p_limit"] = limit + 1
    if cursor:
        values["p_at"], values["p_id"] = decode_cursor(cursor)
    return _page_statement(shape, dialect, after=bool(cursor)), values


def page_of(rows: list[TicketSummary], limit: int) -> tuple[list[TicketSummary], str | None]:
    """The page and the cursor of the next one, from page_query's rows."""
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].updated_at, rows[-1].id) if more and rows else None
    return rows, next_cursor


@lru_cache(maxsize=512)
def _page_statement(shape: filter_sql.Shape, dialect: str, *, after: bool) -> Select[Any]:
    stmt = list_select().where(*filter_sql.where(shape, dialect))
    if after:
        # A row-value comparison is one index range; the OR form made SQLite rescan from the top.
        stmt = stmt.where(
            tuple_(TicketRow.updated_at, TicketRow.id)
            < tuple_(bindparam("p_at", type_=UTCDateTime()), bindparam("p_id", type_=Integer))
        )
    return stmt.order_by(TicketRow.updated_at.desc(), TicketRow.id.desc()).limit(
        bindparam("p_limit", type_=Integer)
    )


def count(conn: Connection, scope: Scope, flt: TicketFilter, actor_id: int) -> int:
    shape, values = filter_sql.bind(scope, flt, actor_id)
    stmt = _count_statement(shape, conn.dialect.name)
    return int(conn.execute(stmt, values).scalar_one())


@lru_cache(maxsize=512)
def _count_statement(shape: filter_sql.Shape, dialect: str) -> Select[Any]:
    return select(func.count()).select_from(TicketRow).where(*filter_sql.where(shape, dialect))


@dataclass(frozen=True, slots=True)
class DetailHead:
    """What a ticket's detail shows above its events, read in one query."""

    summary: TicketSummary
    description: str
    created_by_id: int
    created_by_name: str
    fields: dict[str, Any]


def detail_head(session: Session, ticket_id: int) -> DetailHead | None:
    stmt = (
        summary_select()
        .add_columns(TicketRow.description, TicketRow.created_by, TicketRow.fields, _creator.name)
        .join(_creator, _creator.id == TicketRow.created_by)
        .where(TicketRow.id == ticket_id)
    )
    row = session.execute(stmt).first()
    if row is None:
        return None
    n = len(_SUMMARY_COLUMNS)
    return DetailHead(
        summary=to_summary(row),
        description=row[n],
        created_by_id=row[n + 1],
        fields=dict(row[n + 2] or {}),
        created_by_name=row[n + 3],
    )


def events(session: Session, ticket_id: int, *, include_internal: bool) -> list[Event]:
    stmt = (
        select(EventRow, UserRow.name, UserRow.role)
        .outerjoin(UserRow, UserRow.id == EventRow.actor_id)
        .where(EventRow.ticket_id == ticket_id)
        .order_by(EventRow.seq)
    )
    if not include_internal:
        stmt = stmt.where(EventRow.internal.is_(False))
    return [to_event(ev, name, role) for ev, name, role in session.execute(stmt)]


def to_event(ev: EventRow, name: str | None, role: str | None) -> Event:
    return Event(
        id=ev.id,
        ticket_id=ev.ticket_id,
        seq=ev.seq,
        kind=EventKind(ev.kind),
        actor_id=ev.actor_id,
        actor_name=name or "系统",
        actor_role=Role(role) if role else None,
        at=ev.at,
        internal=ev.internal,
        payload=dict(ev.payload or {}),
    )
