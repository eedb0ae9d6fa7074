"""Shared helpers for the benchmarks: timing with medians and percentiles, and a data folder."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app.app import open_embedded
from desk_app.client.local import LocalDesk
from desk_app.services.context import ServiceContext

DEFAULT_DIR = Path("/tmp/desk_bench")


def measure(fn: Callable[[], Any], repeats: int = 20, warmup: int = 2) -> list[float]:
    """Milliseconds per call, after a few warm-up calls (caches as a running app has them)."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(ms: list[float]) -> str:
    med = statistics.median(ms)
    p95 = statistics.quantiles(ms, n=20)[-1] if len(ms) >= 2 else ms[0]
    return f"median {med:8.2f} ms  p95 {p95:8.2f} ms"


def ratio(ours: list[float], base: list[float]) -> str:
    return (
        f"{statistics.median(base) / max(statistics.median(ours), 1e-9):8.1f}x faster than baseline"
    )


def desk_for(folder: Path, login: str) -> tuple[LocalDesk, ServiceContext]:
    ctx, _engine = open_embedded(folder)
    desk = LocalDesk(ctx)
    desk.sign_in(login)
    return desk, ctx
