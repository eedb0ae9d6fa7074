"""One-statement reads on the server's event loop, for PostgreSQL: the queue page.

Handing a page read to a worker thread cost a one-worker server more than the read itself:
the hop, the threads contending for the GIL (a fifth of the process's CPU was in the kernel),
a SQLAlchemy connection and unit of work. psycopg's own asyncio connections, from psycopg's
pool, run the same prepared statement while the loop serves other requests (one worker,
1,144-1,305 pages/s against 871-939/s through the thread pool, bench/README.md).

The connections are opened as the engine's are: autocommit (one statement, no transaction),
UTC timestamps, and the statement timeout the engine's connections were given.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import ClauseElement, Engine
from sqlalchemy.exc import DBAPIError

from desk_app.db import driver
from desk_app.db.uow import desk_error
from desk_app.errors import StorageError

# A page read holds its connection for well under a millisecond: four serve a worker at 1,300
# pages/s (no faster with ten, bench/README.md) and keep a server's connection count within
# PostgreSQL's default limit of 100 for a few workers (each also has SERVER_POOL_SIZE + overflow).
LOOP_POOL_SIZE = 4
# A request waits this long for a connection (all busy, or the database unreachable and the
# pool reconnecting in the background) before it is told so.
CHECKOUT_TIMEOUT_S = 5.0


class AsyncReads:
    def __init__(self, engine: Engine) -> None:
        self._dialect = engine.dialect
        with engine.connect() as conn:
            timeout = conn.exec_driver_sql("SHOW statement_timeout").scalar_one()
        self._pool = AsyncConnectionPool(
            engine.url.set(drivername="postgresql").render_as_string(hide_password=False),
            min_size=1,
            max_size=LOOP_POOL_SIZE,
            timeout=CHECKOUT_TIMEOUT_S,
            kwargs={
                "autocommit": True,
                "options": f"-c statement_timeout={timeout} -c TimeZone=UTC",
            },
            open=False,
        )
        self.usable = False  # until open() has looked at the event loop

    async def open(self) -> None:
        # psycopg's asyncio connections need a selector loop; a single-process server on
        # Windows runs on the proactor loop, and there the page stays on the worker threads.
        proactor = getattr(asyncio, "ProactorEventLoop", None)
        self.usable = proactor is None or not isinstance(asyncio.get_running_loop(), proactor)
        if self.usable:
            await self._pool.open(wait=False)

    async def close(self) -> None:
        if self.usable:
            await self._pool.close()

    async def rows(self, stmt: ClauseElement, values: dict[str, Any]) -> Sequence[Sequence[Any]]:
        """The rows of `stmt`, read with binary results as db/driver.py reads them. A
        connection that died while idle (the database restarted, a firewall dropped it) costs
        a check of the pool and one more try, not an error: the read changes nothing."""
        sql, params = driver.prepared(stmt, self._dialect, values)
        for attempt in (1, 2):
            try:
                async with self._pool.connection() as conn, conn.cursor(binary=True) as cursor:
                    await cursor.execute(sql, params, prepare=True)
                    return await cursor.fetchall()
            except PoolTimeout as exc:
                raise StorageError(
                    "暂时连不上数据库（数据库不可用，或连接都在使用中）。请稍后重试。"
                ) from exc
            except psycopg.OperationalError as exc:
                if attempt == 1 and _connection_lost(exc):
                    # Its idle neighbours are likely gone too (a restart drops them all).
                    await self._pool.check()
                    continue
                raise _desk_error(sql, params, exc) from exc
            except psycopg.Error as exc:
                raise _desk_error(sql, params, exc) from exc
        raise AssertionError("unreachable: the second attempt returns or raises")


def _connection_lost(exc: psycopg.OperationalError) -> bool:
    # A cancelled statement (the timeout) is an OperationalError too, and must not run twice.
    if isinstance(exc, psycopg.errors.QueryCanceled):
        return False
    state = exc.sqlstate
    return state is None or state.startswith(("08", "57P"))  # connection gone, server shut down


def _desk_error(sql: str, params: dict[str, Any], exc: psycopg.Error) -> Exception:
    # Sorted and worded as a unit of work sorts them (db/uow.py): the same answers for the
    # same faults, whichever path read the page; a bug is raised as SQLAlchemy's error.
    wrapped = DBAPIError.instance(sql, params, exc, psycopg.Error)
    assert isinstance(wrapped, DBAPIError)  # psycopg's errors are the DB-API's
    return desk_error(wrapped) or wrapped
