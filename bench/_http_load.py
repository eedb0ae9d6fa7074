"""A light HTTP/1.1 load generator: keep-alive connections on asyncio, in a process of its own.

The desktop client (requests + pydantic) costs about a millisecond of CPU per call; on a
2-core machine that would measure the client as much as the server. This one writes prepared
requests and reads the responses with the standard library, so nearly all of both cores are
left to the server and PostgreSQL — the way wrk or oha would be used, without installing them.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Call:
    """One kind of request; a fresh Idempotency-Key is added to each write when `unique_key`."""

    method: str
    path: str
    token: str
    params: list[tuple[str, str]] = field(default_factory=list)
    body: dict[str, Any] | None = None
    unique_key: bool = False

    def encode(self, host: str) -> bytes:
        target = self.path + ("?" + urlencode(self.params) if self.params else "")
        payload = json.dumps(self.body, ensure_ascii=False).encode() if self.body else b""
        lines = [
            f"{self.method} {target} HTTP/1.1",
            f"Host: {host}",
            f"Authorization: Bearer {self.token}",
            "Accept: application/json",
        ]
        if self.unique_key:
            lines.append(f"Idempotency-Key: {uuid.uuid4()}")
        if payload:
            lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


@dataclass
class Result:
    done: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


async def _connection(host: str, port: int, call: Call, deadline: float, out: Result) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            request = call.encode(f"{host}:{port}")
            t0 = time.perf_counter()
            writer.write(request)
            status = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = await reader.readexactly(length)
            out.latencies_ms.append((time.perf_counter() - t0) * 1000)
            code = int(status.split()[1]) if status else 0
            if 200 <= code < 300:
                out.done += 1
            else:
                out.errors += 1
                out.first_error = out.first_error or f"{code} {body[:200]!r}"
    finally:
        writer.close()


async def _run(url: str, call: Call, connections: int, seconds: float) -> Result:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    out = Result(0, 0, 0.0, [])
    t0 = time.perf_counter()
    await asyncio.gather(
        *(_connection(host, port, call, t0 + seconds, out) for _ in range(connections))
    )
    out.seconds = time.perf_counter() - t0
    return out


def _child(url: str, call: Call, connections: int, seconds: float, queue: Any) -> None:
    queue.put(asyncio.run(_run(url, call, connections, seconds)))


def hammer(url: str, call: Call, *, connections: int, seconds: float) -> Result:
    """Run `call` over `connections` keep-alive connections for `seconds`, from another process."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(url, call, connections, seconds, queue))
    proc.start()
    result: Result = queue.get(timeout=seconds + 60)
    proc.join()
    return result
