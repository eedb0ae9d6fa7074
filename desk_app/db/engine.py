"""Engines for SQLite (embedded) and PostgreSQL (team mode) with the settings each needs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError

WRITE_OPTION = "desk_write"
BUSY_TIMEOUT_MS = 30_000  # how long an SQLite connection waits for another's write lock
# A server process runs at most this many requests against the database at once (its worker
# threads are limited to the same number), so pooled connections are reused rather than
# opened and closed under load; the overflow covers the event listener and short bursts.
SERVER_POOL_SIZE = 10
SERVER_POOL_OVERFLOW = 5
# A statement of a team server that runs longer than this is cancelled by PostgreSQL, so one
# runaway query cannot hold a pooled connection (and a worker thread) indefinitely (the
# server's `statement_timeout_s` setting; 0 is no limit). Migrations and bulk imports lift it
# for their own transactions (SET LOCAL statement_timeout = 0).
SERVER_STATEMENT_TIMEOUT_MS = 30_000


def make_engine(url: str, *, statement_timeout_ms: int | None = None, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    timeout = SERVER_STATEMENT_TIMEOUT_MS if statement_timeout_ms is None else statement_timeout_ms
    options: dict[str, Any] = {
        "pool_size": SERVER_POOL_SIZE,
        "max_overflow": SERVER_POOL_OVERFLOW,
        # Timestamps come back in UTC, the zone the records keep them in: converting from the
        # server's own zone cost a microsecond per value, two per row of a queue page.
        "connect_args": {"options": f"-c statement_timeout={timeout} -c TimeZone=UTC"},
    }
    engine = create_engine(url, **{**options, **kwargs})
    _ping_when_idle(engine)
    return engine


# A connection that sat in the pool longer than this is checked before use (the database may
# have restarted, or a firewall dropped the idle socket). SQLAlchemy's pool_pre_ping checks on
# every checkout: one round trip per request, a tenth of a busy server's page read.
IDLE_PING_S = 10.0


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return
        try:
            cur = dbapi_conn.cursor()
            try:
                cur.execute("SELECT 1")
            finally:
                cur.close()
            # The ping opened a transaction; the connection must leave here idle, or a unit
            # that switches it to autocommit is refused ("connection in transaction").
            dbapi_conn.rollback()
        except Exception as exc:
            # The pool discards this connection and hands out a fresh one.
            raise DisconnectionError(str(exc)) from exc


def sqlite_url(path: Path, *, read_only: bool = False) -> str:
    if read_only:
        return f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true"
    return f"sqlite:///{path}"


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    read_only = "mode=ro" in url
    # The driver's own transaction handling is switched off (isolation_level=None) so that we
    # emit BEGIN ourselves: writes take the lock up front (BEGIN IMMEDIATE) and so wait politely
    # on busy_timeout instead of failing mid-transaction when another process writes.
    engine = create_engine(
        url,
        connect_args={
            "timeout": BUSY_TIMEOUT_MS / 1000,
            "check_same_thread": False,
            "isolation_level": None,
        },
        **kwargs,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        if read_only:
            # A read-only file cannot switch journal modes; reading is all it can do.
            cur.execute("PRAGMA query_only=ON")
        else:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # a commit that returned is on disk
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False) and not read_only
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
