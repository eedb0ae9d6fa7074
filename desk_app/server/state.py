"""What one server process holds: services over its database, and the live-event notifier."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from desk_app.db.async_reads import AsyncReads
from desk_app.db.engine import SERVER_POOL_SIZE
from desk_app.server.notify import EventNotifier
from desk_app.server.offload import Offload
from desk_app.services.auth import AuthService
from desk_app.services.context import ServiceContext
from desk_app.services.tickets import TicketService
from desk_app.services.users import UserService


@dataclass
class ServerState:
    ctx: ServiceContext
    engine: Engine
    notifier: EventNotifier
    auth: AuthService = field(init=False)
    tickets: TicketService = field(init=False)
    users: UserService = field(init=False)
    run: Offload = field(init=False)
    page_reads: AsyncReads | None = field(init=False)

    def __post_init__(self) -> None:
        self.auth = AuthService(self.ctx)
        # On PostgreSQL the queue page is read on the event loop (db/async_reads.py); SQLite
        # is in process and reads on the worker threads.
        self.page_reads = (
            AsyncReads(self.engine) if self.engine.dialect.name == "postgresql" else None
        )
        self.tickets = TicketService(self.ctx, page_reads=self.page_reads)
        self.users = UserService(self.ctx)
        self.run = Offload(SERVER_POOL_SIZE)
