"""The queue page read on a team server's event loop (db/async_reads.py): the same page as the
worker threads read, the same answers to faults, and the way back to the threads."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from sqlalchemy import create_engine, text

from desk_app.db.async_reads import LOOP_POOL_SIZE, AsyncReads
from desk_app.db.engine import make_engine
from desk_app.db.names import NameCache
from desk_app.domain.records import TicketFilter
from desk_app.domain.status import Status
from desk_app.services.tickets import TicketService
from desk_app.services.users import UserService, actor_of
from tests.support import World, make_world_on

T = TypeVar("T")


def _on_loop(reads: AsyncReads, work: Coroutine[Any, Any, T]) -> T:
    async def run() -> T:
        await reads.open()
        try:
            return await work
        finally:
            await reads.close()

    return asyncio.run(run())


@pytest.fixture
def world(pg_url: str) -> World:
    w = make_world_on(pg_url)
    for i in range(7):
        w.ticket(subject=f"充值未到账 {i}")
    w.ticket("m_moon", subject="另一家商户的工单")
    return w


def _service(world: World, reads: AsyncReads) -> TicketService:
    return TicketService(world.ctx, page_reads=reads)


def test_the_page_read_on_the_loop_is_the_page_the_threads_read(world: World) -> None:
    reads = AsyncReads(world.engine)
    tickets = _service(world, reads)
    users = UserService(world.ctx)
    active = TicketFilter(statuses=(Status.NEW, Status.OPEN))

    async def both() -> None:
        for login in ("admin", "m_star", "a_trade"):
            actor = actor_of(users.by_login(login))
            cursor = None
            pages = 0
            while True:
                on_threads = tickets.list_page(actor, active, cursor=cursor, limit=3)
                on_loop = await tickets.list_page_on_loop(actor, active, cursor=cursor, limit=3)
                assert on_loop == on_threads
                pages += 1
                if on_threads.next_cursor is None:
                    break
                cursor = on_threads.next_cursor
            assert pages > 1 or login == "a_trade"

    _on_loop(reads, both())


def test_a_search_or_a_name_not_held_yet_goes_to_the_threads(world: World) -> None:
    reads = AsyncReads(world.engine)
    tickets = _service(world, reads)
    admin = actor_of(UserService(world.ctx).by_login("admin"))
    world.ctx.names.forget()

    async def reads_of() -> tuple[object, object, object]:
        unknown = await tickets.list_page_on_loop(admin, TicketFilter())
        search = await tickets.list_page_on_loop(admin, TicketFilter(text="充值"))
        tickets.list_page(admin, TicketFilter())  # the threads' read fills the names
        known = await tickets.list_page_on_loop(admin, TicketFilter())
        return unknown, search, known

    unknown, search, known = _on_loop(reads, reads_of())
    assert unknown is None and search is None
    assert known is not None and len(known.items) == 8  # type: ignore[attr-defined]


def test_the_loops_connections_are_opened_as_the_engines(pg_url: str) -> None:
    world = make_world_on(pg_url)
    engine = make_engine(pg_url, statement_timeout_ms=4_000)
    reads = AsyncReads(engine)
    stmt = text("SELECT current_setting('statement_timeout'), current_setting('TimeZone')")
    assert _on_loop(reads, reads.rows(stmt, {})) == [("4s", "UTC")]
    engine.dispose()
    world.engine.dispose()


def test_a_connection_killed_while_idle_costs_a_retry_not_an_error(world: World) -> None:
    reads = AsyncReads(world.engine)
    tickets = _service(world, reads)
    admin = actor_of(UserService(world.ctx).by_login("admin"))
    tickets.list_page(admin, TicketFilter())  # names held

    async def read_kill_read() -> int:
        first = await tickets.list_page_on_loop(admin, TicketFilter())
        assert first is not None
        killer = create_engine(world.engine.url, isolation_level="AUTOCOMMIT")
        with killer.connect() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND application_name = ''"
                )
            ).scalar_one()
        killer.dispose()
        assert killed >= 1
        again = await tickets.list_page_on_loop(admin, TicketFilter())
        assert again is not None and again.items == first.items
        return int(killed)

    _on_loop(reads, read_kill_read())


def test_a_name_cache_past_its_time_is_not_used_on_the_loop() -> None:
    names = NameCache(ttl_s=0.0)
    names._orgs, names._users = {1: "星辰卡盟"}, {2: "李娜"}
    assert names.known({1}, {2, None}) is None
    fresh = NameCache()
    fresh._orgs, fresh._users = {1: "星辰卡盟"}, {2: "李娜"}
    assert fresh.known({1}, {2, None}) == ({1: "星辰卡盟"}, {2: "李娜"})
    assert fresh.known({1, 3}, {2}) is None and fresh.known({1}, {4}) is None


def test_a_read_given_up_stops_its_statement_and_frees_its_connection(world: World) -> None:
    reads = AsyncReads(world.engine)
    slow = text("SELECT pg_sleep(30)")
    probe = text(
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(30)%'"
        " AND pid <> pg_backend_pid()"
    )

    async def give_up_then_read() -> tuple[int, int]:
        # More reads given up than the pool has connections: none may stay taken.
        for _ in range(LOOP_POOL_SIZE + 1):
            task = asyncio.create_task(reads.rows(slow, {}))
            await asyncio.sleep(0.3)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        still_running = 0
        for _ in range(50):  # the server ends each cancelled statement shortly after
            (still_running,) = (await reads.rows(probe, {}))[0]
            if still_running == 0:
                break
            await asyncio.sleep(0.1)
        (one,) = (await asyncio.wait_for(reads.rows(text("SELECT 1"), {}), 5))[0]
        return int(still_running), int(one)

    assert _on_loop(reads, give_up_then_read()) == (0, 1)


def test_on_an_event_loop_psycopg_cannot_use_the_page_stays_on_the_threads(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = AsyncReads(world.engine)
    tickets = _service(world, reads)
    admin = actor_of(UserService(world.ctx).by_login("admin"))
    tickets.list_page(admin, TicketFilter())  # names held: only the loop decides

    async def read() -> object:
        # As on Windows, where a single-process server runs on the proactor loop.
        monkeypatch.setattr(
            asyncio, "ProactorEventLoop", type(asyncio.get_running_loop()), raising=False
        )
        await reads.open()
        try:
            return await tickets.list_page_on_loop(admin, TicketFilter())
        finally:
            await reads.close()

    assert asyncio.run(read()) is None
    assert not reads.usable


def test_a_server_on_postgresql_reads_its_queue_pages_on_the_loop(world: World) -> None:
    from desk_app.server.app import create_app

    app = create_app(world.engine, world.ctx)
    state = app.state.desk
    assert state.page_reads is not None and not state.page_reads.usable
    assert state.tickets._page_reads is state.page_reads
    admin = actor_of(UserService(world.ctx).by_login("admin"))
    state.tickets.list_page(admin, TicketFilter())  # names held

    async def serve() -> object:
        async with app.router.lifespan_context(app):  # as uvicorn runs it: opens the pool
            assert state.page_reads.usable
            return await state.tickets.list_page_on_loop(admin, TicketFilter())

    page = asyncio.run(serve())
    assert page is not None and len(page.items) == 8  # type: ignore[attr-defined]


def test_a_database_out_of_reach_is_said_in_chinese_within_the_wait(world: World) -> None:
    from psycopg_pool import AsyncConnectionPool

    from desk_app.errors import StorageError
    from tests.pg import free_port

    reads = AsyncReads(world.engine)
    # Nothing listens there: the pool keeps trying in the background, the request gives up.
    reads._pool = AsyncConnectionPool(
        f"postgresql://postgres@127.0.0.1:{free_port()}/desk", min_size=1, timeout=0.5, open=False
    )
    with pytest.raises(StorageError, match="暂时连不上数据库"):
        _on_loop(reads, reads.rows(text("SELECT 1"), {}))
