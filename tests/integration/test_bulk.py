"""The bulk generator writes what the services would: numbers, chains, search documents."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from desk_app.app import open_embedded
from desk_app.client.local import LocalDesk
from desk_app.db import bulk
from desk_app.db.migrate import open_server_database
from desk_app.db.schema import TicketRow
from desk_app.db.uow import uow_factory
from desk_app.domain.records import NewTicket, TicketFilter
from desk_app.paths import database_file
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


def _journal_during_import(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The journal mode each batch of an import was written in."""
    modes: list[str] = []
    original = bulk._SqliteWriter.write

    def write(self: bulk._SqliteWriter, *batch: list[Any]) -> None:
        modes.append(self.cur.execute("PRAGMA journal_mode").fetchone()[0])
        original(self, *batch)

    monkeypatch.setattr(bulk._SqliteWriter, "write", write)
    return modes


def _file_journal(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def test_a_large_import_writes_through_a_rollback_journal_and_returns_to_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, engine = open_embedded(tmp_path)
    modes = _journal_during_import(monkeypatch)
    generate(ctx, engine, 3_000, seed=4, batch=1_000)
    assert modes == ["truncate"] * 3
    path = database_file(tmp_path)
    assert _file_journal(path) == "wal"
    assert not Path(f"{path}-journal").exists()
    assert AuditService(ctx).verify().ok
    # A small import into a larger desk keeps WAL (and its readers) throughout.
    modes.clear()
    generate(ctx, engine, 1_000, seed=5, batch=1_000)
    assert modes == ["wal"]


def test_an_import_beside_an_open_connection_stays_in_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, engine = open_embedded(tmp_path)
    generate(ctx, engine, 10, seed=1)
    modes = _journal_during_import(monkeypatch)
    # A desk window open on the same file: it keeps reading while the import runs.
    reader = sqlite3.connect(database_file(tmp_path), isolation_level=None)
    try:
        assert reader.execute("SELECT count(*) FROM tickets").fetchone() == (10,)
        generate(ctx, engine, 2_000, seed=2, batch=1_000)
        assert modes == ["wal", "wal"]
        assert reader.execute("SELECT count(*) FROM tickets").fetchone() == (2_010,)
    finally:
        reader.close()
    assert _file_journal(database_file(tmp_path)) == "wal"


_DIES_MID_BATCH = """
import os, sys
from pathlib import Path
from desk_app.app import open_embedded
from desk_app.db import bulk
from desk_app.services.loadtest import generate

original = bulk._SqliteWriter.write
batches = []

def write(self, tickets, events, docs, days):
    if batches:
        self.cur.execute("PRAGMA cache_size=5")  # changed pages spill into the file itself
        self.cur.execute("BEGIN IMMEDIATE")
        self.cur.executemany(bulk.TICKET_INSERT, tickets)
        os._exit(3)  # the process dies with the batch half written: no rollback, no close
    batches.append(len(tickets))
    original(self, tickets, events, docs, days)

bulk._SqliteWriter.write = write
ctx, engine = open_embedded(Path(sys.argv[1]))
generate(ctx, engine, 3_000, seed=6, batch=1_000)
"""


def test_an_import_that_dies_mid_batch_loses_only_that_batch(tmp_path: Path) -> None:
    died = subprocess.run([sys.executable, "-c", _DIES_MID_BATCH, str(tmp_path)], check=False)
    assert died.returncode == 3
    path = database_file(tmp_path)
    assert Path(f"{path}-journal").stat().st_size > 0  # left behind: the batch is rolled back
    ctx, engine = open_embedded(tmp_path)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(text("SELECT count(*) FROM tickets")).scalar() == 1_000
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 1_000
    assert _file_journal(path) == "wal"
    assert AuditService(ctx).verify().ok
    # What the import had dropped for its duration is there again: the queue's indexes, and
    # the search index merging its segments.
    assert {i.name for i in TicketRow.__table__.indexes} <= _indexes(engine)
    with engine.connect() as conn:
        config = dict(conn.execute(text("SELECT k, v FROM ticket_fts_config")).all())
    assert (
        config.get("automerge", 4) == 4
        and config.get("hashsize", bulk.FTS_HASHSIZE) == bulk.FTS_HASHSIZE
    )
    desk = LocalDesk(ctx)
    desk.sign_in("bulk_m01")
    desk.create_ticket(NewTicket("导入中断后的新工单", "到账延迟", "trade", "refund"))
    desk.sign_in("admin_bench")
    assert desk.count_tickets(TicketFilter(text="导入中断")) == 1
