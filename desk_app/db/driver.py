"""The busiest statements, run by the database driver itself: queue pages, and creation.

SQLAlchemy's execution (parameter processing, result objects, type processors) cost as much
CPU as the driver's whole round trip for a 50-row queue page: 0.50 against 0.26 ms on
PostgreSQL, and about 210 against 96 µs for each of a creation's statements. Statements built
once (per filter shape, db/filter_sql.py, or per module) have a fixed SQL text, so each is
compiled once and handed to psycopg as a prepared statement. The values are passed as they
are, except dictionaries, which are JSON columns' values. SQLite, in process and cheap, keeps
the ordinary path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import ClauseElement, Connection, Dialect
from sqlalchemy.exc import DBAPIError

T = TypeVar("T")


def rows(conn: Connection, stmt: ClauseElement, values: dict[str, Any]) -> Sequence[Sequence[Any]]:
    if conn.dialect.name != "postgresql":
        return conn.execute(stmt, values).all()  # type: ignore[call-overload, no-any-return]
    # Binary results: integers and timestamps are loaded without parsing text.
    return _run(conn, stmt, values, binary=True, read=lambda cursor: cursor.fetchall())


def first(conn: Connection, stmt: ClauseElement, values: dict[str, Any]) -> Sequence[Any] | None:
    """The first row of a statement that returns one (an INSERT … RETURNING), or None."""
    if conn.dialect.name != "postgresql":
        return conn.execute(stmt, values).first()  # type: ignore[call-overload, no-any-return]
    found: Sequence[Any] | None = _run(
        conn, stmt, values, binary=False, read=lambda cursor: cursor.fetchone()
    )
    return found


def _run(
    conn: Connection,
    stmt: ClauseElement,
    values: dict[str, Any],
    *,
    binary: bool,
    read: Callable[[Any], T],
) -> T:
    sql, params = prepared(stmt, conn.dialect, values)
    driver = conn.connection.driver_connection
    dbapi = conn.dialect.loaded_dbapi
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params, prepare=True, binary=binary)
        return read(cursor)
    except dbapi.Error as exc:
        # Raised as SQLAlchemy would, so the unit of work sorts it the same way: a value the
        # database refuses (NUL in text) is the request's fault, a lost connection a storage
        # failure, a taken idempotency key an IntegrityError, and a dead connection leaves
        # the pool.
        if conn.dialect.is_disconnect(exc, driver, cursor):
            conn.invalidate(exc)
        raise DBAPIError.instance(sql, params, exc, dbapi.Error, dialect=conn.dialect) from exc
    finally:
        cursor.close()


def prepared(
    stmt: ClauseElement, dialect: Dialect, values: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The SQL text of `stmt` for psycopg and its parameters, dictionaries as JSON values."""
    from psycopg.types.json import Json  # server-only dependency; SQLite never comes here

    sql, defaults = _compiled(stmt, dialect)
    return sql, {
        k: Json(v) if isinstance(v, dict) else v for k, v in {**defaults, **values}.items()
    }


@lru_cache(maxsize=1024)
def _compiled(stmt: ClauseElement, dialect: Dialect) -> tuple[str, dict[str, Any]]:
    # Statements come from lru_cache'd builders, so each one is compiled once per process.
    compiled = stmt.compile(dialect=dialect)
    return str(compiled), dict(compiled.params)
