from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.audit import (
    GENESIS,
    ChainLink,
    canonical,
    event_hash,
    event_hash_of_json,
    verify_chain,
)

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def chain(n: int) -> list[ChainLink]:
    links: list[ChainLink] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        payload = {"body": f"消息 {seq}"}
        at = T0 + timedelta(minutes=seq)
        digest = event_hash(
            prev, ticket_number="KM-1", seq=seq, kind="replied", actor_id=1, at=at, payload=payload
        )
        links.append(ChainLink(seq * 10, "KM-1", seq, "replied", 1, at, payload, prev, digest))
        prev = digest
    return links


def test_intact_chain_verifies() -> None:
    assert verify_chain(chain(5)) is None


def test_edited_payload_is_named_at_its_event() -> None:
    links = chain(5)
    links[2] = replace(links[2], payload={"body": "改过的"})
    broken = verify_chain(links)
    assert broken is not None
    assert (broken.seq, broken.event_id) == (3, 30)
    assert "修改" in broken.describe()


def test_deleted_event_is_detected() -> None:
    links = chain(5)
    del links[1]
    broken = verify_chain(links)
    assert broken is not None and broken.seq == 3


def test_recomputed_forgery_breaks_the_next_link() -> None:
    links = chain(4)
    forged_payload = {"body": "伪造"}
    forged_hash = event_hash(
        links[1].prev_hash,
        ticket_number="KM-1",
        seq=2,
        kind="replied",
        actor_id=1,
        at=links[1].at,
        payload=forged_payload,
    )
    links[1] = replace(links[1], payload=forged_payload, hash=forged_hash)
    broken = verify_chain(links)
    assert broken is not None and broken.seq == 3


def test_hash_depends_on_every_field() -> None:
    base = {
        "ticket_number": "KM-1",
        "seq": 1,
        "kind": "note",
        "actor_id": 1,
        "at": T0,
        "payload": {"a": 1},
    }
    h = event_hash(GENESIS, **base)  # type: ignore[arg-type]
    for key, value in [
        ("ticket_number", "KM-2"),
        ("seq", 2),
        ("kind", "replied"),
        ("actor_id", 2),
        ("at", T0 + timedelta(microseconds=1)),
        ("payload", {"a": 2}),
    ]:
        assert event_hash(GENESIS, **{**base, key: value}) != h  # type: ignore[arg-type]


@given(
    payload=st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.one_of(st.integers(), st.text(max_size=20), st.none(), st.booleans()),
        max_size=6,
    ),
    actor=st.integers(min_value=1, max_value=10**9),
    seq=st.integers(min_value=1, max_value=10**6),
    micros=st.integers(min_value=0, max_value=10**15),
)
def test_hash_of_canonical_json_equals_the_hash_of_the_payload(
    payload: dict[str, object], actor: int, seq: int, micros: int
) -> None:
    at = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
    expected = event_hash(
        GENESIS, ticket_number="KM-20261201-000001", seq=seq, kind="created", actor_id=actor,
        at=at, payload=payload,
    )  # fmt: skip
    got = event_hash_of_json(
        GENESIS, ticket_number="KM-20261201-000001", seq=seq, kind="created", actor_id=actor,
        at_iso=at.isoformat(timespec="microseconds"), payload_json=canonical(payload).decode(),
    )  # fmt: skip
    assert got == expected
