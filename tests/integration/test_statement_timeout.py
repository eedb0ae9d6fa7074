"""A team server's statements are cancelled past a time limit; migrations and imports are not."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from desk_app.db import engine as engine_module
from desk_app.db.engine import make_engine
from desk_app.db.migrate import current_revision, head_revision, upgrade
from desk_app.db.uow import uow_factory
from desk_app.errors import StorageError
from desk_app.server import main as server_main
from desk_app.services.context import ServiceContext
from desk_app.services.loadtest import generate


def test_a_runaway_statement_is_cancelled_with_a_clear_message(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "SERVER_STATEMENT_TIMEOUT_MS", 200)
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "200ms"
        uow = uow_factory(engine)
        with pytest.raises(StorageError, match="耗时过长"), uow() as unit:
            unit.session.execute(text("SELECT pg_sleep(2)"))
        with uow() as unit:  # the connection is usable again
            assert unit.session.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def test_migrations_run_without_the_request_limit(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "SERVER_STATEMENT_TIMEOUT_MS", 200)
    engine = make_engine(pg_url)
    seen: list[str] = []
    real_upgrade = command.upgrade

    def watching(cfg: Config, revision: str) -> None:
        conn = cfg.attributes["connection"]
        seen.append(conn.execute(text("SHOW statement_timeout")).scalar())
        real_upgrade(cfg, revision)

    monkeypatch.setattr(command, "upgrade", watching)
    try:
        upgrade(engine)
        assert seen == ["0"]
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_an_import_is_not_held_to_the_request_limit(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    engine.dispose()
    # Far below what a batch of 5,000 tickets takes to copy and index, far above a lookup.
    monkeypatch.setattr(engine_module, "SERVER_STATEMENT_TIMEOUT_MS", 100)
    engine = make_engine(pg_url)
    try:
        ctx = ServiceContext(uow_factory(engine))
        assert generate(ctx, engine, 5_000, seed=4, batch=5_000) == 5_000
    finally:
        engine.dispose()


@pytest.mark.parametrize(("seconds", "shown"), [("2", "2s"), ("0", "0")])
def test_the_setting_reaches_every_worker(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, seconds: str, shown: str
) -> None:
    """`desk serve` hands the validated setting to its uvicorn workers through the
    environment; each worker's engine holds its statements to it (0: no limit)."""
    engine = make_engine(pg_url)
    upgrade(engine)
    engine.dispose()
    monkeypatch.setenv(server_main.URL_ENV, pg_url)
    monkeypatch.setenv(server_main.TIMEOUT_ENV, seconds)
    app = server_main.app_from_env()
    worker_engine = app.state.desk.engine
    try:
        with worker_engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == shown
    finally:
        worker_engine.dispose()
