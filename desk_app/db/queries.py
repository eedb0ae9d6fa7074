"""Read side: queue pages (keyset), counts and ticket detail, scoped by permissions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

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

_SUMMARY_COLUMNS = (
    TicketRow.id,
    TicketRow.number,
    TicketRow.subject,
    TicketRow.status,
    TicketRow.priority,
    TicketRow.category,
    TicketRow.subcategory,
    TicketRow.grp,
    TicketRow.org_id,
    OrgRow.name,
    TicketRow.owner_id,
    _owner.name,
    TicketRow.created_at,
    TicketRow.updated_at,
    TicketRow.version,
)


def summary_select() -> Select[*tuple[Any, ...]]:
    return (
        select(*_SUMMARY_COLUMNS)
        .join(OrgRow, OrgRow.id == TicketRow.org_id)
        .outerjoin(_owner, _owner.id == TicketRow.owner_id)
    )


def to_summary(row: Sequence[Any]) -> TicketSummary:
    return TicketSummary(
        id=row[0],
        number=row[1],
        subject=row[2],
        status=Status(row[3]),
        priority=Priority(row[4]),
        category=row[5],
        subcategory=row[6],
        group=row[7],
        org_id=row[8],
        org_name=row[9],
        owner_id=row[10],
        owner_name=row[11],
        created_at=row[12],
        updated_at=row[13],
        version=row[14],
    )


def conditions(
    session: Session, scope: Scope, flt: TicketFilter, actor_id: int
) -> list[ColumnElement[bool]]:
    """Scope and filters as SQL; `flt.text` is left to db/search_page.py, which orders by it."""
    conds: list[ColumnElement[bool]] = []
    scoped = scope_condition(scope)
    if scoped is not None:
        conds.append(scoped)
    if flt.statuses:
        conds.append(
            _unordered(TicketRow.status, len(flt.statuses)).in_([s.value for s in flt.statuses])
        )
    if flt.categories:
        conds.append(TicketRow.category.in_(list(flt.categories)))
    if flt.subcategories:
        conds.append(TicketRow.subcategory.in_(list(flt.subcategories)))
    if flt.priorities:
        conds.append(TicketRow.priority.in_([p.value for p in flt.priorities]))
    if flt.group:
        conds.append(TicketRow.grp == flt.group)
    if flt.org_id is not None:
        conds.append(TicketRow.org_id == flt.org_id)
    if flt.owner:
        conds.append(_owner_condition(flt.owner, actor_id))
    return conds


def scope_condition(scope: Scope) -> ColumnElement[bool] | None:
    """The tickets a scope reaches, as SQL (None: all of them)."""
    if scope.everything:
        return None
    if scope.org_id is not None:
        return TicketRow.org_id == scope.org_id
    if scope.groups:
        return _unordered(TicketRow.grp, len(scope.groups)).in_(sorted(scope.groups))
    return false()


def _unordered(column: InstrumentedAttribute[str], values: int) -> ColumnElement[str]:
    """Keep SQLite from choosing an index on `column` when several values are asked for.

    Queues are read newest first: for one value an index on (column, updated_at) yields rows in
    order, but for several it returns them grouped by value and SQLite sorts every match (800 ms
    on a million tickets). Walking the updated_at index and filtering is then far cheaper; the
    `|| ''` makes the column an expression that no index covers.
    """
    return column.concat("") if values > 1 else column.expression


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


def _owner_condition(owner: str, actor_id: int) -> ColumnElement[bool]:
    if owner == "me":
        return TicketRow.owner_id == actor_id
    if owner == "none":
        return TicketRow.owner_id.is_(None)
    if owner.isdigit():
        return TicketRow.owner_id == int(owner)
    raise ValidationError({"owner": f"处理人筛选「{owner}」无效：应为 me、none 或用户编号"})


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
    session: Session,
    scope: Scope,
    flt: TicketFilter,
    actor_id: int,
    *,
    cursor: str | None,
    limit: int,
) -> tuple[list[TicketSummary], str | None]:
    stmt = summary_select().where(*conditions(session, scope, flt, actor_id))
    if cursor:
        at, ident = decode_cursor(cursor)
        # A row-value comparison is one index range; the OR form made SQLite rescan from the top.
        stmt = stmt.where(
            tuple_(TicketRow.updated_at, TicketRow.id)
            < tuple_(literal(at, UTCDateTime()), literal(ident))
        )
    stmt = stmt.order_by(TicketRow.updated_at.desc(), TicketRow.id.desc()).limit(limit + 1)
    rows = [to_summary(r) for r in session.execute(stmt)]
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].updated_at, rows[-1].id) if more and rows else None
    return rows, next_cursor


def count(session: Session, scope: Scope, flt: TicketFilter, actor_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(TicketRow)
        .where(*conditions(session, scope, flt, actor_id))
    )
    return int(session.execute(stmt).scalar_one())


def summary(session: Session, ticket_id: int) -> TicketSummary | None:
    row = session.execute(summary_select().where(TicketRow.id == ticket_id)).first()
    return to_summary(row) if row else None


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
