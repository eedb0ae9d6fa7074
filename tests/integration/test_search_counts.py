"""Search counts on SQLite: exact from the index alone within any actor's scope, capped when
other filters are checked per ticket."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from desk_app.db import search_page
from desk_app.db.migrate import alembic_config, upgrade
from desk_app.domain.records import TicketFilter
from desk_app.domain.status import Status
from tests.support import World, make_world_on


def test_counts_stop_at_the_limit_only_when_filters_need_checking(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_page, "SEARCH_COUNT_LIMIT", 4)
    for i in range(7):
        world.ticket(subject=f"卡密失效 {i}")
    admin = world.desk("admin")
    # No filter but the actor's scope: the index answers exactly, however many there are.
    assert admin.count_tickets(TicketFilter(text="卡密")) == 7
    assert world.desk("m_star").count_tickets(TicketFilter(text="卡密")) == 7
    assert world.desk("a_trade").count_tickets(TicketFilter(text="卡密")) == 7
    # A filter is checked per ticket: the count stops at limit + 1, which reads "more than 4".
    assert admin.count_tickets(TicketFilter(text="卡密", statuses=(Status.NEW,))) == 5
    assert (
        world.desk("m_star").count_tickets(TicketFilter(text="卡密", statuses=(Status.NEW,))) == 5
    )
    # Outside the scope nothing is counted; below the limit the count stays exact.
    assert world.desk("m_moon").count_tickets(TicketFilter(text="卡密")) == 0
    assert world.desk("a_goods").count_tickets(TicketFilter(text="卡密")) == 0
    assert admin.count_tickets(TicketFilter(text="卡密 6", statuses=(Status.NEW,))) == 1


def test_scoped_counts_agree_with_the_tickets_each_actor_can_list(world: World) -> None:
    """The index's scope tokens say what the ticket rows say, for every kind of scope."""
    world.ticket("m_star", subject="退款申请 一", category="trade", subcategory="recharge_failed")
    world.ticket("m_star", subject="退款申请 二", category="goods", subcategory="card_key_invalid")
    world.ticket("m_moon", subject="退款申请 三", category="goods", subcategory="card_key_invalid")
    world.ticket("m_moon", subject="退款申请 四", category="account", subcategory="login_abnormal")
    merchant = world.desk("m_star")
    mine = merchant.list_tickets(TicketFilter(text="退款")).items[0]
    merchant.reply(mine.id, mine.version, "退款已原路退回，请查收")
    expected = {"admin": 4, "m_star": 2, "m_moon": 2, "a_trade": 1, "a_goods": 3, "x_tech": 0}
    for login, visible in expected.items():
        desk = world.desk(login)
        for term in ("退款", "申请", "退"):
            listed = desk.list_tickets(TicketFilter(text=term), limit=50).items
            assert desk.count_tickets(TicketFilter(text=term)) == len(listed) == visible, (
                login,
                term,
            )
    # A reply is indexed for its ticket, in its ticket's scope.
    assert world.desk("m_star").count_tickets(TicketFilter(text="原路")) == 1
    assert world.desk("m_moon").count_tickets(TicketFilter(text="原路")) == 0
    # The scope tokens are not words a user can find.
    assert world.desk("admin").count_tickets(TicketFilter(text="o1")) == 0


def test_migrating_an_older_index_gives_every_document_its_scope(world: World) -> None:
    """Revision 0004 rebuilds the search table of an existing desk: same hits, now scoped."""
    world.ticket("m_star", subject="退款申请 一")
    world.ticket("m_moon", subject="退款申请 二", category="goods", subcategory="card_key_invalid")
    cfg = alembic_config()
    with world.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    with world.engine.connect() as conn:
        columns = [row[1] for row in conn.execute(text("PRAGMA table_info(ticket_fts)"))]
    assert columns == ["body"]
    upgrade(world.engine)
    assert world.desk("admin").count_tickets(TicketFilter(text="退款")) == 2
    assert world.desk("m_moon").count_tickets(TicketFilter(text="退款")) == 1
    assert world.desk("a_goods").count_tickets(TicketFilter(text="退款")) == 1
    assert (
        world.desk("a_trade").list_tickets(TicketFilter(text="申请")).items[0].subject
        == "退款申请 一"
    )


def test_postgres_search_counts_stop_at_the_limit(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL's documents carry no scope: a search within the scope alone stops counting
    above the limit; a filtered one is counted exactly (stopping early was slower there)."""
    monkeypatch.setattr(search_page, "SEARCH_COUNT_LIMIT", 4)
    world = make_world_on(pg_url)
    try:
        for i in range(7):
            world.ticket(subject=f"卡密失效 {i}")
        world.ticket("m_moon", subject="卡密失效 别家")
        admin = world.desk("admin")
        assert admin.count_tickets(TicketFilter(text="卡密")) == 5
        assert admin.count_tickets(TicketFilter(text="卡密", statuses=(Status.NEW,))) == 8
        assert world.desk("m_moon").count_tickets(TicketFilter(text="卡密")) == 1
        assert admin.count_tickets(TicketFilter(text="卡密 6")) == 1
        assert admin.count_tickets(TicketFilter(text="不存在")) == 0
    finally:
        world.engine.dispose()
