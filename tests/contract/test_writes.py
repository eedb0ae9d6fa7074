"""Versioned writes, idempotent creation and refusals that lose nothing."""

from __future__ import annotations

import uuid

import pytest

from desk_app.domain.records import NewTicket, TicketFilter
from desk_app.domain.status import Status
from desk_app.errors import ConflictError, DeskError, IllegalTransition, ValidationError
from tests.support import World


def test_stale_write_is_refused_with_the_fresh_state(backend: World) -> None:
    t = backend.ticket()
    seen = t.summary.version
    backend.desk("a_trade").reply(t.summary.id, seen, "第一位客服的回复")
    with pytest.raises(ConflictError) as info:
        backend.desk("a_trade2").reply(t.summary.id, seen, "第二位客服的回复")
    assert "已被他人更新" in info.value.message
    fresh = info.value.current
    assert fresh is not None and fresh.summary.version > seen
    assert any(e.body == "第一位客服的回复" for e in fresh.events)
    # Nothing of the refused write was stored.
    bodies = [e.body for e in backend.desk("admin").get_ticket(t.summary.id).events]
    assert "第二位客服的回复" not in bodies


@pytest.mark.parametrize("op", ["transition", "note", "assign"])
def test_every_write_checks_the_version(backend: World, op: str) -> None:
    t = backend.ticket()
    backend.desk("a_trade").note(t.summary.id, t.summary.version, "先写一条")
    desk = backend.desk("a_trade2")
    stale = t.summary.version
    with pytest.raises(ConflictError):
        if op == "transition":
            desk.transition(t.summary.id, stale, Status.OPEN)
        elif op == "note":
            desk.note(t.summary.id, stale, "后写")
        else:
            desk.assign(t.summary.id, stale, backend.users["a_trade2"])


def test_retried_creation_returns_the_same_ticket(backend: World) -> None:
    key = str(uuid.uuid4())
    first = backend.ticket(idempotency_key=key)
    again = backend.ticket(idempotency_key=key, subject="重试时标题变了")
    assert again.summary.id == first.summary.id
    assert again.summary.subject == first.summary.subject
    assert backend.desk("m_star").count_tickets(TicketFilter()) == 1


def test_a_retried_creation_takes_no_number(backend: World) -> None:
    key = str(uuid.uuid4())
    first = backend.ticket(idempotency_key=key)
    backend.ticket(idempotency_key=key)
    nxt = backend.ticket()
    assert _serial(nxt.summary.number) == _serial(first.summary.number) + 1


