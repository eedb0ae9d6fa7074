"""The contract suite runs every test against every Desk adapter and database we ship.

Adding an adapter (HttpDesk in team mode) means adding a parameter to `backend` that builds the
same world of users behind it; the tests themselves only speak the Desk port.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import World, make_world, make_world_on


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    if request.param == "sqlite":
        yield make_world(tmp_path / "desk.sqlite3")
    else:
        pg = request.getfixturevalue("pg_url")
        yield make_world_on(pg)
