"""The short-lived cache of authenticated tokens: never past its TTL or the token's expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desk_app.domain.roles import Actor, Role
from desk_app.services.actor_cache import ActorCache

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
AGENT = Actor(user_id=7, name="李娜", role=Role.AGENT, org_id=None, groups=frozenset({"trade"}))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_an_entry_lives_for_the_ttl_only() -> None:
    clock = Clock()
    cache = ActorCache(clock, ttl=timedelta(seconds=5))
    cache.put("k", AGENT, T0 + timedelta(minutes=30))
    clock.now = T0 + timedelta(seconds=4)
    assert cache.get("k") == AGENT
    clock.now = T0 + timedelta(seconds=5)
    assert cache.get("k") is None


def test_an_entry_never_outlives_its_token() -> None:
    clock = Clock()
    cache = ActorCache(clock, ttl=timedelta(seconds=5))
    cache.put("k", AGENT, T0 + timedelta(seconds=1))
    clock.now = T0 + timedelta(seconds=2)
    assert cache.get("k") is None


def test_forgetting_takes_effect_at_once() -> None:
    cache = ActorCache(Clock())
    cache.put("k", AGENT, T0 + timedelta(minutes=30))
    cache.forget("k")
    assert cache.get("k") is None


def test_a_full_cache_stays_bounded_and_keeps_working() -> None:
    clock = Clock()
    cache = ActorCache(clock, capacity=3)
    for i in range(10):
        cache.put(f"k{i}", AGENT, T0 + timedelta(minutes=30))
    assert cache.get("k9") == AGENT
    assert sum(cache.get(f"k{i}") is not None for i in range(10)) <= 3
