from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Qt must never look for a screen in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest
from sqlalchemy import create_engine

from tests.memory_keyring import MemoryKeyring
from tests.pg import Cluster, start_cluster
from tests.support import World, make_world


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    """Secrets go to memory in tests; the platform keyring is not available here."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path / "desk.sqlite3")


_db_counter = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    yield from start_cluster()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh, empty database for one test."""
    name = f"desk_t{next(_db_counter)}"
    admin = create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield pg_cluster.url(name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
