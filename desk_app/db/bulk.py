"""Generating large ticket sets fast (benchmarks, load tests, capacity checks).

It writes what the services would write — ticket rows with their numbers, each ticket's
`created` event with a correct hash-chain link, and its search document — but in large
transactions instead of one unit of work per ticket: executemany on SQLite (whose import
connection relaxes `synchronous`; a crash mid-import loses only the import, which is rerun),
COPY on PostgreSQL. Normal writes keep full durability.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine

from desk_app.db.tickets import EVENT_CHANNEL, EVENT_ORDER_LOCK
from desk_app.domain.audit import GENESIS, event_hash
from desk_app.domain.numbers import format_number
from desk_app.domain.priority import Priority
from desk_app.domain.search_text import index_text
from desk_app.domain.status import Status
from desk_app.domain.taxonomy import Taxonomy, default_taxonomy

BATCH = 20_000
SHANGHAI_OFFSET = timedelta(hours=8)
SUBJECTS = ["充值失败", "到账延迟", "申请退款", "结算延迟", "登录异常", "密码重置", "账户冻结", "卡密失效",
            "卡密未发放", "描述不符", "售后问题", "后台卡顿", "客户端闪退", "数据不同步", "API 对接报错",
            "异常登录", "资金纠纷", "功能建议", "规则咨询", "操作咨询"]  # fmt: skip
PRODUCTS = [
    "王者荣耀点券",
    "腾讯Q币",
    "Steam充值卡",
    "网易一卡通",
    "和平精英UC",
    "京东E卡",
    "移动话费",
]
PHRASES = ["客户付款后一直没有到账", "页面提示错误码 E1003", "银行已扣款但订单显示失败", "批量订单全部卡住",
           "客户反复催促，请尽快处理", "已经重启设备并重新登录", "影响多笔订单", "昨晚开始出现"]  # fmt: skip
STATUS_WEIGHTS = [(Status.NEW, 10), (Status.OPEN, 20), (Status.WAITING_CUSTOMER, 10), (Status.RESOLVED, 20),
                  (Status.CLOSED, 40)]  # fmt: skip
VARIANTS = 4_000


@dataclass(frozen=True)
class People:
    """Who generated tickets belong to: organisations, a merchant user of each, owners per group."""

    orgs: list[int]
    creators: dict[int, int]
    owners: dict[str, list[int | None]]


def generate_tickets(
    engine: Engine,
    count: int,
    *,
    people: People,
    seed: int = 1,
    batch: int = BATCH,
    taxonomy: Taxonomy | None = None,
) -> int:
    """Add `count` generated tickets; returns how many were written."""
    if not people.orgs:
        raise ValueError("generated tickets need at least one organisation with a merchant user")
    writer: _Writer = (
        _SqliteWriter(engine) if engine.dialect.name == "sqlite" else _PostgresWriter(engine)
    )
    try:
        counters, first_id = writer.start()
        rows = _Rows(
            random.Random(seed), taxonomy or default_taxonomy(), people, counters, first_id
        )
        written = 0
        while written < count:
            size = min(batch, count - written)
            writer.write(*rows.batch(size))
            written += size
        writer.finish(counters)
        return written
    finally:
        writer.close()


class _Writer(Protocol):
    def start(self) -> tuple[Counter[str], int]: ...
    def write(self, tickets: list[Row], events: list[Row], docs: list[Row]) -> None: ...
    def finish(self, counters: Counter[str]) -> None: ...
    def close(self) -> None: ...


class _SqliteWriter:
    """executemany in one transaction per batch; `synchronous` relaxed for the import only."""

    def __init__(self, engine: Engine) -> None:
        self.raw = engine.raw_connection()
        self.cur = self.raw.cursor()

    def start(self) -> tuple[Counter[str], int]:
        cur = self.cur
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-262144")  # 256 MB: the B-trees being filled stay in memory
        first_id = (cur.execute("SELECT coalesce(max(id), 0) FROM tickets").fetchone()[0] or 0) + 1
        counters = Counter(dict(cur.execute("SELECT day, last FROM ticket_counters").fetchall()))
        return counters, first_id

    def write(self, tickets: list[Row], events: list[Row], docs: list[Row]) -> None:
        # The engine's connections run in autocommit mode (db/engine.py emits BEGIN itself),
        # so each batch is wrapped explicitly: one transaction per batch, not per row.
        cur = self.cur
        cur.execute("BEGIN IMMEDIATE")
        cur.executemany(TICKET_INSERT, tickets)
        cur.executemany(EVENT_INSERT, events)
        cur.executemany("INSERT INTO ticket_fts (rowid, body) VALUES (?, ?)", docs)
        cur.execute("COMMIT")

    def finish(self, counters: Counter[str]) -> None:
        self.cur.execute("BEGIN IMMEDIATE")
        self.cur.executemany(
            "INSERT INTO ticket_counters (day, last) VALUES (?, ?)"
            " ON CONFLICT(day) DO UPDATE SET last = excluded.last",
            list(counters.items()),
        )
        self.cur.execute("COMMIT")
        self.cur.execute("PRAGMA synchronous=FULL")

    def close(self) -> None:
        self.raw.close()


class _PostgresWriter:
    """COPY in one transaction per batch. Events take the feed's order lock (db/tickets.py) so
    live readers of a running server never skip a batch."""

    def __init__(self, engine: Engine) -> None:
        self.raw = engine.raw_connection()
        self.conn: Any = self.raw.driver_connection

    def start(self) -> tuple[Counter[str], int]:
        with self.conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'UTC'")  # the generated stamps are UTC without a zone
            cur.execute("SELECT coalesce(max(id), 0) FROM tickets")
            first_id = int(cur.fetchone()[0]) + 1
            cur.execute("SELECT day, last FROM ticket_counters")
            counters: Counter[str] = Counter(dict(cur.fetchall()))
        self.conn.commit()
        return counters, first_id

    def write(self, tickets: list[Row], events: list[Row], docs: list[Row]) -> None:
        with self.conn.cursor() as cur:
            with cur.copy(f"COPY tickets ({TICKET_COLUMNS}) FROM STDIN") as copy:
                for row in tickets:
                    copy.write_row(row)
            cur.execute(
                "SELECT pg_advisory_xact_lock(%s), pg_notify(%s, '')",
                (EVENT_ORDER_LOCK, EVENT_CHANNEL),
            )
            with cur.copy(f"COPY events ({EVENT_COLUMNS}) FROM STDIN") as copy:
                for row in events:
                    copy.write_row(row)
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS bulk_docs (id integer, body text)")
            with cur.copy("COPY bulk_docs (id, body) FROM STDIN") as copy:
                for row in docs:
                    copy.write_row(row)
            cur.execute(
                "INSERT INTO ticket_search (ticket_id, doc)"
                " SELECT id, to_tsvector('simple', body) FROM bulk_docs"
            )
            cur.execute("TRUNCATE bulk_docs")
        self.conn.commit()

    def finish(self, counters: Counter[str]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO ticket_counters (day, last) VALUES (%s, %s)"
                " ON CONFLICT (day) DO UPDATE SET last = excluded.last",
                list(counters.items()),
            )
            # Ids were given explicitly; the next ticket created normally must follow them.
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('tickets', 'id'), max(id)) FROM tickets"
            )
            cur.execute("ANALYZE tickets")
            cur.execute("ANALYZE events")
            cur.execute("ANALYZE ticket_search")
        self.conn.commit()

    def close(self) -> None:
        self.raw.close()


TICKET_COLUMNS = (
    "id, number, org_id, created_by, subject, description, category, subcategory,"
    " grp, priority, status, owner_id, fields, created_at, updated_at, last_seq, last_hash, version"
)
EVENT_COLUMNS = "ticket_id, seq, kind, actor_id, at, internal, payload, prev_hash, hash"
TICKET_INSERT = f"INSERT INTO tickets ({TICKET_COLUMNS}) VALUES ({', '.join('?' * 18)})"
EVENT_INSERT = f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({', '.join('?' * 9)})"
Row = tuple[Any, ...]


class _Rows:
    """Makes the rows of one batch: tickets, their created events and search documents."""

    def __init__(
        self,
        rng: random.Random,
        taxonomy: Taxonomy,
        people: People,
        counters: Counter[str],
        first_id: int,
    ) -> None:
        self.rng, self.people, self.counters, self.next_id = rng, people, counters, first_id
        self.variants = _variants(rng, taxonomy)
        self.statuses = [s.value for s, _ in STATUS_WEIGHTS]
        self.weights = [w for _, w in STATUS_WEIGHTS]
        self.now = datetime.now(UTC)

    def batch(self, size: int) -> tuple[list[Row], list[Row], list[Row]]:
        rng, now = self.rng, self.now
        times = sorted(now - timedelta(seconds=rng.uniform(60, 365 * 86_400)) for _ in range(size))
        tickets: list[Row] = []
        events: list[Row] = []
        docs: list[Row] = []
        for at, status in zip(times, rng.choices(self.statuses, self.weights, k=size), strict=True):
            v = self.variants[rng.randrange(len(self.variants))]
            local = (at + SHANGHAI_OFFSET).date()
            day = f"{local:%Y%m%d}"
            self.counters[day] += 1
            number = format_number(local, self.counters[day])
            org = rng.choice(self.people.orgs)
            creator = self.people.creators[org]
            owner = (
                None if status == "new" else rng.choice(self.people.owners.get(v["group"], [None]))
            )
            updated = min(at + timedelta(minutes=rng.randint(0, 3000)), now)
            payload = {"subject": v["subject"], "category": v["category"], "subcategory": v["subcategory"],
                       "priority": v["priority"], "group": v["group"], "org_id": org, "status": "new"}  # fmt: skip
            digest = event_hash(
                GENESIS,
                ticket_number=number,
                seq=1,
                kind="created",
                actor_id=creator,
                at=at,
                payload=payload,
            )
            stamp = _stamp(at)
            tid = self.next_id
            self.next_id += 1
            tickets.append((tid, number, org, creator, v["subject"], v["description"], v["category"],
                            v["subcategory"], v["group"], v["priority"], status, owner, "{}", stamp,
                            _stamp(updated), 1, digest, 2))  # fmt: skip
            events.append(
                (
                    tid,
                    1,
                    "created",
                    creator,
                    stamp,
                    0,
                    json.dumps(payload, ensure_ascii=False),
                    GENESIS,
                    digest,
                )
            )
            docs.append((tid, f"{number.lower().replace('-', ' ')} {v['doc']}"))
        return tickets, events, docs


def _stamp(value: datetime) -> str:
    # The text form SQLAlchemy's DateTime uses on SQLite (UTC, see db/types.py).
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _variants(rng: random.Random, taxonomy: Taxonomy) -> list[dict[str, Any]]:
    subs = list(taxonomy.subcategories())
    out = []
    for i in range(VARIANTS):
        sub = subs[i % len(subs)]
        subject = f"{sub.name}：{rng.choice(SUBJECTS)} {rng.choice(PRODUCTS)}"
        description = (
            "，".join(rng.sample(PHRASES, 3))
            + f"。订单号 {rng.randint(10**17, 10**18 - 1)}，金额 {rng.randint(10, 5000)} 元。"
        )
        priority = sub.priority if rng.random() < 0.8 else rng.choice(list(Priority))
        out.append({
            "subject": subject, "description": description, "category": sub.category, "subcategory": sub.code,
            "group": sub.group, "priority": priority.value, "doc": index_text(subject, description),
        })  # fmt: skip
    return out
