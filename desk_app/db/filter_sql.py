"""The queue's scope and filters as SQL built once per shape, with the values as parameters.

A queue page is the busiest read of a team server. Building its statement anew for every
request cost more than the database took to answer it: the expression objects themselves, a
fresh cache key, and SQLAlchemy matching the new statement's columns to its cached compiled
form. Filters of the same shape (which filters are set, how many values where that changes the
plan) now share one statement object; each request only supplies the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, any_, bindparam, false
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute

from desk_app.db.schema import TicketRow
from desk_app.domain.access import Scope
from desk_app.domain.records import TicketFilter
from desk_app.errors import ValidationError


@dataclass(frozen=True, slots=True)
class Shape:
    """What a filter's SQL depends on, apart from its values."""

    scope: str  # all, org, group, groups, nothing
    statuses: int  # 0, 1, or 2 for several (several values change the plan, see _unordered)
    categories: bool = False
    subcategories: bool = False
    priorities: bool = False
    group: bool = False
    org: bool = False
    owner: str | None = None  # "id" or "none"


def bind(scope: Scope, flt: TicketFilter, actor_id: int) -> tuple[Shape, dict[str, Any]]:
    """The shape of `flt` within `scope`, and the parameter values its SQL takes.
    (`flt.text` is left to db/search_page.py, which orders by it.)"""
    values: dict[str, Any] = {}
    kind = _bind_scope(scope, values)
    owner = _bind_owner(flt, actor_id, values)
    if flt.statuses:
        values["f_statuses"] = [s.value for s in flt.statuses]
    if flt.categories:
        values["f_categories"] = list(flt.categories)
    if flt.subcategories:
        values["f_subcategories"] = list(flt.subcategories)
    if flt.priorities:
        values["f_priorities"] = [p.value for p in flt.priorities]
    if flt.group:
        values["f_group"] = flt.group
    if flt.org_id is not None:
        values["f_org"] = flt.org_id
    shape = Shape(
        scope=kind,
        statuses=min(len(flt.statuses), 2),
        categories=bool(flt.categories),
        subcategories=bool(flt.subcategories),
        priorities=bool(flt.priorities),
        group=bool(flt.group),
        org=flt.org_id is not None,
        owner=owner,
    )
    return shape, values


def _bind_scope(scope: Scope, values: dict[str, Any]) -> str:
    if scope.everything:
        return "all"
    if scope.org_id is not None:
        values["f_scope_org"] = scope.org_id
        return "org"
    if scope.groups:
        values["f_scope_groups"] = sorted(scope.groups)
        return "group" if len(scope.groups) == 1 else "groups"
    return "nothing"


def _bind_owner(flt: TicketFilter, actor_id: int, values: dict[str, Any]) -> str | None:
    if not flt.owner:
        return None
    if flt.owner == "none":
        return "none"
    if flt.owner == "me" or flt.owner.isdigit():
        values["f_owner"] = actor_id if flt.owner == "me" else int(flt.owner)
        return "id"
    raise ValidationError({"owner": f"处理人筛选「{flt.owner}」无效：应为 me、none 或用户编号"})


@lru_cache(maxsize=512)
def where(shape: Shape, dialect: str) -> tuple[ColumnElement[bool], ...]:
    """The conditions of `shape`, with bound parameters named as `bind` names them.

    On PostgreSQL a list of values is one array parameter (`= ANY`), so the statement's SQL
    is the same for any number of values and can go to the driver as it is (db/driver.py);
    elsewhere it is an expanding IN.
    """

    def one_of(column: ColumnElement[str], name: str) -> ColumnElement[bool]:
        if dialect == "postgresql":
            return column == any_(bindparam(name, type_=ARRAY(String)))
        return column.in_(bindparam(name, expanding=True, type_=String))

    conds: list[ColumnElement[bool]] = []
    if shape.scope == "org":
        conds.append(TicketRow.org_id == bindparam("f_scope_org", type_=Integer))
    elif shape.scope in ("group", "groups"):
        column = _unordered(TicketRow.grp, several=shape.scope == "groups")
        conds.append(one_of(column, "f_scope_groups"))
    elif shape.scope == "nothing":
        conds.append(false())
    if shape.statuses:
        column = _unordered(TicketRow.status, several=shape.statuses > 1)
        conds.append(one_of(column, "f_statuses"))
    if shape.categories:
        conds.append(one_of(TicketRow.category.expression, "f_categories"))
    if shape.subcategories:
        conds.append(one_of(TicketRow.subcategory.expression, "f_subcategories"))
    if shape.priorities:
        conds.append(one_of(TicketRow.priority.expression, "f_priorities"))
    if shape.group:
        conds.append(TicketRow.grp == bindparam("f_group", type_=String))
    if shape.org:
        conds.append(TicketRow.org_id == bindparam("f_org", type_=Integer))
    if shape.owner == "none":
        conds.append(TicketRow.owner_id.is_(None))
    elif shape.owner == "id":
        conds.append(TicketRow.owner_id == bindparam("f_owner", type_=Integer))
    return tuple(conds)


def _unordered(column: InstrumentedAttribute[str], *, several: bool) -> ColumnElement[str]:
    """Keep SQLite from choosing an index on `column` when several values are asked for.

    Queues are read newest first: for one value an index on (column, updated_at) yields rows in
    order, but for several it returns them grouped by value and SQLite sorts every match (800 ms
    on a million tickets). Walking the updated_at index and filtering is then far cheaper; the
    `|| ''` makes the column an expression that no index covers.
    """
    return column.concat("") if several else column.expression
