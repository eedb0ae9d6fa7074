"""Users, organisations and the signed-in actor."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from desk_app.db.schema import OrgRow, UserGroupRow, UserRow
from desk_app.domain.records import Org, User
from desk_app.domain.roles import Actor, Role
from desk_app.errors import NotFound, PermissionDenied
from desk_app.services.context import ServiceContext


class UserService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def list_users(self) -> list[User]:
        with self._ctx.uow() as uow:
            rows = uow.session.execute(
                select(UserRow, OrgRow.name)
                .outerjoin(OrgRow, OrgRow.id == UserRow.org_id)
                .where(UserRow.active.is_(True))
                .order_by(UserRow.role, UserRow.id)
            ).all()
            groups = self._groups(uow.session, [u.id for u, _ in rows])
            return [_user(u, org, groups.get(u.id, ())) for u, org in rows]

    def staff(self, actor: Actor) -> list[User]:
        if not actor.is_staff:
            raise PermissionDenied("商户账号不能查看客服名单")
        return [u for u in self.list_users() if u.role.is_staff]

    def orgs(self, actor: Actor) -> list[Org]:
        with self._ctx.uow() as uow:
            stmt = select(OrgRow).order_by(OrgRow.id)
            if not actor.is_staff:
                stmt = stmt.where(OrgRow.id == actor.org_id)
            return [Org(o.id, o.name, o.tier) for o in uow.session.scalars(stmt)]

    def orgs_all(self) -> list[Org]:
        with self._ctx.uow() as uow:
            return [
                Org(o.id, o.name, o.tier)
                for o in uow.session.scalars(select(OrgRow).order_by(OrgRow.id))
            ]

    def by_login(self, login: str) -> User:
        return self._one(UserRow.login == login.strip(), login)

    def by_id(self, user_id: int) -> User:
        return self._one(UserRow.id == user_id, str(user_id))

    def _one(self, condition: ColumnElement[bool], label: str) -> User:
        with self._ctx.uow() as uow:
            user = load_user(uow.session, condition)
        if user is None:
            raise NotFound(f"没有名为「{label}」的用户，或该账号已停用")
        return user

    @staticmethod
    def _groups(session: Session, ids: list[int]) -> dict[int, tuple[str, ...]]:
        out: dict[int, list[str]] = {}
        if not ids:
            return {}
        for uid, code in session.execute(
            select(UserGroupRow.user_id, UserGroupRow.group_code)
            .where(UserGroupRow.user_id.in_(ids))
            .order_by(UserGroupRow.group_code)
        ):
            out.setdefault(uid, []).append(code)
        return {k: tuple(v) for k, v in out.items()}


def load_user(session: Session, condition: ColumnElement[bool]) -> User | None:
    """The active user matching `condition`, with organisation and groups, in the caller's unit."""
    row = session.execute(
        select(UserRow, OrgRow.name).outerjoin(OrgRow, OrgRow.id == UserRow.org_id).where(condition)
    ).first()
    if row is None or not row[0].active:
        return None
    user, org = row
    return _user(user, org, UserService._groups(session, [user.id]).get(user.id, ()))


def _user(row: UserRow, org_name: str | None, groups: tuple[str, ...]) -> User:
    return User(
        id=row.id,
        login=row.login,
        name=row.name,
        role=Role(row.role),
        org_id=row.org_id,
        org_name=org_name,
        groups=groups,
    )


def actor_of(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        name=user.name,
        role=user.role,
        org_id=user.org_id,
        groups=frozenset(user.groups),
    )
