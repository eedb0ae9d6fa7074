"""The desktop's outbox: writes made while the server is unreachable, kept on disk in order.

Each item carries the idempotency key it was first tried with, so sending it again (after a
timeout whose answer was lost, or a crash) can never create a second ticket or message.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT
)
"""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    kind: str  # create_ticket | reply | note
    payload: dict[str, Any]
    key: str
    created_at: datetime
    attempts: int
    state: str  # pending | failed
    last_error: str | None

    @property
    def summary(self) -> str:
        if self.kind == "create_ticket":
            return f"新工单：{self.payload.get('subject', '')}"
        label = "回复" if self.kind == "reply" else "内部备注"
        return f"{label}（工单 ID {self.payload.get('ticket_id')}）：{str(self.payload.get('body', ''))[:40]}"


class Outbox:
    """One file per desktop; items belong to the account (server + login) that wrote them."""

    def __init__(self, path: Path, account: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(SCHEMA)
        self._lock = threading.Lock()
        self.account = account

    def add(self, kind: str, payload: dict[str, Any], key: str | None = None) -> OutboxItem:
        key = key or str(uuid.uuid4())
        now = datetime.now(UTC).isoformat()
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO outbox(account, kind, payload, key, created_at) VALUES (?, ?, ?, ?, ?)",
                (self.account, kind, json.dumps(payload, ensure_ascii=False), key, now),
            )
            item_id = cur.lastrowid
        assert item_id is not None
        return self.get(item_id)

    def get(self, item_id: int) -> OutboxItem:
        with self._lock:
            row = self._db.execute(
                "SELECT id, kind, payload, key, created_at, attempts, state, last_error FROM outbox WHERE id = ?",
                (item_id,),
            ).fetchone()
        return _item(row)

    def items(self, *, state: str | None = None) -> list[OutboxItem]:
        sql = "SELECT id, kind, payload, key, created_at, attempts, state, last_error FROM outbox WHERE account = ?"
        args: list[Any] = [self.account]
        if state:
            sql += " AND state = ?"
            args.append(state)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [_item(r) for r in rows]

    def done(self, item_id: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM outbox WHERE id = ?", (item_id,))

    def tried(self, item_id: int, error: str | None, *, failed: bool) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, state = ? WHERE id = ?",
                (error, "failed" if failed else "pending", item_id),
            )

    def discard(self, item_id: int) -> None:
        """The user chose to drop an item that cannot be sent (e.g. the ticket was closed)."""
        self.done(item_id)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _item(row: tuple[Any, ...]) -> OutboxItem:
    return OutboxItem(
        id=row[0],
        kind=row[1],
        payload=json.loads(row[2]),
        key=row[3],
        created_at=datetime.fromisoformat(row[4]),
        attempts=row[5],
        state=row[6],
        last_error=row[7],
    )
