"""Chinese search: first 50 hits and hit counts through the service, against LIKE '%term%'.

    python bench/search.py [--db /tmp/desk_bench]

Targets: first 50 hits < 20 ms, hit count < 50 ms, for 2-4 character terms. Run for the admin
(the index counts alone, exactly) and for a merchant (scope checked per ticket: the count stops
above SEARCH_COUNT_LIMIT, shown as 10,000+).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import DEFAULT_DIR, desk_for, measure, ratio, summary
from sqlalchemy import text

from desk_app.domain.records import SEARCH_COUNT_LIMIT, TicketFilter

TERMS = ["到账", "退款", "卡密", "闪退", "冻结", "充值失败", "银行已扣款", "E1003"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    for login in ("admin_bench", "bulk_m01"):
        desk, ctx = desk_for(args.db, login)
        print(f"searching {desk.count_tickets(TicketFilter()):,} tickets visible to {login}")
        for term in TERMS:
            flt = TicketFilter(text=term)
            hits = desk.count_tickets(flt)
            first = measure(lambda f=flt, d=desk: d.list_tickets(f, limit=50), repeats=args.repeats)
            count = measure(lambda f=flt, d=desk: d.count_tickets(f), repeats=args.repeats)
            with ctx.uow() as uow:
                like = text(
                    "SELECT count(*) FROM tickets WHERE subject LIKE :p OR description LIKE :p"
                ).bindparams(p=f"%{term}%")
                base = measure(
                    lambda s=uow.session, q=like: s.execute(q).scalar(), repeats=3, warmup=1
                )
            shown = f"> {SEARCH_COUNT_LIMIT:,}" if hits > SEARCH_COUNT_LIMIT else f"{hits:,}"
            print(f"  {term:6} {shown:>9} hits | first 50 {summary(first)} | count {summary(count)} | "
                  f"LIKE count {summary(base)} | count {ratio(count, base)}")  # fmt: skip


if __name__ == "__main__":
    main()
