"""Generating (importing) a large embedded database. Target: >= 30,000 tickets/s.

    python bench/generate.py [--tickets 1000000] [--db /tmp/desk_bench]

Baseline in the same run: creating tickets one by one through the service (what `desk demo`
and the window do), on a small sample.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from _common import DEFAULT_DIR

from desk_app.app import open_embedded
from desk_app.client.local import LocalDesk
from desk_app.domain.records import NewTicket
from desk_app.services.loadtest import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--keep", action="store_true", help="add to an existing database")
    args = parser.parse_args()
    if not args.keep and args.db.exists():
        shutil.rmtree(args.db)
    ctx, engine = open_embedded(args.db)
    t0 = time.perf_counter()
    n = generate(ctx, engine, args.tickets)
    bulk = n / (time.perf_counter() - t0)
    print(f"bulk import      {n:>10,} tickets  {bulk:10,.0f} tickets/s   (target >= 30,000/s)")

    sample = Path(str(args.db) + "-baseline")
    shutil.rmtree(sample, ignore_errors=True)
    sctx, sengine = open_embedded(sample)
    generate(sctx, sengine, 1)  # creates the people
    desk = LocalDesk(sctx)
    desk.sign_in("bulk_m01")
    k = 300
    t0 = time.perf_counter()
    for i in range(k):
        desk.create_ticket(NewTicket(f"基线工单 {i}", "逐张通过服务创建", "trade", "refund"))
    one_by_one = k / (time.perf_counter() - t0)
    print(
        f"service creates  {k:>10,} tickets  {one_by_one:10,.0f} tickets/s   (bulk is {bulk / one_by_one:.0f}x)"
    )
    shutil.rmtree(sample, ignore_errors=True)


if __name__ == "__main__":
    main()
