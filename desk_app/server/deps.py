"""Request dependencies: who is calling, and which version they read."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Request

from desk_app.domain.roles import Actor
from desk_app.errors import AuthError, ValidationError
from desk_app.server.errors import PreconditionRequired
from desk_app.server.state import ServerState

_ETAG = re.compile(r'^(?:W/)?"?v?(\d{1,12})"?$')


# The dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency on a worker
# thread, and three thread hops per request cost more than the cheap work they do. Only a cache
# miss in authentication touches the database, and that goes to a thread.


async def state(request: Request) -> ServerState:
    return request.app.state.desk  # type: ignore[no-any-return]


async def bearer_token(authorization: Annotated[str | None, Header()] = None) -> str:
    return parse_bearer(authorization)


def parse_bearer(authorization: str | None) -> str:
    if not authorization:
        raise AuthError("请先登录")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("请使用 Bearer 令牌登录")
    return token.strip()


async def current_actor(
    token: Annotated[str, Depends(bearer_token)], st: Annotated[ServerState, Depends(state)]
) -> Actor:
    cached = st.auth.cached_actor(token)
    if cached is not None:
        return cached
    return await st.run(st.auth.actor, token)


def etag(version: int) -> str:
    return f'"v{version}"'


async def expected_version(if_match: Annotated[str | None, Header()] = None) -> int:
    """Writes must say which version they read (If-Match), or they are refused with 428."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired("缺少 If-Match：写操作必须带上读取时的工单版本")
    found = _ETAG.match(if_match.strip())
    if not found:
        raise ValidationError({"If-Match": f"无法识别的版本标记：{if_match[:40]}"})
    return int(found.group(1))


ActorDep = Annotated[Actor, Depends(current_actor)]
StateDep = Annotated[ServerState, Depends(state)]
VersionDep = Annotated[int, Depends(expected_version)]
