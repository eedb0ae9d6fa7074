"""Running the server: migrate on request, then uvicorn with one or more workers."""

from __future__ import annotations

import os

import uvicorn
from fastapi import FastAPI

from desk_app.config import ServerSettings
from desk_app.db.migrate import open_server_database
from desk_app.server.app import create_app

URL_ENV = "DESK_DATABASE_URL"
TIMEOUT_ENV = "DESK_STATEMENT_TIMEOUT_S"


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers: each process opens its own engine (never migrates), with
    the settings `serve` validated and handed down through the environment."""
    timeout_s = int(os.environ.get(TIMEOUT_ENV) or ServerSettings.statement_timeout_s)
    engine = open_server_database(
        os.environ[URL_ENV], migrate=False, statement_timeout_ms=timeout_s * 1000
    )
    return create_app(engine)


def serve(settings: ServerSettings, *, migrate: bool) -> None:
    open_server_database(settings.database_url, migrate=migrate).dispose()
    os.environ[URL_ENV] = settings.database_url
    os.environ[TIMEOUT_ENV] = str(settings.statement_timeout_s)
    uvicorn.run(
        "desk_app.server.main:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level="info",
        timeout_graceful_shutdown=5,
        access_log=settings.access_log,
    )
