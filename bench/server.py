"""Team mode under load: ticket creation, queue page reads and event latency through a real
`desk serve` over PostgreSQL, with one and with two worker processes, beside the same
operations in embedded mode (LocalDesk over SQLite) as the baseline.

    python bench/server.py [--clients 8 16] [--seconds 8] [--tickets 1000000]

The server is driven by wrk when it is installed (`apt install wrk`; see _wrk.py), else by
`_http_load` (keep-alive connections from a separate process); each figure names its tool.
The event latency is measured with the desktop's own HttpDesk. Servers run without the
per-request access log, as behind a proxy that logs requests itself.

Targets (issue #6): creation >= 300/s with p99 < 100 ms; page reads >= 1,000/s with p99 < 50 ms;
an event reaches a second client in < 500 ms (p99). Starts its own throwaway PostgreSQL
cluster (needs the PostgreSQL 15 binaries, as the tests do) and stops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from _http_load import Call, hammer  # noqa: E402
from _wrk import Figures  # noqa: E402
from _wrk import load as wrk_load  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from desk_app.client.credentials import CredentialStore  # noqa: E402
from desk_app.client.http import HttpDesk  # noqa: E402
from desk_app.client.port import Desk  # noqa: E402
from desk_app.db.migrate import open_server_database  # noqa: E402
from desk_app.domain.records import NewTicket, TicketFilter  # noqa: E402
from desk_app.domain.status import Status  # noqa: E402
from desk_app.services.loadtest import generate  # noqa: E402
from tests.pg import start_cluster  # noqa: E402 - the same throwaway cluster the tests use
from tests.server_process import new_server  # noqa: E402
from tests.support import PASSWORD, make_served_world, make_world  # noqa: E402


def load(
    make_desk: Callable[[], Desk], op: Callable[[Desk, int], object], clients: int, seconds: float
) -> tuple[float, list[float]]:
    """Run `op` from `clients` threads for `seconds`; returns (operations per second, latencies ms)."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    desks = [make_desk() for _ in range(clients)]

    def worker(i: int) -> None:
        mine: list[float] = []
        n = 0
        while time.perf_counter() < stop and n < 100_000:
            t0 = time.perf_counter()
            op(desks[i], n)
            mine.append((time.perf_counter() - t0) * 1000)
            n += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return len(latencies) / (time.perf_counter() - t0), latencies


def line(label: str, rate: float, ms: list[float]) -> str:
    p99 = statistics.quantiles(ms, n=100)[-1] if len(ms) > 1 else ms[0]
    return f"{label:44} {rate:9,.0f}/s  median {statistics.median(ms):7.1f} ms  p99 {p99:7.1f} ms"


def create(desk: Desk, n: int) -> object:
    return desk.create_ticket(
        NewTicket(
            f"压测工单 {n}",
            "充值 100 元未到账，订单号 2026112300012345",
            "trade",
            "recharge_failed",
        )
    )


ACTIVE = TicketFilter(statuses=(Status.NEW, Status.OPEN, Status.WAITING_CUSTOMER))


def read_page(desk: Desk, _n: int) -> object:
    return desk.list_tickets(ACTIVE, limit=50)


def event_latency(url: str, writer: Desk, samples: int) -> list[float]:
    watcher = HttpDesk(url, credentials=CredentialStore())
    watcher.sign_in("admin", PASSWORD)
    arrived: dict[int, float] = {}
    stop = threading.Event()
    ready = threading.Event()

    def listen() -> None:
        ready.set()
        for ev in watcher.stream_events(watcher.event_feed(0, 0).last_id, stop):
            arrived.setdefault(ev.ticket_id, time.perf_counter())

    threading.Thread(target=listen, daemon=True).start()
    ready.wait(5)
    time.sleep(0.5)  # let the stream connect before the first write
    out = []
    for i in range(samples):
        t0 = time.perf_counter()
        t = create(writer, i)
        deadline = time.perf_counter() + 5
        while t.summary.id not in arrived and time.perf_counter() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.002)
        out.append((arrived.get(t.summary.id, deadline) - t0) * 1000)  # type: ignore[attr-defined]
    stop.set()
    return out


def token(url: str, login: str) -> str:
    r = requests.post(
        f"{url}/api/v1/auth/login", json={"login": login, "password": PASSWORD}, timeout=30
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def report(label: str, res: Figures, target: str) -> None:
    print(
        f"{label:44} {res.rate:9,.0f}/s  median {res.median_ms:7.1f} ms  p99 {res.p99_ms:7.1f} ms"
        f"   ({target}; load by {res.tool})"
    )
    if res.errors:
        print(f"    {res.errors} failed requests, first: {res.first_error}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 16])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        embedded = make_world(Path(tmp) / "embedded.sqlite3")
        threads = args.clients[0]
        rate, ms = load(lambda: embedded.desk("m_star"), create, threads, args.seconds)
        print(line(f"embedded create, {threads} threads", rate, ms))
        rate, ms = load(lambda: embedded.desk("admin"), read_page, threads, args.seconds)
        print(line(f"embedded page read, {threads} threads", rate, ms))
        # As behind a proxy that logs requests itself (the setting costs ~5 % of a page read).
        os.environ["DESK_ACCESS_LOG"] = "0"

        for cluster in start_cluster():
            admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql('CREATE DATABASE "bench"')
            admin.dispose()
            url = cluster.url("bench")
            engine = open_server_database(url, migrate=True)
            world = make_served_world(engine, "")
            t0 = time.perf_counter()
            generate(world.ctx, engine, args.tickets)
            took = time.perf_counter() - t0
            print(
                f"PostgreSQL filled with {args.tickets:,} tickets in {took:.0f} s ({args.tickets / took:,.0f}/s, COPY)"
            )
            new_ticket = {"subject": "压测工单", "description": "充值 100 元未到账，订单号 2026112300012345",
                          "category": "trade", "subcategory": "recharge_failed"}  # fmt: skip
            page = [("status", s.value) for s in ACTIVE.statuses] + [("limit", "50")]
            for workers in (1, 2):
                server = new_server(url, Path(tmp) / f"server{workers}.log", workers=workers)
                server.start()
                try:
                    merchant, boss = token(server.url, "m_star"), token(server.url, "admin")
                    write = Call(
                        "POST", "/api/v1/tickets", merchant, body=new_ticket, unique_key=True
                    )
                    read = Call("GET", "/api/v1/tickets", boss, params=page)
                    hammer(server.url, read, connections=4, seconds=2)  # warm the caches
                    runs = [
                        ("team create", write, "target >= 300/s, p99 < 100 ms"),
                        ("team page read", read, "target >= 1,000/s, p99 < 50 ms"),
                    ]
                    for label, call, target in runs:
                        for conns in args.clients:
                            res = wrk_load(
                                server.url, call, connections=conns, seconds=args.seconds
                            )
                            report(f"{label}, {workers} worker(s), {conns} conns", res, target)
                    world.server_url = server.url
                    world._signed_in.clear()  # desks signed in to the previous server
                    lat = event_latency(server.url, world.desk("m_moon"), 50)
                    p99 = statistics.quantiles(lat, n=100)[-1]
                    print(
                        f"{'event to a second client, ' + str(workers) + ' worker(s)':44} median {statistics.median(lat):7.1f} ms  p99 {p99:7.1f} ms   (target p99 < 500 ms)"
                    )
                finally:
                    server.stop(kill=True)
            engine.dispose()


if __name__ == "__main__":
    main()
