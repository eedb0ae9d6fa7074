"""Team mode under faults: a real server over PostgreSQL that dies, and connections that drop.

No acknowledged write may be lost and no ticket may be created twice.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desk_app.client.credentials import CredentialStore
from desk_app.client.http import HttpDesk
from desk_app.client.outbox import Outbox
from desk_app.client.syncing import SyncingDesk
from desk_app.domain.records import NewTicket, TicketFilter
from desk_app.errors import OfflineError, Queued
from desk_app.services.audit import AuditService
from tests.server_process import ServerProcess
from tests.support import PASSWORD, World
from tests.tcp_proxy import LOSE_RESPONSE, PASS, TcpProxy


def syncing(url: str, login: str, tmp_path: Path) -> SyncingDesk:
    desk = SyncingDesk(
        HttpDesk(url, credentials=CredentialStore()),
        Outbox(tmp_path / f"outbox-{login}.sqlite3", ""),
    )
    desk.sign_in(login, PASSWORD)
    return desk


def draft(subject: str) -> NewTicket:
    return NewTicket(subject, "网络断开时提交的工单", "trade", "refund")


def test_desktop_keeps_working_while_the_server_is_down(
    team: tuple[ServerProcess, Engine, World], tmp_path: Path
) -> None:
    server, _engine, world = team
    desk = syncing(server.url, "m_star", tmp_path)
    t = desk.create_ticket(draft("联网时提交"))
    listed = desk.list_tickets(TicketFilter())
    desk.get_ticket(t.summary.id)

    server.stop(kill=True)
    # Reading what it has still works; writing goes to the outbox and says so.
    assert desk.list_tickets(TicketFilter()) == listed
    assert desk.get_ticket(t.summary.id).summary.number == t.summary.number
    with pytest.raises(Queued, match="待发送"):
        desk.create_ticket(draft("断网时提交 1"))
    with pytest.raises(Queued):
        desk.reply(t.summary.id, t.summary.version, "断网时的补充说明")
    with pytest.raises(Queued):
        desk.create_ticket(draft("断网时提交 2"))
    assert not desk.online
    assert [i.kind for i in desk.pending()] == ["create_ticket", "reply", "create_ticket"]
    report = desk.flush()
    assert (report.sent, report.remaining, report.online) == (0, 3, False)
    with pytest.raises(OfflineError):
        desk.get_ticket(t.summary.id + 999)  # never seen: nothing to show

    server.start()
    report = desk.flush()
    assert (report.sent, report.failed, report.remaining) == (3, 0, 0)
    admin = world.desk("admin")
    subjects = [x.subject for x in admin.list_tickets(TicketFilter()).items]
    assert sorted(subjects) == ["断网时提交 1", "断网时提交 2", "联网时提交"]
    # In order: the queued tickets were created in the order they were written.
    numbers = {x.subject: x.number for x in admin.list_tickets(TicketFilter()).items}
    assert numbers["断网时提交 1"] < numbers["断网时提交 2"]
    bodies = [
        e.body for e in admin.get_ticket(t.summary.id).events if e.kind.value == "customer_replied"
    ]
    assert bodies == ["断网时的补充说明"]
    assert desk.flush().sent == 0  # nothing is sent twice


def test_a_lost_response_does_not_duplicate_the_ticket(
    team: tuple[ServerProcess, Engine, World], tmp_path: Path
) -> None:
    server, _engine, world = team
    proxy = TcpProxy(server.port)
    try:
        desk = syncing(proxy.url, "m_star", tmp_path)
        proxy.mode = LOSE_RESPONSE
        with pytest.raises(Queued):
            desk.create_ticket(draft("回执丢失的工单"))
        assert proxy.cut.is_set()
        proxy.mode = PASS
        assert desk.flush().sent == 1
        found = world.desk("admin").list_tickets(TicketFilter(text="回执丢失"))
        assert len(found.items) == 1
    finally:
        proxy.close()


def test_a_lost_response_to_a_reply_does_not_duplicate_the_message(
    team: tuple[ServerProcess, Engine, World], tmp_path: Path
) -> None:
    server, _engine, world = team
    proxy = TcpProxy(server.port)
    try:
        desk = syncing(proxy.url, "a_trade", tmp_path)
        t = world.ticket()
        proxy.mode = LOSE_RESPONSE
        with pytest.raises(Queued):
            desk.reply(t.summary.id, t.summary.version, "只应出现一次的回复")
        proxy.mode = PASS
        assert desk.flush().sent == 1
        events = world.desk("admin").get_ticket(t.summary.id).events
        assert [e.body for e in events].count("只应出现一次的回复") == 1
    finally:
        proxy.close()


def test_server_killed_during_a_burst_loses_no_acknowledged_write(
    team: tuple[ServerProcess, Engine, World], tmp_path: Path
) -> None:
    server, _engine, world = team
    desk = syncing(server.url, "m_star", tmp_path)
    acknowledged: list[str] = []
    queued = 0
    killed = threading.Event()

    def killer() -> None:
        while len(acknowledged) < 5:
            killed.wait(0.01)
        server.stop(kill=True)
        killed.set()

    thread = threading.Thread(target=killer)
    thread.start()
    for i in range(40):
        try:
            acknowledged.append(desk.create_ticket(draft(f"压力 {i}")).summary.number)
        except Queued:
            queued += 1
    thread.join()
    assert killed.is_set() and queued > 0
    server.start()
    report = desk.flush()
    assert report.remaining == 0 and report.failed == 0
    admin = world.desk("admin")
    numbers = [x.number for x in admin.list_tickets(TicketFilter(), limit=100).items]
    assert set(acknowledged) <= set(numbers)
    assert len(numbers) == len(set(numbers)) == 40  # every write landed exactly once
    assert AuditService(world.ctx).verify().ok
