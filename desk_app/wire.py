"""Turning records into JSON and back, identically on the server and in HttpDesk.

pydantic validates the stdlib dataclasses of domain/records.py directly, so the wire format is
defined once, by the records themselves.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")

_adapters: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    adapter = _adapters.get(kind)
    if adapter is None:
        adapter = _adapters[kind] = TypeAdapter(kind)
    return adapter


def dump(kind: type[T] | Any, value: Any) -> Any:
    return _adapter(kind).dump_python(value, mode="json")


def dump_json(kind: type[T] | Any, value: Any) -> bytes:
    """The JSON bytes of `value`, serialised by pydantic's core in one pass."""
    return _adapter(kind).dump_json(value)


def load(kind: type[T], data: Any) -> T:
    return _adapter(kind).validate_python(data)  # type: ignore[no-any-return]
