"""Generating large ticket sets fast (benchmarks, load tests, capacity checks).

It writes what the services would write — ticket rows with their numbers, each ticket's
`created` event with a correct hash-chain link, and its search document — but in large
transactions instead of one unit of work per ticket: executemany on SQLite (whose import
connection relaxes `synchronous`; a crash mid-import loses only the import, which is rerun),
COPY on PostgreSQL. Normal writes keep full durability.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import random
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine

from desk_app.db.engine import BUSY_TIMEOUT_MS, WRITE_OPTION
from desk_app.db.schema import Base, TicketRow
from desk_app.db.tickets import EVENT_CHANNEL, EVENT_ORDER_LOCK
from desk_app.domain.audit import GENESIS, canonical, event_hash_of_json
from desk_app.domain.numbers import PREFIX as NUMBER_PREFIX
from desk_app.domain.priority import Priority
from desk_app.domain.search_text import index_text, scope_tokens
from desk_app.domain.status import Status
from desk_app.domain.taxonomy import Taxonomy, default_taxonomy

_log = logging.getLogger(__name__)

BATCH = 20_000
IMPORT_HASHSIZE = 8 << 20
FTS_HASHSIZE = 1 << 20  # FTS5's default, for the single-ticket writes after the import
FTS_AUTOMERGE = 4  # FTS5's default: merges segments as single-ticket writes add them
SHANGHAI_OFFSET = timedelta(hours=8)
YEAR = timedelta(days=365)
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
OWNER_PICKS = 1 << 20  # an owner is picks % the group's size: far above any group's size
UPDATE_MINUTES = 3000  # a ticket was last updated up to this long after it was filed
_NO_OWNER: list[int | None] = [None]


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
        _SqliteWriter(engine, count) if engine.dialect.name == "sqlite" else _PostgresWriter(engine)
    )
    try:
        counters, first_id = writer.start()
        plan = _Plan(seed, taxonomy or default_taxonomy(), people, counters, first_id, count, batch,
                     events=not isinstance(writer, _SqliteWriter))  # fmt: skip
        # Building the rows costs about half as much as writing them; on a second core it runs
        # beside the writer instead of before it (large imports only: a process costs ~0.3 s).
        produced = _in_child(plan) if count >= 4 * batch else _in_process(plan)
        written = 0
        for item in produced:
            writer.write(*item)
            written += len(item[0])
        writer.finish()
        return written
    finally:
        writer.close()


def restore_after_import(engine: Engine) -> bool:
    """Put back what an SQLite import takes away for its duration, should its process have
    died before it could (the queue's indexes, the search index merging its segments); whether
    anything was missing. Run when the desk is opened: a few seconds per million tickets, once,
    instead of every queue read scanning the table."""
    with engine.connect() as conn:
        present = set(
            conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'"
            ).scalars()
        )
    indexes = Base.metadata.tables[TicketRow.__tablename__].indexes
    missing = [index for index in indexes if index.name not in present]
    if not missing:
        return False
    _log.warning("an import was interrupted: building %s again", [i.name for i in missing])
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        for index in missing:
            index.create(conn)
        conn.exec_driver_sql(_FTS_SETTING, ("hashsize", FTS_HASHSIZE))
        conn.exec_driver_sql(_FTS_SETTING, ("automerge", FTS_AUTOMERGE))
    return True


_FTS_SETTING = "INSERT INTO ticket_fts (ticket_fts, rank) VALUES (?, ?)"


@dataclass(frozen=True)
class _Plan:
    seed: int
    taxonomy: Taxonomy
    people: People
    counters: Counter[str]
    first_id: int
    count: int
    batch: int
    events: bool  # rows of the created events (SQLite writes them from the tickets' rows)


# Tickets, their created events, their search documents, and the day counters as they stand
# after this batch (written with it, so an import that stops half way never leaves numbers
# the counters do not know: the next ticket filed would collide with one of them).
Batch = tuple[list["Row"], list["Row"], list["Row"], list[tuple[str, int]]]


def _in_process(plan: _Plan) -> Iterator[Batch]:
    """The batches of `plan`."""
    rows = _Rows(random.Random(plan.seed), plan.taxonomy, plan.people, Counter(plan.counters),
                 plan.first_id, with_events=plan.events)  # fmt: skip
    made = 0
    while made < plan.count:
        size = min(plan.batch, plan.count - made)
        yield rows.batch(size, made / plan.count, (made + size) / plan.count)
        made += size


def _in_child(plan: _Plan) -> Iterator[Batch]:
    ctx = mp.get_context("spawn")  # the same on Linux and Windows; no forked locks or engines
    queue = ctx.Queue(maxsize=3)
    child = ctx.Process(target=_produce, args=(plan, queue), daemon=True)
    child.start()
    try:
        while True:
            item = queue.get(timeout=600)
            if item is None:
                return
            if isinstance(item, BaseException):
                raise RuntimeError("generating rows failed") from item
            yield item
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.kill()


def _produce(plan: _Plan, queue: Any) -> None:
    try:
        for item in _in_process(plan):
            queue.put(item)
        queue.put(None)
    except BaseException as exc:  # handed to the parent, which raises it
        queue.put(exc)


class _Writer(Protocol):
    def start(self) -> tuple[Counter[str], int]: ...
    def write(
        self, tickets: list[Row], events: list[Row], docs: list[Row], days: list[tuple[str, int]]
    ) -> None: ...
    def finish(self) -> None: ...
    def close(self) -> None: ...


class _SqliteWriter:
    """executemany in one transaction per batch, with the import's own settings.

    `synchronous` is relaxed for the import only, on a connection that is closed after it.
    When the import is at least as large as what is there, the tickets' secondary indexes are
    dropped and built again at the end (one sorted pass each instead of a million scattered
    inserts), the search index does not merge its segments while it fills (it merges them
    once at the end), and the file leaves WAL for a rollback journal until the import is done:
    in WAL every page of a fresh import is written twice (to the log, then by the checkpoint
    into the file), while a rollback journal holds only the few pages that existed before each
    batch. A process that dies mid-batch leaves that journal behind, and the next connection
    rolls the batch back, as WAL would. The switch needs the file to itself; when another
    connection has it open, the import stays in WAL.
    """

    def __init__(self, engine: Engine, count: int) -> None:
        engine.dispose()  # idle pooled connections would keep the file from leaving WAL
        self.raw = engine.raw_connection()
        self.cur = self.raw.cursor()
        self.count = count
        self.dropped: list[str] = []
        self.restored = False
        self.left_wal = False

    def start(self) -> tuple[Counter[str], int]:
        cur = self.cur
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-262144")  # 256 MB: the B-trees being filled stay in memory
        first_id = (cur.execute("SELECT coalesce(max(id), 0) FROM tickets").fetchone()[0] or 0) + 1
        counters = Counter(dict(cur.execute("SELECT day, last FROM ticket_counters").fetchall()))
        bulk = self.count >= first_id - 1
        if bulk:
            self.left_wal = self._set_journal("truncate")
        cur.execute("BEGIN IMMEDIATE")
        # FTS5 writes a segment whenever its pending terms pass `hashsize`: the default 1 MB
        # made ten small segments per batch, each sorted and written on its own.
        cur.execute(_FTS_SETTING, ("hashsize", IMPORT_HASHSIZE))
        if bulk:
            self.dropped = [
                sql
                for (sql,) in cur.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'"
                    " AND sql IS NOT NULL"
                )
            ]
            for sql in self.dropped:
                cur.execute("DROP INDEX " + sql.split()[2])
            cur.execute(_FTS_SETTING, ("automerge", 0))
        cur.execute("COMMIT")
        return counters, first_id

    def write(
        self, tickets: list[Row], events: list[Row], docs: list[Row], days: list[tuple[str, int]]
    ) -> None:
        # The engine's connections run in autocommit mode (db/engine.py emits BEGIN itself),
        # so each batch is wrapped explicitly: one transaction per batch, not per row.
        cur = self.cur
        cur.execute("BEGIN IMMEDIATE")
        cur.executemany(TICKET_INSERT, tickets)
        # Built by SQLite from the rows just written, a fifth of what binding them costs.
        cur.execute(EVENTS_FROM_TICKETS, (tickets[0][0], tickets[-1][0]))
        cur.executemany("INSERT INTO ticket_fts (rowid, body, scope) VALUES (?, ?, ?)", docs)
        cur.executemany(
            "INSERT INTO ticket_counters (day, last) VALUES (?, ?)"
            " ON CONFLICT(day) DO UPDATE SET last = excluded.last",
            days,
        )
        cur.execute("COMMIT")

    def finish(self) -> None:
        self._restore()

    def close(self) -> None:
        try:
            if self.raw.in_transaction:
                self.cur.execute("ROLLBACK")
            self._restore()  # an import that failed half way still leaves every index
            if self.left_wal:
                # Should another connection hold the file now, the next one the engine opens
                # sets WAL again (db/engine.py); the import's data is committed either way.
                self._set_journal("wal")
        finally:
            # Not back to the pool: the import's settings (synchronous, cache size) stay
            # with the connection, which is closed instead.
            self.raw.invalidate()
            self.raw.close()

    def _set_journal(self, mode: str) -> bool:
        """Switch the file's journal mode without waiting; whether it switched."""
        self.cur.execute("PRAGMA busy_timeout=0")
        try:
            return bool(self.cur.execute(f"PRAGMA journal_mode={mode}").fetchone()[0] == mode)
        except sqlite3.OperationalError:  # "database is locked": another connection has it open
            return False
        finally:
            self.cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def _restore(self) -> None:
        if self.restored:
            return
        cur = self.cur
        cur.execute("BEGIN IMMEDIATE")
        cur.execute(_FTS_SETTING, ("hashsize", FTS_HASHSIZE))
        if self.dropped:
            for sql in self.dropped:
                cur.execute(sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
            cur.execute(_FTS_SETTING, ("automerge", FTS_AUTOMERGE))
            # Merge what the import left as many small segments: searches read few segments.
            cur.execute("INSERT INTO ticket_fts (ticket_fts) VALUES ('optimize')")
        cur.execute("COMMIT")
        self.restored = True


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

    def write(
        self, tickets: list[Row], events: list[Row], docs: list[Row], days: list[tuple[str, int]]
    ) -> None:
        with self.conn.cursor() as cur:
            cur.execute("SET LOCAL statement_timeout = 0")  # a batch may outlast a request
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
                    copy.write_row(row[:2])  # the scope column is SQLite's (db/search.py)
            cur.execute(
                "INSERT INTO ticket_search (ticket_id, doc)"
                " SELECT id, to_tsvector('simple', body) FROM bulk_docs"
            )
            cur.execute("TRUNCATE bulk_docs")
            cur.executemany(
                "INSERT INTO ticket_counters (day, last) VALUES (%s, %s)"
                " ON CONFLICT (day) DO UPDATE SET last = excluded.last",
                days,
            )
        self.conn.commit()

    def finish(self) -> None:
        with self.conn.cursor() as cur:
            cur.execute("SET LOCAL statement_timeout = 0")  # ANALYZE of a million rows
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
# The created event of each ticket in an id range. Its payload is the canonical JSON the
# producer hashed (_Rows._payload): json_object writes keys in the order given (sorted here),
# without spaces and with the same escapes; `desk audit verify` would name any difference.
EVENTS_FROM_TICKETS = f"""
INSERT INTO events ({EVENT_COLUMNS})
SELECT id, 1, 'created', created_by, created_at, 0,
       json_object('category', category, 'group', grp, 'org_id', org_id, 'priority', priority,
                   'status', 'new', 'subcategory', subcategory, 'subject', subject),
       '{GENESIS}', last_hash
FROM tickets WHERE id BETWEEN ? AND ? ORDER BY id
"""
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
        *,
        with_events: bool = True,
    ) -> None:
        self.rng, self.people, self.counters, self.next_id = rng, people, counters, first_id
        self.variants = _variants(rng, taxonomy)
        self.statuses = [s.value for s, _ in STATUS_WEIGHTS]
        self.weights = [w for _, w in STATUS_WEIGHTS]
        self.now = datetime.now(UTC).replace(tzinfo=None)  # naive UTC, as SQLite stores it
        self._payloads: dict[tuple[int, int], str] = {}
        self._scopes: dict[tuple[int, str], str] = {}
        self.with_events = with_events

    def batch(self, size: int, start: float, end: float) -> Batch:
        """`size` tickets filed in the part `start`..`end` (fractions) of the past year: ids
        and filing times rise together, as they do in a real desk, and the number index is
        filled in order."""
        # A million tickets in under a minute leaves a few microseconds of Python per ticket:
        # the random picks are drawn a batch at a time, times stay naive UTC, a day's number
        # is worked out when the (sorted) times cross into the next day, the created event's
        # payload is encoded once per variant and organisation, and its hash is taken over
        # that canonical text (event_hash_of_json).
        rng, now = self.rng, self.now
        oldest, span = now - YEAR, (YEAR - timedelta(seconds=60)).total_seconds()
        offsets = sorted(rng.uniform(start, end) for _ in range(size))
        times = [oldest + timedelta(seconds=span * f) for f in offsets]
        picks = zip(
            times,
            rng.choices(self.statuses, self.weights, k=size),
            rng.choices(range(len(self.variants)), k=size),
            rng.choices(self.people.orgs, k=size),
            rng.choices(range(OWNER_PICKS), k=size),
            rng.choices(range(UPDATE_MINUTES + 1), k=size),
            strict=True,
        )
        tickets: list[Row] = []
        events: list[Row] = []
        docs: list[Row] = []
        touched: dict[str, int] = {}
        variants, creators, owners = self.variants, self.people.creators, self.people.owners
        payloads, with_events = self._payloads, self.with_events
        day, serial, day_start, day_end = "", 0, now, now
        for at, status, which, org, owner_pick, minutes in picks:
            if not day_start <= at < day_end:
                if day:
                    touched[day] = self.counters[day] = serial
                day, day_start, day_end = _shanghai_day(at)
                serial = self.counters[day]
            serial += 1
            number = f"{NUMBER_PREFIX}-{day}-{serial:06d}"
            v = variants[which]
            creator = creators[org]
            group_owners = owners.get(v["group"], _NO_OWNER)
            owner = None if status == "new" else group_owners[owner_pick % len(group_owners)]
            updated = min(at + timedelta(minutes=minutes), now)
            payload = payloads.get((which, org)) or self._payload(which, org)
            stamp = at.isoformat(" ", "microseconds")
            digest = event_hash_of_json(GENESIS, ticket_number=number, seq=1, kind="created",
                                        actor_id=creator, at_iso=f"{stamp[:10]}T{stamp[11:]}+00:00",
                                        payload_json=payload)  # fmt: skip
            tid = self.next_id
            self.next_id += 1
            tickets.append((tid, number, org, creator, v["subject"], v["description"], v["category"],
                            v["subcategory"], v["group"], v["priority"], status, owner, "{}", stamp,
                            updated.isoformat(" ", "microseconds"), 1, digest, 1))  # fmt: skip
            if with_events:
                events.append((tid, 1, "created", creator, stamp, 0, payload, GENESIS, digest))
            docs.append(
                (tid, f"{number.lower().replace('-', ' ')} {v['doc']}", self._scope(org, v))
            )
        if day:
            touched[day] = self.counters[day] = serial
        return tickets, events, docs, sorted(touched.items())

    def _scope(self, org: int, variant: dict[str, Any]) -> str:
        key = (org, variant["group"])
        text = self._scopes.get(key)
        if text is None:
            text = self._scopes[key] = scope_tokens(org, variant["group"])
        return text

    def _payload(self, which: int, org: int) -> str:
        key = (which, org)
        text = self._payloads.get(key)
        if text is None:
            v = self.variants[which]
            payload = {"subject": v["subject"], "category": v["category"], "subcategory": v["subcategory"],
                       "priority": v["priority"], "group": v["group"], "org_id": org, "status": "new"}  # fmt: skip
            text = self._payloads[key] = canonical(payload).decode()
        return text


def _shanghai_day(at: datetime) -> tuple[str, datetime, datetime]:
    """The Shanghai calendar day of a naive UTC time, as the number shows it, and the UTC
    times at which that day starts and ends."""
    local = at + SHANGHAI_OFFSET
    start = datetime(local.year, local.month, local.day) - SHANGHAI_OFFSET
    return f"{local:%Y%m%d}", start, start + timedelta(days=1)


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
