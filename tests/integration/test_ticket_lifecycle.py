"""Services over a real SQLite file: the life of a ticket, its events and its versions."""

from __future__ import annotations

import contextlib

from sqlalchemy import select, text

from desk_app.db.schema import EventRow, TicketRow
from desk_app.domain.events import EventKind
from desk_app.domain.priority import Priority
from desk_app.domain.records import NewTicket, TicketFilter
from desk_app.domain.status import Status
from desk_app.services.audit import AuditService
from tests.support import World


def kinds(detail: object) -> list[str]:
    return [e.kind.value for e in detail.events]  # type: ignore[attr-defined]


def test_create_routes_by_subcategory_and_numbers_the_ticket(world: World) -> None:
    t = world.ticket(subcategory="arrival_delay_bank_timeout")
    s = t.summary
    assert s.number.startswith("KM-") and len(s.number) == len("KM-20261123-000001")
    assert (s.status, s.group, s.priority) == (Status.NEW, "trade", Priority.URGENT)
    assert s.org_name == "星辰卡盟" and s.owner_id is None
    assert kinds(t) == ["created"]
    assert t.created_by_name == "王小明"


def test_numbers_are_unique_and_increase(world: World) -> None:
    numbers = [world.ticket().summary.number for _ in range(5)]
    assert len(set(numbers)) == 5
    assert numbers == sorted(numbers)


def test_merchant_priority_choice_wins_over_the_default(world: World) -> None:
    t = world.ticket(category="inquiry", subcategory="how_to", priority=Priority.LOW)
    assert t.summary.priority is Priority.LOW


def test_full_life_is_an_ordered_timeline(world: World) -> None:
    t = world.ticket()
    agent = world.desk("a_trade")
    tid = t.summary.id
    t = agent.assign(tid, t.summary.version, world.users["a_trade"])
    t = agent.reply(
        tid, t.summary.version, "您好，请提供支付截图", new_status=Status.WAITING_CUSTOMER
    )
    assert t.summary.status is Status.WAITING_CUSTOMER
    t = world.desk("m_star").reply(tid, t.summary.version, "截图已上传，支付时间 15:30")
    assert t.summary.status is Status.OPEN  # the merchant's answer puts it back in the queue
    t = agent.note(tid, t.summary.version, "银行接口超时，已联系通道")
    t = agent.transition(tid, t.summary.version, Status.RESOLVED, reason="通道恢复，已补单")
    t = world.desk("m_star").transition(tid, t.summary.version, Status.CLOSED)
    staff_view = world.desk("a_trade").get_ticket(tid)
    assert kinds(staff_view) == [
        "created",
        "assigned",
        "replied",
        "status_changed",
        "customer_replied",
        "status_changed",
        "note",
        "status_changed",
        "status_changed",
    ]
    steps = [
        (e.payload["from"], e.payload["to"])
        for e in staff_view.events
        if e.kind is EventKind.STATUS_CHANGED
    ]
    assert steps == [
        ("new", "waiting_customer"),
        ("waiting_customer", "open"),
        ("open", "resolved"),
        ("resolved", "closed"),
    ]
    assert [e.seq for e in staff_view.events] == list(range(1, 10))
    assert all(e.actor_name for e in staff_view.events)
    assert AuditService(world.ctx).verify().ok


def test_each_write_moves_the_version_and_the_event_in_one_transaction(world: World) -> None:
    t = world.ticket()
    v0 = t.summary.version
    t2 = world.desk("a_trade").note(t.summary.id, v0, "内部")
    assert t2.summary.version == v0 + 1
    with world.ctx.uow() as uow:
        row = uow.session.get(TicketRow, t.summary.id)
        last = uow.session.scalars(
            select(EventRow).where(EventRow.ticket_id == t.summary.id).order_by(EventRow.seq.desc())
        ).first()
        assert row is not None and last is not None
        assert (row.last_seq, row.last_hash) == (last.seq, last.hash)
        assert row.updated_at == last.at


def test_a_failed_write_leaves_no_event(world: World) -> None:
    t = world.ticket()
    before = len(world.desk("a_trade").get_ticket(t.summary.id).events)
    with contextlib.suppress(Exception):
        world.desk("a_trade").transition(t.summary.id, t.summary.version, Status.CLOSED)
    assert len(world.desk("a_trade").get_ticket(t.summary.id).events) == before


def test_replies_become_searchable(world: World) -> None:
    t = world.ticket()
    world.desk("a_trade").reply(t.summary.id, t.summary.version, "已为您申请补发卡密")
    found = world.desk("a_trade").list_tickets(TicketFilter(text="补发"))
    assert [x.id for x in found.items] == [t.summary.id]


def test_internal_notes_are_not_searchable_by_anyone(world: World) -> None:
    t = world.ticket()
    world.desk("a_trade").note(t.summary.id, t.summary.version, "疑似羊毛党")
    assert world.desk("a_trade").list_tickets(TicketFilter(text="羊毛")).items == ()


def test_events_since_is_the_ordered_sync_feed(world: World) -> None:
    a = world.ticket()
    b = world.ticket(login="m_moon")
    feed = world.desk("admin").events_since(0)
    assert [e.id for e in feed] == sorted(e.id for e in feed)
    assert {e.ticket_id for e in feed} == {a.summary.id, b.summary.id}
    last = feed[-1].id
    world.desk("a_trade").reply(a.summary.id, a.summary.version, "收到")
    newer = world.desk("admin").events_since(last)
    assert [e.kind.value for e in newer] == ["replied", "status_changed"]


def test_staff_create_on_behalf_of_a_merchant(world: World) -> None:
    desk = world.desk("a_trade")
    t = desk.create_ticket(
        NewTicket(
            "电话报障：充值失败",
            "商户来电，充值 100 元失败",
            "trade",
            "recharge_failed",
            org_id=world.orgs["moon"],
        )
    )
    assert t.summary.org_name == "月光游戏充值"
    assert t.created_by_name == "李娜"


def test_wal_and_durable_commits_are_on(world: World) -> None:
    with world.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
