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
    return await _actor(st, token)


async def request_actor(request: Request) -> tuple[Actor, ServerState]:
    """The caller and the server state, read from the request itself. The busiest reads take
    this instead of dependencies: FastAPI's dependency solving cost about a fifth of a queue
    page read (bench/README.md)."""
    st: ServerState = request.app.state.desk
    return await _actor(st, parse_bearer(request.headers.get("authorization"))), st


async def _actor(st: ServerState, token: str) -> Actor:
    cached = st.auth.cached_actor(token)
    if cached is not None:
        return cached
    return await st.run(st.auth.actor, token)


# The Authorization header as FastAPI documents it for `bearer_token`, for the endpoints that
# read it themselves (so that the OpenAPI document, and schemathesis, still know of it).
AUTHORIZATION_PARAMETER = {
    "name": "authorization",
    "in": "header",
    "required": False,
    "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Authorization"},
}


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
