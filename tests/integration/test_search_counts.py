"""Search counts on SQLite: exact from the index alone, capped when filters are checked per row."""

from __future__ import annotations

import pytest

from desk_app.db import search_page
from desk_app.domain.records import TicketFilter
from desk_app.domain.status import Status
from tests.support import World


def test_counts_stop_at_the_limit_only_when_filters_need_checking(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_page, "SEARCH_COUNT_LIMIT", 4)
    for i in range(7):
        world.ticket(subject=f"卡密失效 {i}")
    admin = world.desk("admin")
    # Admin with no other filter: the index answers exactly, however many there are.
    assert admin.count_tickets(TicketFilter(text="卡密")) == 7
    # A filter (or a merchant's scope) is checked per ticket: the count stops at limit + 1,
    # which reads "more than 4".
    assert admin.count_tickets(TicketFilter(text="卡密", statuses=(Status.NEW,))) == 5
    assert world.desk("m_star").count_tickets(TicketFilter(text="卡密")) == 5
    # Below the limit the count stays exact.
    assert world.desk("m_moon").count_tickets(TicketFilter(text="卡密")) == 0
    assert admin.count_tickets(TicketFilter(text="卡密 6", statuses=(Status.NEW,))) == 1
