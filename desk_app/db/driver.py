"""Rows of the busiest reads, fetched by the database driver itself.

SQLAlchemy's execution (parameter processing, result objects, type processors) cost as much
CPU as the driver's whole round trip for a 50-row queue page: 0.50 against 0.26 ms on
PostgreSQL. Statements built once per shape (db/filter_sql.py) have a fixed SQL text there, so
it is compiled once and handed to psycopg as a prepared statement. SQLite, in process and
cheap, keeps the ordinary path.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.exc import DBAPIError


def rows(conn: Connection, stmt: Select[Any], values: dict[str, Any]) -> Sequence[Sequence[Any]]:
    if conn.dialect.name != "postgresql":
        return conn.execute(stmt, values).all()
    sql, defaults = _compiled(stmt, conn.dialect)
    params = {**defaults, **values}
    driver = conn.connection.driver_connection
    dbapi = conn.dialect.loaded_dbapi
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        # Binary results: integers and timestamps are loaded without parsing text.
        cursor.execute(sql, params, prepare=True, binary=True)
        found: list[tuple[Any, ...]] = cursor.fetchall()
        return found
    except dbapi.Error as exc:
        # Raised as SQLAlchemy would, so the unit of work sorts it the same way: a value the
        # database refuses (NUL in text) is the request's fault, a lost connection a storage
        # failure, and a dead connection leaves the pool.
        if conn.dialect.is_disconnect(exc, driver, cursor):
            conn.invalidate(exc)
        raise DBAPIError.instance(sql, params, exc, dbapi.Error, dialect=conn.dialect) from exc
    finally:
        cursor.close()


@lru_cache(maxsize=1024)
def _compiled(stmt: Select[Any], dialect: Dialect) -> tuple[str, dict[str, Any]]:
    # Statements come from lru_cache'd builders, so each one is compiled once per process.
    compiled = stmt.compile(dialect=dialect)
    return str(compiled), dict(compiled.params)
