"""The demo data set: realistic, complete, deterministic, and safe to run twice."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from desk_app.app import open_embedded
from desk_app.client.local import LocalDesk
from desk_app.domain.records import TicketFilter
from desk_app.domain.status import Status
from desk_app.services.audit import AuditService
from desk_app.services.demo import DemoOptions, fill_demo

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def filled(folder: Path, tickets: int = 120, seed: int = 7) -> LocalDesk:
    ctx, _engine = open_embedded(folder)
    fill_demo(ctx, DemoOptions(tickets=tickets, seed=seed, now=NOW))
    desk = LocalDesk(ctx)
    desk.sign_in("admin")
    return desk


def all_tickets(desk: LocalDesk) -> list[object]:
    out: list[object] = []
    cursor = None
    while True:
        page = desk.list_tickets(TicketFilter(), cursor=cursor, limit=200)
        out.extend(page.items)
        if not page.next_cursor:
            return out
        cursor = page.next_cursor


def test_every_subcategory_and_every_status_is_there(tmp_path: Path) -> None:
    desk = filled(tmp_path)
    items = all_tickets(desk)
    assert len(items) == 120
    keys = {f"{t.category}/{t.subcategory}" for t in items}  # type: ignore[attr-defined]
    assert keys == {s.key for s in desk.taxonomy().subcategories()}
    assert {t.status for t in items} == set(Status)  # type: ignore[attr-defined]
    assert all(t.updated_at <= NOW for t in items)  # type: ignore[attr-defined]


def test_history_is_real_and_verifiable(tmp_path: Path) -> None:
    desk = filled(tmp_path)
    closed = desk.list_tickets(TicketFilter(statuses=(Status.CLOSED,)), limit=1).items[0]
    detail = desk.get_ticket(closed.id)
    kinds = [e.kind.value for e in detail.events]
    assert kinds[0] == "created" and "customer_replied" in kinds and "note" in kinds
    assert [e.at for e in detail.events] == sorted(e.at for e in detail.events)
    ctx, _ = open_embedded(tmp_path)
    assert AuditService(ctx).verify().ok


def test_same_seed_same_desk(tmp_path: Path) -> None:
    a = [(t.subject, t.status) for t in all_tickets(filled(tmp_path / "a"))]  # type: ignore[attr-defined]
    b = [(t.subject, t.status) for t in all_tickets(filled(tmp_path / "b"))]  # type: ignore[attr-defined]
    c = [(t.subject, t.status) for t in all_tickets(filled(tmp_path / "c", seed=8))]  # type: ignore[attr-defined]
    assert a == b and a != c


def test_second_fill_changes_nothing(tmp_path: Path) -> None:
    desk = filled(tmp_path, tickets=30)
    ctx, _ = open_embedded(tmp_path)
    message = fill_demo(ctx, DemoOptions(tickets=30))
    assert "已有用户" in message
    assert desk.count_tickets(TicketFilter()) == 30


def test_merchants_see_only_their_organisation(tmp_path: Path) -> None:
    desk = filled(tmp_path)
    desk.sign_in("m_yueguang")
    orgs = {t.org_name for t in all_tickets(desk)}  # type: ignore[attr-defined]
    assert orgs == {"月光游戏充值"}


def test_the_command_line(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "desk_app", "--data-dir", str(tmp_path)]
    demo = subprocess.run(
        [*run, "demo", "--tickets", "50"], capture_output=True, text=True, timeout=120
    )
    assert demo.returncode == 0, demo.stderr
    assert "50 张工单" in demo.stdout and "m_xingchen" in demo.stdout
    audit = subprocess.run([*run, "audit", "verify"], capture_output=True, text=True, timeout=120)
    assert audit.returncode == 0 and "哈希链完整" in audit.stdout
    bad = subprocess.run(
        [*run, "demo", "--tickets", "0"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and "--tickets" in bad.stderr
