"""Listing, filtering, keyset paging and Chinese search through the port."""

from __future__ import annotations

import pytest

from desk_app.domain.priority import Priority
from desk_app.domain.records import TicketFilter
from desk_app.domain.status import Status
from desk_app.errors import ValidationError
from tests.support import World


def test_pages_walk_every_ticket_once_newest_first(backend: World) -> None:
    made = [backend.ticket(subject=f"问题 {i}").summary.id for i in range(23)]
    desk = backend.desk("admin")
    seen: list[int] = []
    cursor = None
    while True:
        page = desk.list_tickets(TicketFilter(), cursor=cursor, limit=5)
        seen.extend(t.id for t in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == list(reversed(made))


def test_a_touched_ticket_moves_to_the_top(backend: World) -> None:
    a = backend.ticket(subject="较早的问题")
    backend.ticket(subject="较新的问题")
    backend.desk("a_trade").note(a.summary.id, a.summary.version, "跟进")
    top = backend.desk("admin").list_tickets(TicketFilter(), limit=1).items[0]
    assert top.id == a.summary.id


def test_filters_combine(backend: World) -> None:
    urgent = backend.ticket(subcategory="recharge_failed")
    backend.ticket(subcategory="refund")
    crash = backend.ticket(category="system", subcategory="crash", subject="闪退")
    desk = backend.desk("admin")
    got = lambda **kw: {t.id for t in desk.list_tickets(TicketFilter(**kw)).items}  # noqa: E731
    assert got(priorities=(Priority.URGENT,)) == {urgent.summary.id}
    assert got(categories=("system",)) == {crash.summary.id}
    assert got(categories=("trade",), subcategories=("recharge_failed",)) == {urgent.summary.id}
    assert got(statuses=(Status.OPEN,)) == set()
    assert desk.count_tickets(TicketFilter(categories=("trade",))) == 2


def test_owner_filters(backend: World) -> None:
    a = backend.ticket()
    backend.ticket()
    agent = backend.desk("a_trade")
    agent.assign(a.summary.id, a.summary.version, backend.users["a_trade"])
    assert [t.id for t in agent.list_tickets(TicketFilter(owner="me")).items] == [a.summary.id]
    assert len(agent.list_tickets(TicketFilter(owner="none")).items) == 1
    assert agent.count_tickets(TicketFilter(owner=str(backend.users["a_trade"]))) == 1
    with pytest.raises(ValidationError):
        agent.list_tickets(TicketFilter(owner="everyone"))


@pytest.mark.parametrize(
    ("term", "hit"),
    [
        ("到账", True),
        ("退款", False),
        ("未到账", True),
        ("充值未到", True),
        ("账", True),
        ("202611230001", True),
        ("20261123", True),
        ("到 账", True),
        ("账到", False),
    ],
)
def test_chinese_search_of_one_to_four_characters(backend: World, term: str, hit: bool) -> None:
    t = backend.ticket(subject="充值未到账", description="订单号 202611230001 支付成功")
    backend.ticket(
        subject="卡密无法使用",
        category="goods",
        subcategory="card_key_invalid",
        description="提示已被使用",
    )
    ids = [x.id for x in backend.desk("admin").list_tickets(TicketFilter(text=term)).items]
    assert (ids == [t.summary.id]) is hit, ids


def test_search_by_ticket_number(backend: World) -> None:
    t = backend.ticket()
    backend.ticket()
    got = backend.desk("admin").list_tickets(TicketFilter(text=t.summary.number.lower()))
    assert [x.id for x in got.items] == [t.summary.id]


def test_punctuation_only_search_matches_nothing_and_does_not_crash(backend: World) -> None:
    backend.ticket()
    assert backend.desk("admin").list_tickets(TicketFilter(text='"*()')).items == ()


@pytest.mark.parametrize("cursor", ["garbage", "2026-01-01|x", "|", "2026-01-01T00:00:00|1"])
def test_bad_cursor_is_a_validation_error(backend: World, cursor: str) -> None:
    with pytest.raises(ValidationError):
        backend.desk("admin").list_tickets(TicketFilter(), cursor=cursor)


@pytest.mark.parametrize("limit", [0, -1, 10_000])
def test_page_size_is_bounded(backend: World, limit: int) -> None:
    with pytest.raises(ValidationError):
        backend.desk("admin").list_tickets(TicketFilter(), limit=limit)


def test_a_new_window_starts_at_the_end_of_the_log(backend: World) -> None:
    """`event_feed(after, 0)` is where a window starts listening: past all history."""
    for i in range(3):
        backend.ticket(subject=f"历史工单 {i}")
    merchant = backend.desk("m_star")
    head = merchant.event_feed(0, 0)
    assert head.events == ()
    assert head.last_id == max(e.id for e in backend.desk("admin").events_since(0))
    # Nothing is missed from there on, and nothing from before is replayed.
    t = backend.ticket(subject="开窗之后的新工单")
    after = merchant.event_feed(head.last_id)
    assert [e.ticket_id for e in after.events] == [t.summary.id]
    # A cursor past the end is kept, not moved back.
    assert merchant.event_feed(after.last_id + 10, 0).last_id == after.last_id + 10


def test_search_results_come_newest_filed_first_and_page_once(backend: World) -> None:
    made = [backend.ticket(subject=f"退款申请 {i}").summary.id for i in range(7)]
    backend.ticket(subject="与搜索无关的工单")
    oldest = backend.desk("admin").get_ticket(made[0])
    # A reply moves the oldest ticket to the top of the queue, not of the search results.
    backend.desk("a_trade").reply(oldest.summary.id, oldest.summary.version, "正在核实")
    desk = backend.desk("admin")
    seen: list[int] = []
    cursor = None
    while True:
        page = desk.list_tickets(TicketFilter(text="退款"), cursor=cursor, limit=3)
        seen += [t.id for t in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == sorted(made, reverse=True)
    assert desk.count_tickets(TicketFilter(text="退款")) == 7
    assert desk.count_tickets(TicketFilter(text="退款", statuses=(Status.OPEN,))) == 1
    # A queue position does not fit a search (or the other way round): a clear refusal.
    queue_cursor = desk.list_tickets(TicketFilter(), limit=1).next_cursor
    with pytest.raises(ValidationError):
        desk.list_tickets(TicketFilter(text="退款"), cursor=queue_cursor)
    with pytest.raises(ValidationError):
        desk.list_tickets(TicketFilter(), cursor=cursor or "#5")


def test_search_by_ticket_number_finds_exactly_that_ticket(backend: World) -> None:
    first = backend.ticket(subject="充值未到账").summary
    backend.ticket(subject="充值未到账")
    found = backend.desk("admin").list_tickets(TicketFilter(text=first.number.lower()))
    assert [t.id for t in found.items] == [first.id]
    # Another organisation's number finds nothing, and says nothing about it.
    assert backend.desk("m_moon").list_tickets(TicketFilter(text=first.number)).items == ()
