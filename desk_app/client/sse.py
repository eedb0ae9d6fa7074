"""Reading a Server-Sent Events stream (text/event-stream), line by line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SseMessage:
    event: str
    data: str
    id: str | None


def parse(lines: Iterable[str]) -> Iterator[SseMessage]:
    """Yield one message per blank-line-terminated block; comments (keep-alive pings) are
    skipped, multi-line data is joined with newlines, as the HTML standard describes."""
    event: str = "message"
    data: list[str] = []
    ident: str | None = None
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if data:
                yield SseMessage(event, "\n".join(data), ident)
            event, data, ident = "message", [], None
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
        elif name == "id" and "\0" not in value:
            ident = value
