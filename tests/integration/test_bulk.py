"""The bulk generator writes what the services would: numbers, chains, search documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from desk_app.app import open_embedded
from desk_app.client.local import LocalDesk
from desk_app.db import bulk
from desk_app.db.migrate import open_server_database
from desk_app.db.uow import uow_factory
from desk_app.domain.records import NewTicket, TicketFilter
from desk_app.services.audit import AuditService
from desk_app.services.context import ServiceContext
from desk_app.services.loadtest import generate


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[ServiceContext, Engine]:
    if request.param == "sqlite":
        return open_embedded(tmp_path)
    engine = open_server_database(request.getfixturevalue("pg_url"), migrate=True)
    request.addfinalizer(engine.dispose)
    return ServiceContext(uow_factory(engine)), engine


def test_generated_tickets_behave_like_real_ones(store: tuple[ServiceContext, Engine]) -> None:
    ctx, engine = store
    assert generate(ctx, engine, 3_000, seed=5, batch=1_000) == 3_000
    assert AuditService(ctx).verify().ok
    desk = LocalDesk(ctx)
    desk.sign_in("admin_bench")
    assert desk.count_tickets(TicketFilter()) == 3_000
    # A generated ticket is what the service would have filed: one event, version 1.
    first = desk.get_ticket(1)
    assert first.summary.version == 1 and [e.seq for e in first.events] == [1]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(DISTINCT number) FROM tickets")).scalar() == 3_000
        # A number names the Shanghai day its ticket was filed; each day's counter is its last.
        filed = conn.execute(text("SELECT number, created_at FROM tickets")).all()
        for number, created_at in filed:
            at = (
                created_at
                if isinstance(created_at, datetime)
                else datetime.fromisoformat(created_at)
            )
            utc = at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
            assert number.split("-")[1] == f"{utc + timedelta(hours=8):%Y%m%d}"
        last: dict[str, int] = {}
        for number, _ in filed:
            _, day, serial = number.split("-")
            last[day] = max(last.get(day, 0), int(serial))
        counters = dict(conn.execute(text("SELECT day, last FROM ticket_counters")).all())
        assert counters == last
        like = set(
            conn.execute(
                text(
                    "SELECT id FROM tickets WHERE subject LIKE '%到账%' OR description LIKE '%到账%'"
                )
            ).scalars()
        )
    found: set[int] = set()
    cursor = None
    while True:
        page = desk.list_tickets(TicketFilter(text="到账"), cursor=cursor, limit=500)
        found |= {t.id for t in page.items}
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert like and found == like
    # Normal work goes on: numbering continues without a collision.
    desk.sign_in("bulk_m01")
    t = desk.create_ticket(NewTicket("导入后的新工单", "描述", "trade", "refund"))
    assert t.summary.number
    assert t.summary.id == 3_001
    assert AuditService(ctx).verify().ok
    # The live feed sees every generated event, in order.
    desk.sign_in("admin_bench")
    feed = desk.event_feed(0, 500)
    assert [e.ticket_id for e in feed.events] == list(range(1, 501))


def test_generation_adds_to_an_existing_database(store: tuple[ServiceContext, Engine]) -> None:
    ctx, engine = store
    generate(ctx, engine, 500, seed=1)
    generate(ctx, engine, 500, seed=2)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(DISTINCT number) FROM tickets")).scalar() == 1_000
    assert AuditService(ctx).verify().ok


def _indexes(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'"
        else:
            query = "SELECT indexname FROM pg_indexes WHERE tablename = 'tickets'"
        return set(conn.execute(text(query)).scalars())


def test_a_large_import_builds_rows_in_a_second_process(
    store: tuple[ServiceContext, Engine],
) -> None:
    ctx, engine = store
    before = _indexes(engine)
    assert generate(ctx, engine, 4_000, seed=3, batch=1_000) == 4_000
    assert _indexes(engine) == before  # dropped for the import, built again after it
    assert AuditService(ctx).verify().ok
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(DISTINCT number) FROM tickets")).scalar() == 4_000


def test_an_import_that_fails_half_way_leaves_every_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, engine = open_embedded(tmp_path)
    generate(ctx, engine, 10, seed=1)
    before = _indexes(engine)
    written: list[int] = []
    original = bulk._SqliteWriter.write

    def fail_second(self: bulk._SqliteWriter, *batch: list[Any]) -> None:
        if written:
            raise OSError("disk full")
        written.append(len(batch[0]))
        original(self, *batch)

    monkeypatch.setattr(bulk._SqliteWriter, "write", fail_second)
    with pytest.raises(OSError, match="disk full"):
        generate(ctx, engine, 3_000, seed=2, batch=1_000)
    assert _indexes(engine) == before
    assert AuditService(ctx).verify().ok
    # The batch that was written is known to the counters: the next ticket gets a new number.
    desk = LocalDesk(ctx)
    desk.sign_in("bulk_m01")
    desk.create_ticket(NewTicket("导入失败后的新工单", "描述", "trade", "refund"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(DISTINCT number) FROM tickets")).scalar() == 1_011
