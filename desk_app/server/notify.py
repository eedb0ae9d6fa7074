"""Waking live event streams when something was written, across server processes.

On PostgreSQL every write transaction that appends an event NOTIFYs `desk_events` at commit
(db/tickets.py); one thread per server process LISTENs and wakes the streams of that process.
Without PostgreSQL (a single-process server over SQLite) the process wakes itself after writes.
Streams also re-check on a short timer, so a lost notification only delays, never loses, events.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

from sqlalchemy import Engine

from desk_app.db.tickets import EVENT_CHANNEL

log = logging.getLogger(__name__)


class EventNotifier:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def listen(self, engine: Engine) -> None:
        if engine.dialect.name != "postgresql":
            return
        dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._thread = threading.Thread(
            target=self._listen, args=(dsn,), name="desk-listen", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def fire(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # that stream's loop has closed
                loop.call_soon_threadsafe(event.set)

    async def wait(self, timeout: float) -> None:
        event = asyncio.Event()
        key = (asyncio.get_running_loop(), event)
        with self._lock:
            self._waiters.add(key)
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiters.discard(key)

    def _listen(self, dsn: str) -> None:
        import psycopg  # server-only dependency; the desktop build leaves it out

        while not self._stop.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {EVENT_CHANNEL}")
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            self.fire()
            except Exception:
                log.warning("LISTEN connection lost; retrying", exc_info=True)
                self._stop.wait(1.0)
