"""The contract suite runs every test against every Desk adapter and database we ship:

- sqlite:   LocalDesk over a SQLite file (the embedded default)
- postgres: LocalDesk over PostgreSQL (what the server runs on)
- http:     HttpDesk against a real `desk serve` process over PostgreSQL (team mode)

The tests only speak the Desk port; a behaviour that exists in one and not the other is a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import World, make_world, make_world_on


@pytest.fixture(params=["sqlite", "postgres", "http"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    if request.param == "sqlite":
        yield make_world(tmp_path / "desk.sqlite3")
    elif request.param == "postgres":
        yield make_world_on(request.getfixturevalue("pg_url"))
    else:
        yield request.getfixturevalue("served_world")
