"""The tamper-evident chain: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def event_hash(
    prev_hash: str,
    *,
    ticket_number: str,
    seq: int,
    kind: str,
    actor_id: int | None,
    at: datetime,
    payload: Mapping[str, Any],
) -> str:
    body = {
        "ticket": ticket_number,
        "seq": seq,
        "kind": kind,
        "actor": actor_id,
        "at": at.isoformat(timespec="microseconds"),
        "payload": payload,
    }
    return hashlib.sha256(prev_hash.encode() + canonical(body)).hexdigest()


def event_hash_of_json(
    prev_hash: str,
    *,
    ticket_number: str,
    seq: int,
    kind: str,
    actor_id: int,
    at_iso: str,
    payload_json: str,
) -> str:
    """event_hash for a payload already in canonical form (`canonical(payload).decode()`) and
    a time already in isoformat: the same digest, without encoding JSON for every event.

    For generating a million events; `ticket_number`, `kind` and `at_iso` must be plain ASCII
    that JSON leaves unescaped (ticket numbers, event kinds and timestamps are).
    """
    body = (
        f'{{"actor":{actor_id},"at":"{at_iso}","kind":"{kind}","payload":{payload_json},'
        f'"seq":{seq},"ticket":"{ticket_number}"}}'
    )
    return hashlib.sha256(prev_hash.encode() + body.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainLink:
    event_id: int
    ticket_number: str
    seq: int
    kind: str
    actor_id: int | None
    at: datetime
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class BrokenLink:
    ticket_number: str
    event_id: int
    seq: int
    reason: str

    def describe(self) -> str:
        return f"工单 {self.ticket_number} 第 {self.seq} 条事件（事件 ID {self.event_id}）：{self.reason}"


def verify_chain(links: Iterable[ChainLink]) -> BrokenLink | None:
    """Check one ticket's events in order; return the first broken link or None."""
    expected_prev = GENESIS
    expected_seq = 1
    for link in links:
        if link.seq != expected_seq:
            return BrokenLink(
                link.ticket_number,
                link.event_id,
                link.seq,
                f"序号应为 {expected_seq}，缺失或被删除",
            )
        if link.prev_hash != expected_prev:
            return BrokenLink(link.ticket_number, link.event_id, link.seq, "与上一条事件的链接不符")
        recomputed = event_hash(
            link.prev_hash,
            ticket_number=link.ticket_number,
            seq=link.seq,
            kind=link.kind,
            actor_id=link.actor_id,
            at=link.at,
            payload=link.payload,
        )
        if recomputed != link.hash:
            return BrokenLink(
                link.ticket_number, link.event_id, link.seq, "内容与其哈希不符（已被修改）"
            )
        expected_prev = link.hash
        expected_seq += 1
    return None
