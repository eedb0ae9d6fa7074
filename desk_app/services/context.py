"""What every service needs: a unit-of-work factory, the taxonomy and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from desk_app.db.names import NameCache
from desk_app.db.uow import UowFactory
from desk_app.domain.taxonomy import Taxonomy, default_taxonomy


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServiceContext:
    uow: UowFactory
    taxonomy: Taxonomy = field(default_factory=default_taxonomy)
    clock: Callable[[], datetime] = utcnow
    names: NameCache = field(default_factory=NameCache)
