"""Units of work on a shared pool: a single-statement read borrows a connection in autocommit
and hands it back as it found it, so the next unit on that connection is a transaction."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import text

from desk_app.db.engine import make_engine
from desk_app.db.uow import uow_factory
from desk_app.errors import StorageError


def test_one_statement_reads_leave_the_pooled_connection_transactional(pg_url: str) -> None:
    engine = make_engine(pg_url, pool_size=1, max_overflow=0)  # every unit gets the same one
    uow = uow_factory(engine)
    try:
        with uow(one_statement=True) as read:
            assert read.connection.connection.driver_connection.autocommit is True
            # Timestamps come back in UTC itself, not in a zone equal to it.
            stamp = read.connection.execute(text("SELECT now()")).scalar_one()
            assert stamp.tzinfo is UTC
        with uow(write=True) as unit:
            assert unit.session.connection().connection.driver_connection.autocommit is False
            unit.session.execute(text("CREATE TABLE t (x int)"))
            unit.session.execute(text("INSERT INTO t VALUES (1)"))
            # not committed: the unit rolls back
        with uow(one_statement=True) as read:
            assert read.connection.execute(text("SELECT to_regclass('t')")).scalar() is None
    finally:
        engine.dispose()


def test_a_failing_one_statement_read_gives_its_connection_back(pg_url: str) -> None:
    engine = make_engine(pg_url, pool_size=1, max_overflow=0, pool_timeout=2)
    uow = uow_factory(engine)
    try:
        with pytest.raises(StorageError, match="耗时过长"), uow(one_statement=True) as read:
            read.connection.execute(text("SET statement_timeout = 100"))
            read.connection.execute(text("SELECT pg_sleep(2)"))
        # With a pool of one, a connection kept by the failed read would time this out.
        with uow(one_statement=True) as read:
            assert read.connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
