"""Two desks on one server see each other's changes live, through the event stream."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desk_app.client.credentials import CredentialStore
from desk_app.client.http import HttpDesk
from desk_app.db.migrate import open_server_database
from desk_app.domain.records import Event, NewTicket
from tests.server_process import ServerProcess, new_server
from tests.support import PASSWORD, World, make_served_world


@pytest.fixture
def two_servers(
    pg_url: str, tmp_path: Path
) -> Iterator[tuple[ServerProcess, ServerProcess, Engine, World]]:
    """Two server processes over one database, as behind a load balancer."""
    engine = open_server_database(pg_url, migrate=True)
    first = new_server(pg_url, tmp_path / "one.log")
    second = new_server(pg_url, tmp_path / "two.log")
    first.start()
    second.start()
    try:
        yield first, second, engine, make_served_world(engine, first.url)
    finally:
        # Open event streams would hold a graceful shutdown for its full grace period.
        first.stop(kill=True)
        second.stop(kill=True)
        engine.dispose()


def listen(desk: HttpDesk, after: int) -> tuple[queue.Queue[Event], threading.Event]:
    received: queue.Queue[Event] = queue.Queue()
    stop = threading.Event()

    def run() -> None:
        for event in desk.stream_events(after, stop):
            received.put(event)

    threading.Thread(target=run, daemon=True).start()
    return received, stop


def test_a_change_on_one_server_reaches_a_stream_on_the_other(
    two_servers: tuple[ServerProcess, ServerProcess, Engine, World],
) -> None:
    first, second, _engine, _world = two_servers
    watcher = HttpDesk(first.url, credentials=CredentialStore())
    watcher.sign_in("a_trade", PASSWORD)
    writer = HttpDesk(second.url, credentials=CredentialStore())
    writer.sign_in("m_star", PASSWORD)
    received, stop = listen(watcher, after=0)
    try:
        t = writer.create_ticket(
            NewTicket("实时同步测试", "充值 100 元未到账", "trade", "recharge_failed")
        )
        event = received.get(timeout=10)
        assert (event.ticket_id, event.kind.value) == (t.summary.id, "created")
        writer.reply(t.summary.id, t.summary.version, "商户补充：订单号 202611230001")
        event = received.get(timeout=10)
        assert (
            event.kind.value == "customer_replied" and event.body == "商户补充：订单号 202611230001"
        )
    finally:
        stop.set()


def test_the_stream_respects_permissions(
    two_servers: tuple[ServerProcess, ServerProcess, Engine, World],
) -> None:
    first, _second, _engine, world = two_servers
    merchant = HttpDesk(first.url, credentials=CredentialStore())
    merchant.sign_in("m_moon", PASSWORD)
    received, stop = listen(merchant, after=0)
    try:
        other = world.ticket(login="m_star")  # another organisation: must not be seen
        agent = world.desk("a_trade")
        agent.note(other.summary.id, other.summary.version, "内部")
        mine = world.ticket(login="m_moon")
        event = received.get(timeout=10)
        assert event.ticket_id == mine.summary.id
        assert received.empty()
    finally:
        stop.set()


def test_a_reconnecting_stream_resumes_without_gaps(
    two_servers: tuple[ServerProcess, ServerProcess, Engine, World],
) -> None:
    first, _second, _engine, world = two_servers
    desk = HttpDesk(first.url, credentials=CredentialStore())
    desk.sign_in("admin", PASSWORD)
    a = world.ticket()
    seen_first = [e.id for e in desk.events_since(0)]
    world.desk("a_trade").reply(a.summary.id, a.summary.version, "回复")
    received, stop = listen(desk, after=seen_first[-1])
    try:
        got = [received.get(timeout=10).kind.value for _ in range(2)]
        assert got == ["replied", "status_changed"]
    finally:
        stop.set()