def _serial(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_someone_elses_idempotency_key_is_refused(backend: World) -> None:
    key = str(uuid.uuid4())
    backend.ticket(idempotency_key=key)
    with pytest.raises(ValidationError):
        backend.ticket(login="m_moon", idempotency_key=key)


def test_all_field_errors_come_at_once(backend: World) -> None:
    with pytest.raises(ValidationError) as info:
        backend.desk("m_star").create_ticket(NewTicket("", " ", "trade", "no_such"))
    assert set(info.value.fields) == {"subject", "description", "subcategory"}
    assert backend.desk("m_star").count_tickets(TicketFilter()) == 0


@pytest.mark.parametrize(
    ("subject", "description", "category", "subcategory", "field"),
    [
        ("x" * 121, "描述", "trade", "refund", "subject"),
        ("标题", "长" * 20_001, "trade", "refund", "description"),
        ("标题", "描述", "unknown", "refund", "category"),
        ("标题", "描述", "trade", "crash", "subcategory"),
    ],
)
def test_bad_drafts_name_the_field(
    backend: World, subject: str, description: str, category: str, subcategory: str, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        backend.desk("m_star").create_ticket(NewTicket(subject, description, category, subcategory))
    assert field in info.value.fields


def test_staff_filing_must_name_the_merchant(backend: World) -> None:
    with pytest.raises(ValidationError) as info:
        backend.desk("a_trade").create_ticket(NewTicket("电话报障", "描述", "trade", "refund"))
    assert "org_id" in info.value.fields


def test_hostile_text_is_stored_and_returned_intact(backend: World) -> None:
    body = "'; DROP TABLE tickets; -- <script>alert(1)</script> 😀 \u202e ｆｕｌｌ　ｗｉｄｔｈ\tend"
    t = backend.ticket(description=body, subject="注入测试 <b>粗体</b>")
    again = backend.desk("m_star").get_ticket(t.summary.id)
    assert again.description == body
    assert again.summary.subject == "注入测试 <b>粗体</b>"


def test_illegal_transition_is_a_clear_refusal(backend: World) -> None:
    t = backend.ticket()
    with pytest.raises(IllegalTransition, match="待处理"):
        backend.desk("a_trade").transition(t.summary.id, t.summary.version, Status.CLOSED)


def test_closed_ticket_takes_no_replies(backend: World) -> None:
    t = backend.ticket()
    a = backend.desk("a_trade")
    t = a.transition(t.summary.id, t.summary.version, Status.RESOLVED)
    t = backend.desk("m_star").transition(t.summary.id, t.summary.version, Status.CLOSED)
    with pytest.raises(DeskError, match="已关闭"):
        backend.desk("m_star").reply(t.summary.id, t.summary.version, "还有问题")


def test_empty_reply_is_refused(backend: World) -> None:
    t = backend.ticket()
    with pytest.raises(ValidationError) as info:
        backend.desk("a_trade").reply(t.summary.id, t.summary.version, "  \n ")
    assert "body" in info.value.fields


def test_merchant_reply_on_a_resolved_ticket_reopens_it(backend: World) -> None:
    t = backend.ticket()
    t = backend.desk("a_trade").transition(t.summary.id, t.summary.version, Status.RESOLVED)
    t = backend.desk("m_star").reply(t.summary.id, t.summary.version, "还是没到账")
    assert t.summary.status is Status.OPEN


def test_a_retried_message_lands_once(backend: World) -> None:
    t = backend.ticket()
    agent = backend.desk("a_trade")
    first = agent.reply(t.summary.id, t.summary.version, "您好，正在处理", message_key="k-reply-1")
    # The retry names the version it first read: it is recognised as already sent, not refused.
    again = agent.reply(t.summary.id, t.summary.version, "您好，正在处理", message_key="k-reply-1")
    assert again.summary.version == first.summary.version
    note = agent.note(t.summary.id, again.summary.version, "内部", message_key="k-note-1")
    agent.note(t.summary.id, again.summary.version, "内部", message_key="k-note-1")
    kinds = [e.kind.value for e in backend.desk("admin").get_ticket(t.summary.id).events]
    assert kinds.count("replied") == 1 and kinds.count("note") == 1
    assert note.summary.version == backend.desk("admin").get_ticket(t.summary.id).summary.version


def test_message_keys_are_per_author(backend: World) -> None:
    t = backend.ticket()
    backend.desk("a_trade").reply(t.summary.id, t.summary.version, "回复", message_key="shared")
    with pytest.raises(ValidationError):
        backend.desk("a_trade2").reply(
            t.summary.id, t.summary.version, "回复", message_key="shared"
        )


@pytest.mark.parametrize("login", ["m_star", "a_trade"])
def test_created_ticket_is_returned_exactly_as_stored(backend: World, login: str) -> None:
    # Creation answers from what it wrote instead of reading the ticket back; the answer must
    # be the stored ticket as that user sees it (staff: personal data masked).
    extra: dict[str, object] = {"org_id": backend.orgs["star"]} if login != "m_star" else {}
    created = backend.ticket(
        login=login,
        description="联系电话 13812345678，订单号 202611230001 充值未到账",
        fields={"order_no": "202611230001"},
        **extra,
    )
    assert created == backend.desk(login).get_ticket(created.summary.id)
    assert created.summary.version == 1 and [e.seq for e in created.events] == [1]
    if login == "a_trade":
        assert "13812345678" not in created.description


def test_filing_for_an_unknown_merchant_names_the_field(backend: World) -> None:
    with pytest.raises(ValidationError) as info:
        backend.desk("a_trade").create_ticket(
            NewTicket("电话报障", "描述", "trade", "refund", org_id=999_999)
        )
    assert "org_id" in info.value.fields
    assert backend.desk("admin").count_tickets(TicketFilter()) == 0
