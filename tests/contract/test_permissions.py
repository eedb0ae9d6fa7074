"""Permissions are enforced behind the port, whatever the UI shows."""

from __future__ import annotations

import pytest

from desk_app.domain.records import NewTicket, TicketFilter
from desk_app.domain.status import Status
from desk_app.errors import NotFound, PermissionDenied
from tests.support import World


def test_merchant_sees_only_its_own_organisation(backend: World) -> None:
    mine = backend.ticket(login="m_star")
    theirs = backend.ticket(login="m_moon")
    desk = backend.desk("m_star")
    assert [t.id for t in desk.list_tickets(TicketFilter()).items] == [mine.summary.id]
    assert desk.count_tickets(TicketFilter()) == 1
    with pytest.raises(NotFound):
        desk.get_ticket(theirs.summary.id)
    with pytest.raises(NotFound):
        desk.reply(theirs.summary.id, theirs.summary.version, "偷看一下")


def test_merchant_cannot_search_into_other_organisations(backend: World) -> None:
    backend.ticket(login="m_moon", subject="月光的退款问题", subcategory="refund")
    assert backend.desk("m_star").list_tickets(TicketFilter(text="退款")).items == ()


def test_merchant_never_sees_internal_notes(backend: World) -> None:
    t = backend.ticket()
    agent = backend.desk("a_trade")
    t = agent.note(t.summary.id, t.summary.version, "内部：商户可能重复提交")
    t = agent.reply(t.summary.id, t.summary.version, "您好，已收到")
    merchant_view = backend.desk("m_star").get_ticket(t.summary.id)
    assert not any(e.internal for e in merchant_view.events)
    assert "内部：商户可能重复提交" not in repr(merchant_view)
    feed = backend.desk("m_star").events_since(0)
    assert feed and not any(e.internal for e in feed)
    assert any(e.internal for e in agent.get_ticket(t.summary.id).events)


def test_merchant_cannot_file_for_another_organisation(backend: World) -> None:
    with pytest.raises(PermissionDenied):
        backend.desk("m_star").create_ticket(
            NewTicket("代别人提交", "描述", "trade", "refund", org_id=backend.orgs["moon"])
        )


def test_merchant_cannot_write_notes_assign_or_work_the_status(backend: World) -> None:
    t = backend.ticket()
    desk = backend.desk("m_star")
    with pytest.raises(PermissionDenied):
        desk.note(t.summary.id, t.summary.version, "我也想写备注")
    with pytest.raises(PermissionDenied):
        desk.assign(t.summary.id, t.summary.version, backend.users["a_trade"])
    with pytest.raises(PermissionDenied):
        desk.transition(t.summary.id, t.summary.version, Status.RESOLVED)
    with pytest.raises(PermissionDenied):
        desk.staff()


def test_agents_see_the_queues_of_their_skill_groups(backend: World) -> None:
    trade = backend.ticket(subcategory="refund")
    goods = backend.ticket(category="goods", subcategory="card_key_invalid", subject="卡密失效")
    tech = backend.ticket(category="system", subcategory="crash", subject="客户端闪退")
    ids = lambda login: {t.id for t in backend.desk(login).list_tickets(TicketFilter()).items}  # noqa: E731
    assert ids("a_trade") == {trade.summary.id}
    assert ids("a_goods") == {goods.summary.id}
    assert ids("x_tech") == {tech.summary.id}
    assert ids("admin") == {trade.summary.id, goods.summary.id, tech.summary.id}
    with pytest.raises(NotFound):
        backend.desk("a_trade").get_ticket(goods.summary.id)


def test_tickets_go_only_to_staff(backend: World) -> None:
    t = backend.ticket()
    with pytest.raises(Exception, match="商户"):
        backend.desk("admin").assign(t.summary.id, t.summary.version, backend.users["m_moon"])


def test_an_agent_cannot_take_a_ticket_from_its_owner(backend: World) -> None:
    t = backend.ticket()
    t = backend.desk("a_trade").assign(t.summary.id, t.summary.version, backend.users["a_trade"])
    with pytest.raises(PermissionDenied):
        backend.desk("a_trade2").assign(t.summary.id, t.summary.version, backend.users["a_trade2"])
    # ...but the owner may hand it over, and an admin may reassign.
    t = backend.desk("a_trade").assign(t.summary.id, t.summary.version, backend.users["a_trade2"])
    assert t.summary.owner_name == "周杰"
    t = backend.desk("admin").assign(t.summary.id, t.summary.version, None)
    assert t.summary.owner_id is None


def test_signed_out_desk_refuses_everything(backend: World) -> None:
    desk = backend.desk()
    with pytest.raises(PermissionDenied, match="登录"):
        desk.list_tickets(TicketFilter())


def test_staff_see_personal_data_masked_merchants_see_their_own(backend: World) -> None:
    description = "手机 138 1234 5678，身份证 11010519491231002X，订单号 202611230001234567"
    t = backend.ticket(subject="联系电话13812345678", description=description)
    backend.desk("m_star").reply(t.summary.id, t.summary.version, "卡号 6222 0212 3456 7894")
    own = backend.desk("m_star").get_ticket(t.summary.id)
    assert own.description == description
    agent = backend.desk("a_trade")
    seen = agent.get_ticket(t.summary.id)
    assert "138****5678" in seen.description and "13812345678" not in seen.description.replace(
        " ", ""
    )
    assert "1234 5678" not in seen.description and "11010519491231002X" not in seen.description
    assert "202611230001234567" in seen.description  # order numbers stay readable
    assert seen.summary.subject == "联系电话138****5678"
    assert "6222 0212 3456 7894" not in repr(seen.events)
    listed = agent.list_tickets(TicketFilter()).items[0]
    assert listed.subject == "联系电话138****5678"
    assert all("13812345678" not in repr(e) for e in agent.events_since(0))
    # ...and the agent can still find it by the number the caller reads out.
    assert [x.id for x in agent.list_tickets(TicketFilter(text="13812345678")).items] == [
        t.summary.id
    ]
