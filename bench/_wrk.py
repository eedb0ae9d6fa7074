"""Driving the server with wrk (C, a few microseconds of CPU per request) when it is installed.

On a 2-core machine the load generator shares the cores with the server and PostgreSQL; the
Python one (`_http_load`) costs about 0.6 ms of CPU per request, a quarter of what a queue page
costs the server, so its figures are the server's minus the load's. `apt install wrk` (Debian)
gives the server nearly both cores; without it the benchmark falls back to `_http_load`.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from _http_load import Call, hammer


@dataclass(frozen=True)
class Figures:
    rate: float
    median_ms: float
    p99_ms: float
    errors: int
    first_error: str
    tool: str


def load(url: str, call: Call, *, connections: int, seconds: float) -> Figures:
    if shutil.which("wrk"):
        return _wrk(url, call, connections, seconds)
    res = hammer(url, call, connections=connections, seconds=seconds)
    ms = res.latencies_ms
    p99 = statistics.quantiles(ms, n=100)[-1] if len(ms) > 1 else (ms[0] if ms else 0.0)
    return Figures(
        res.rate, statistics.median(ms) if ms else 0.0, p99, res.errors, res.first_error, "python"
    )


def _lua(call: Call) -> str:
    lines = [
        f'wrk.method = "{call.method}"',
        f'wrk.headers["Authorization"] = "Bearer {call.token}"',
        'wrk.headers["Accept"] = "application/json"',
    ]
    if call.body is not None:
        body = json.dumps(call.body, ensure_ascii=False)
        lines += [f"wrk.body = [==[{body}]==]", 'wrk.headers["Content-Type"] = "application/json"']
    if call.unique_key:
        # Each wrk thread has a Lua state of its own, with the same unseeded math.random and
        # the same os.time(): keys made from those alone repeated across threads, and half the
        # "creations" were replays answered with the first ticket. setup() numbers the threads.
        lines += [
            "local threads = 0",
            "function setup(thread)",
            "  threads = threads + 1",
            '  thread:set("tid", threads)',
            "end",
            "local n = 0",
            f'local run = "{uuid.uuid4().hex}"',
            "request = function()",
            "  n = n + 1",
            '  wrk.headers["Idempotency-Key"] = run .. "-" .. tid .. "-" .. n',
            "  return wrk.format()",
            "end",
        ]
    return "\n".join(lines) + "\n"


def _wrk(url: str, call: Call, connections: int, seconds: float) -> Figures:
    target = url + call.path + ("?" + urlencode(call.params) if call.params else "")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "call.lua"
        script.write_text(_lua(call), encoding="utf-8")
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds:.0f}s",
                "--latency",
                "-s",
                str(script),
                target,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    rate = float(_find(r"Requests/sec:\s+([\d.]+)", out))
    errors = int(_find(r"Non-2xx or 3xx responses:\s+(\d+)", out, "0"))
    return Figures(rate, _ms(_find(r"^\s+50%\s+(\S+)", out)), _ms(_find(r"^\s+99%\s+(\S+)", out)), errors,
                   "see the server log" if errors else "", "wrk")  # fmt: skip


def _find(pattern: str, text: str, default: str | None = None) -> str:
    found = re.search(pattern, text, re.MULTILINE)
    if found:
        return found.group(1)
    if default is not None:
        return default
    raise RuntimeError(f"wrk output without {pattern!r}:\n{text}")


def _ms(value: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if found is None:
        raise RuntimeError(f"unexpected wrk latency {value!r}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[found.group(2)]
    return float(found.group(1)) * scale
