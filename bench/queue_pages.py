"""The queue's first page at the service, and deep pages: keyset against OFFSET.

    python bench/queue_pages.py [--db /tmp/desk_bench]   (fill it first with bench/generate.py)

Target: the first page filtered by status, ordered by last update, < 5 ms at the service.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import DEFAULT_DIR, desk_for, measure, ratio, summary

from desk_app.db.queries import list_select
from desk_app.db.schema import TicketRow
from desk_app.domain.records import TicketFilter
from desk_app.domain.status import Status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    open_status = TicketFilter(statuses=(Status.NEW, Status.OPEN, Status.WAITING_CUSTOMER))
    for login in ("admin_bench", "bulk_m01", "bulk_trade1"):
        desk, ctx = desk_for(args.db, login)
        total = desk.count_tickets(TicketFilter())
        ms = measure(lambda d=desk: d.list_tickets(open_status, limit=50), repeats=30)
        print(
            f"first page, active statuses, {login:12} ({total:>9,} visible)  {summary(ms)}   (target < 5 ms)"
        )

    desk, ctx = desk_for(args.db, "admin_bench")
    for depth in (1_000, 10_000, 100_000):
        cursor = None
        walked = 0
        while walked < depth:
            page = desk.list_tickets(TicketFilter(), cursor=cursor, limit=500)
            cursor = page.next_cursor
            walked += len(page.items)
            if cursor is None:
                break
        if cursor is None:
            break
        keyset = measure(
            lambda c=cursor: desk.list_tickets(TicketFilter(), cursor=c, limit=50), repeats=20
        )
        with ctx.uow() as uow:
            # The same page as the service reads, reached by OFFSET instead of a keyset cursor.
            sql = (
                list_select()
                .order_by(TicketRow.updated_at.desc(), TicketRow.id.desc())
                .limit(50)
                .offset(depth)
            )
            offset = measure(lambda s=uow.session, q=sql: s.execute(q).all(), repeats=5, warmup=1)
        print(
            f"page at depth {depth:>7,}: keyset {summary(keyset)} | OFFSET {summary(offset)} | {ratio(keyset, offset)}"
        )


if __name__ == "__main__":
    main()
