"""Composition root: from a data folder to a ready Desk, for the window and the command line."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from desk_app.client.local import LocalDesk
from desk_app.db.migrate import open_sqlite
from desk_app.db.uow import uow_factory
from desk_app.errors import ConfigError
from desk_app.paths import database_file, log_file
from desk_app.services.context import ServiceContext

if TYPE_CHECKING:
    from desk_app.client.syncing import SyncingDesk


def open_embedded(
    data_dir: Path, *, on_upgrade: Callable[[], None] | None = None
) -> tuple[ServiceContext, Engine]:
    """Open (create and migrate if needed) the embedded database in `data_dir`."""
    engine = open_sqlite(database_file(data_dir), on_upgrade=on_upgrade)
    return ServiceContext(uow_factory(engine)), engine


def local_desk(data_dir: Path, *, on_upgrade: Callable[[], None] | None = None) -> LocalDesk:
    ctx, _engine = open_embedded(data_dir, on_upgrade=on_upgrade)
    return LocalDesk(ctx, location=str(database_file(data_dir)))


def team_desk(data_dir: Path, server: str) -> SyncingDesk:
    """A desk signed in to a team server; unsent work waits in an outbox in the data folder."""
    if not server.startswith(("http://", "https://")):
        raise ConfigError(f"服务器地址应以 http:// 或 https:// 开头：{server}")
    # Imported here: the embedded desk starts without requests (a tenth of its cold start).
    from desk_app.client.http import HttpDesk
    from desk_app.client.outbox import Outbox
    from desk_app.client.syncing import SyncingDesk

    return SyncingDesk(HttpDesk(server), Outbox(data_dir / "outbox.sqlite3", server))


def setup_logging(data_dir: Path, *, verbose: bool = False) -> Path | None:
    """Log to a rotating file in the data folder; returns its path (None if it cannot be written)."""
    path = log_file(data_dir)
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
