"""Chinese search: first 50 hits and hit counts through the service, against LIKE '%term%'.

    python bench/search.py [--db /tmp/desk_bench]

Targets: first 50 hits < 20 ms, hit count < 50 ms, for 2-4 character terms. Run for the admin
and for a merchant: with no filter but the actor's scope the index counts alone, exactly (the
scope is part of each search document). The baseline counts the same tickets with LIKE.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import DEFAULT_DIR, desk_for, measure, ratio, summary
from sqlalchemy import text

from desk_app.domain.records import TicketFilter

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
                    "SELECT count(*) FROM tickets WHERE (subject LIKE :p OR description LIKE :p)"
                    " AND (:org IS NULL OR org_id = :org)"
                ).bindparams(p=f"%{term}%", org=desk.me().org_id)
                base = measure(
                    lambda s=uow.session, q=like: s.execute(q).scalar(), repeats=3, warmup=1
                )
            print(f"  {term:6} {hits:>9,} hits | first 50 {summary(first)} | count {summary(count)} | "
                  f"LIKE count {summary(base)} | count {ratio(count, base)}")  # fmt: skip


if __name__ == "__main__":
    main()
