"""Passwords, lockout, sessions and API tokens (team mode).

Passwords are hashed with Argon2id. Tokens are 256-bit random strings; only their SHA-256
digests are stored. A refresh token is short enough for Windows Credential Manager (DESIGN §7).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desk_app.db.schema import AuthTokenRow, UserRow
from desk_app.domain.records import User
from desk_app.domain.roles import Actor
from desk_app.errors import AuthError, NotFound, PermissionDenied, ValidationError
from desk_app.services.actor_cache import ActorCache
from desk_app.services.context import ServiceContext
from desk_app.services.users import UserService, actor_of, load_user

PASSWORD_MIN = 8
PASSWORD_MAX = 128
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
ACCESS_TTL = timedelta(minutes=30)
REFRESH_TTL = timedelta(days=14)
API_TOKEN_TTL = timedelta(days=365)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against a dummy hash when the login is unknown keeps timing the same, so the
# response does not reveal which logins exist.
_DUMMY_HASH = _hasher.hash("desk-dummy-password")


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    access_expires: datetime
    user: User


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_policy(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise ValidationError({"password": f"密码长度应为 {PASSWORD_MIN} 到 {PASSWORD_MAX} 个字符"})


class AuthService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._users = UserService(ctx)
        self._actors = ActorCache(ctx.clock)

    def set_password(self, user_id: int, password: str) -> None:
        check_password_policy(password)
        hashed = _hasher.hash(password)
        with self._ctx.uow(write=True) as uow:
            row = uow.session.get(UserRow, user_id)
            if row is None:
                raise NotFound(f"用户 {user_id} 不存在")
            row.password_hash = hashed
            row.failed_logins = 0
            row.locked_until = None
            uow.commit()

    def login(self, login: str, password: str) -> Tokens:
        now = self._ctx.clock()
        with self._ctx.uow(write=True) as uow:
            s = uow.session
            row = s.scalar(select(UserRow).where(UserRow.login == login.strip()))
            if row is not None and row.locked_until is not None and row.locked_until > now:
                raise AuthError(
                    f"登录失败次数过多，账号已锁定，请在 {_minutes(row.locked_until - now)} 分钟后重试或联系管理员"
                )
            ok = self._verify(row.password_hash if row is not None else None, password)
            if row is None or not row.active or not ok:
                if row is not None:
                    row.failed_logins += 1
                    if row.failed_logins >= MAX_FAILURES:
                        row.locked_until = now + LOCKOUT
                        row.failed_logins = 0
                    uow.commit()
                raise AuthError("登录名或密码错误")
            row.failed_logins = 0
            row.locked_until = None
            if row.password_hash and _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)
            user_id = row.id
            access, refresh = self._issue(s, user_id, now)
            uow.commit()
        return Tokens(access, refresh, now + ACCESS_TTL, self._user(user_id))

    def refresh(self, refresh_token: str) -> Tokens:
        """Rotate: the refresh token is spent and a new session pair is issued. The old access
        token stays valid until it expires, so other windows of the same user keep working."""
        now = self._ctx.clock()
        with self._ctx.uow(write=True) as uow:
            row = uow.session.scalar(
                select(AuthTokenRow)
                .where(AuthTokenRow.refresh_hash == digest(refresh_token))
                .with_for_update()
            )
            if (
                row is None
                or row.revoked
                or row.refresh_expires is None
                or row.refresh_expires <= now
            ):
                raise AuthError("登录已过期，请重新登录")
            row.refresh_hash = None
            row.refresh_expires = None
            user_id = row.user_id
            access, refresh = self._issue(uow.session, user_id, now)
            uow.commit()
        return Tokens(access, refresh, now + ACCESS_TTL, self._user(user_id))

    def logout(self, access_token: str) -> None:
        self._actors.forget(digest(access_token))
        with self._ctx.uow(write=True) as uow:
            uow.session.execute(
                update(AuthTokenRow)
                .where(AuthTokenRow.access_hash == digest(access_token))
                .values(revoked=True)
            )
            uow.commit()

    def create_api_token(self, actor: Actor, user_id: int, name: str) -> str:
        """A long-lived token for scripts; admins issue them, for themselves or others."""
        if actor.user_id != user_id and actor.role.value != "admin":
            raise PermissionDenied("只有管理员可以为其他用户创建 API 令牌")
        label = " ".join(name.split())
        if not 1 <= len(label) <= 120:
            raise ValidationError({"name": "令牌名称应为 1 到 120 个字"})
        token = secrets.token_urlsafe(32)
        now = self._ctx.clock()
        with self._ctx.uow(write=True) as uow:
            if uow.session.get(UserRow, user_id) is None:
                raise NotFound(f"用户 {user_id} 不存在")
            uow.session.add(
                AuthTokenRow(
                    user_id=user_id,
                    kind="api",
                    name=label,
                    access_hash=digest(token),
                    refresh_hash=None,
                    access_expires=now + API_TOKEN_TTL,
                    refresh_expires=None,
                    created_at=now,
                    revoked=False,
                )
            )
            uow.commit()
        return token

    def cached_actor(self, access_token: str) -> Actor | None:
        """The caller behind an access token if it was checked within the cache's TTL; never
        touches the database (the server calls this on its event loop)."""
        return self._actors.get(digest(access_token))

    def actor(self, access_token: str) -> Actor:
        """The caller behind an access token; answered from a short-lived cache when it can."""
        key = digest(access_token)
        cached = self._actors.get(key)
        if cached is not None:
            return cached
        now = self._ctx.clock()
        with self._ctx.uow() as uow:
            row = uow.session.execute(
                select(
                    AuthTokenRow.user_id, AuthTokenRow.access_expires, AuthTokenRow.revoked
                ).where(AuthTokenRow.access_hash == key)
            ).first()
            if row is None or row.revoked:
                raise AuthError("请先登录")
            if row.access_expires <= now:
                raise AuthError("登录已过期，请重新登录")
            user = load_user(uow.session, UserRow.id == row.user_id)
        if user is None:
            raise AuthError("请先登录")
        found = actor_of(user)
        self._actors.put(key, found, row.access_expires)
        return found

    @staticmethod
    def _issue(session: Session, user_id: int, now: datetime) -> tuple[str, str]:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        session.add(
            AuthTokenRow(
                user_id=user_id,
                kind="session",
                name="",
                access_hash=digest(access),
                refresh_hash=digest(refresh),
                access_expires=now + ACCESS_TTL,
                refresh_expires=now + REFRESH_TTL,
                created_at=now,
                revoked=False,
            )
        )
        return access, refresh

    def _user(self, user_id: int) -> User:
        return self._users.by_id(user_id)

    @staticmethod
    def _verify(hashed: str | None, password: str) -> bool:
        try:
            return _hasher.verify(hashed or _DUMMY_HASH, password) and hashed is not None
        except (VerificationError, InvalidHashError):
            return False


def _minutes(delta: timedelta) -> int:
    return max(1, int(delta.total_seconds() // 60) + 1)
