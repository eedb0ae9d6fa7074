"""Recently authenticated access tokens, so a busy seat is not looked up on every request.

An entry lives for a few seconds and never past its token's expiry. Logout in this process
forgets the token at once; a revocation or deactivation made through another server process
takes effect within the TTL (DESIGN §7: a few seconds of staleness for one query less on
every request).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from desk_app.domain.roles import Actor

TTL = timedelta(seconds=5)
CAPACITY = 10_000


class ActorCache:
    def __init__(
        self, clock: Callable[[], datetime], *, ttl: timedelta = TTL, capacity: int = CAPACITY
    ) -> None:
        self._clock = clock
        self._ttl = ttl
        self._capacity = capacity
        self._entries: dict[str, tuple[Actor, datetime]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Actor | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if found[1] <= self._clock():
                del self._entries[key]
                return None
            return found[0]

    def put(self, key: str, actor: Actor, token_expires: datetime) -> None:
        now = self._clock()
        until = min(now + self._ttl, token_expires)
        with self._lock:
            if len(self._entries) >= self._capacity:
                self._entries = {k: v for k, v in self._entries.items() if v[1] > now}
                if len(self._entries) >= self._capacity:
                    self._entries.clear()
            self._entries[key] = (actor, until)

    def forget(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
