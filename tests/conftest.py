from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Qt must never look for a screen in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest
from sqlalchemy import Engine, create_engine, text

from desk_app.db.migrate import open_server_database
from tests.memory_keyring import MemoryKeyring
from tests.pg import Cluster, start_cluster
from tests.server_process import ServerProcess, new_server
from tests.support import World, make_served_world, make_world


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


TABLES = "orgs, users, user_groups, tickets, events, ticket_counters, auth_tokens, ticket_search"


@pytest.fixture(scope="session")
def served(
    pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, Engine]]:
    admin = create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql('CREATE DATABASE "desk_http"')
    admin.dispose()
    url = pg_cluster.url("desk_http")
    engine = open_server_database(url, migrate=True)
    server = new_server(url, tmp_path_factory.mktemp("server") / "server.log")
    server.start()
    try:
        yield server, engine
    finally:
        server.stop()
        engine.dispose()


@pytest.fixture
def served_world(served: tuple[ServerProcess, Engine]) -> World:
    """The hand-made world behind the shared server, on an emptied database."""
    server, engine = served
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    return make_served_world(engine, server.url)


@pytest.fixture
def team(pg_url: str, tmp_path: Path) -> Iterator[tuple[ServerProcess, Engine, World]]:
    """A server of its own over a fresh database, for tests that stop and restart it."""
    engine = open_server_database(pg_url, migrate=True)
    server = new_server(pg_url, tmp_path / "server.log")
    server.start()
    try:
        yield server, engine, make_served_world(engine, server.url)
    finally:
        server.stop()
        engine.dispose()
