"""Small, hand-made data sets for tests (the demo data set is tested on its own)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text

from desk_app.client.credentials import CredentialStore
from desk_app.client.http import HttpDesk
from desk_app.client.local import LocalDesk
from desk_app.client.port import Desk
from desk_app.db.migrate import open_server_database, open_sqlite
from desk_app.db.uow import uow_factory
from desk_app.domain.records import NewTicket, TicketDetail
from desk_app.domain.roles import Role
from desk_app.services.auth import AuthService
from desk_app.services.context import ServiceContext
from desk_app.services.directory import DirectoryService

PASSWORD = "correct-horse-电池"


@dataclass
class World:
    """A database with two merchants, agents in two groups, an expert and an admin.

    `desk(login)` gives a signed-in Desk: LocalDesk by default, HttpDesk when `server_url` is
    set (team mode, the same database behind a real server).
    """

    ctx: ServiceContext
    engine: Engine
    path: Path
    users: dict[str, int] = field(default_factory=dict)
    orgs: dict[str, int] = field(default_factory=dict)
    server_url: str | None = None
    _signed_in: dict[str, HttpDesk] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def desk(self, login: str | None = None) -> Desk:
        desk: Desk
        if self.server_url:
            if login is None:
                return HttpDesk(self.server_url, credentials=CredentialStore())
            # One password sign-in per user and test (Argon2 is slow on purpose); more desks for
            # the same user are clones with their own connections.
            with self._lock:
                first = self._signed_in.get(login)
                if first is None:
                    first = HttpDesk(self.server_url, credentials=CredentialStore())
                    first.sign_in(login, PASSWORD)
                    self._signed_in[login] = first
            return first.clone()
        desk = LocalDesk(self.ctx, location=str(self.path))
        if login:
            desk.sign_in(login)
        return desk

    def ticket(
        self,
        login: str = "m_star",
        subject: str = "充值未到账",
        description: str = "2026-11-23 15:30 充值 500 元，订单号 202611230001，至今未到账",
        category: str = "trade",
        subcategory: str = "recharge_failed",
        **extra: object,
    ) -> TicketDetail:
        return self.desk(login).create_ticket(
            NewTicket(subject, description, category, subcategory, **extra)  # type: ignore[arg-type]
        )


def make_world(path: Path) -> World:
    return _populate(open_sqlite(path), path)


def make_world_on(url: str) -> World:
    """The same world on a server database (PostgreSQL), migrated as `desk serve --migrate` does."""
    return _populate(open_server_database(url, migrate=True), Path(url.rsplit("/", 1)[-1]))


def make_served_world(engine: Engine, server_url: str) -> World:
    """The world behind a running server; every user gets PASSWORD."""
    world = _populate(engine, Path(server_url))
    world.server_url = server_url
    # Everyone shares one password, so hash it once (Argon2 is slow on purpose).
    AuthService(world.ctx).set_password(world.users["admin"], PASSWORD)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE login = 'admin')"
            )
        )
    return world


def _populate(engine: Engine, path: Path) -> World:
    ctx = ServiceContext(uow_factory(engine))
    world = World(ctx, engine, path)
    d = DirectoryService(ctx)
    world.orgs["star"] = d.add_org("星辰卡盟").id
    world.orgs["moon"] = d.add_org("月光游戏充值", tier="vip").id
    world.users["m_star"] = d.add_user("m_star", "王小明", Role.MERCHANT, org_id=world.orgs["star"])
    world.users["m_moon"] = d.add_user("m_moon", "赵丽", Role.MERCHANT, org_id=world.orgs["moon"])
    world.users["a_trade"] = d.add_user("a_trade", "李娜", Role.AGENT, groups=["trade"])
    world.users["a_trade2"] = d.add_user("a_trade2", "周杰", Role.AGENT, groups=["trade"])
    world.users["a_goods"] = d.add_user("a_goods", "陈静", Role.AGENT, groups=["goods", "account"])
    world.users["x_tech"] = d.add_user("x_tech", "张工", Role.EXPERT, groups=["tech", "risk"])
    world.users["admin"] = d.add_user("admin", "管理员", Role.ADMIN)
    return world
