"""Pooled PostgreSQL connections that died while idle are replaced, not handed to a request."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from desk_app.db import engine as engine_module
from desk_app.domain.records import TicketFilter
from tests.support import make_world_on


def _kill_other_sessions(url: str) -> int:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t"
            )
        ).scalar_one()
    admin.dispose()
    return int(killed)


def test_a_connection_killed_while_idle_is_replaced(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world_on(pg_url)
    world.ticket()
    merchant = world.desk("m_star")
    assert merchant.count_tickets(TicketFilter()) == 1
    # Every pooled connection now counts as idle for long; the database drops them all.
    monkeypatch.setattr(engine_module, "IDLE_PING_S", 0.0)
    assert _kill_other_sessions(pg_url) >= 1
    assert merchant.count_tickets(TicketFilter()) == 1
    assert world.ticket().summary.version == 1


def test_a_pinged_connection_serves_every_kind_of_unit(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every checkout pings: reads in autocommit, reads in a transaction and writes all work.
    monkeypatch.setattr(engine_module, "IDLE_PING_S", 0.0)
    world = make_world_on(pg_url)
    t = world.ticket()
    for _ in range(3):
        assert world.desk("m_star").count_tickets(TicketFilter()) == 1
        assert len(world.desk("m_star").list_tickets(TicketFilter()).items) == 1
        t = world.desk("a_trade").note(t.summary.id, t.summary.version, "备注")
        assert world.desk("a_trade").get_ticket(t.summary.id).summary.version == t.summary.version
