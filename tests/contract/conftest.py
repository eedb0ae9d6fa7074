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
from sqlalchemy import Engine, create_engine, text

from desk_app.db.migrate import open_server_database
from tests.pg import Cluster
from tests.server_process import ServerProcess, new_server
from tests.support import World, make_served_world, make_world, make_world_on

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


@pytest.fixture(params=["sqlite", "postgres", "http"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    if request.param == "sqlite":
        yield make_world(tmp_path / "desk.sqlite3")
    elif request.param == "postgres":
        yield make_world_on(request.getfixturevalue("pg_url"))
    else:
        server, engine = request.getfixturevalue("served")
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        yield make_served_world(engine, server.url)
