"""Who may see and do what. Enforced in services (and so on the server), never only in the UI."""

from __future__ import annotations

from dataclasses import dataclass

from desk_app.domain.roles import Actor, Role
from desk_app.domain.status import Status
from desk_app.errors import PermissionDenied


@dataclass(frozen=True, slots=True)
class Scope:
    """The tickets an actor may read: everything, one organisation, or some skill groups."""

    everything: bool = False
    org_id: int | None = None
    groups: frozenset[str] = frozenset()


def scope_for(actor: Actor) -> Scope:
    if actor.role is Role.ADMIN:
        return Scope(everything=True)
    if actor.role is Role.MERCHANT:
        if actor.org_id is None:
            raise PermissionDenied("该商户账号没有所属组织，请联系管理员")
        return Scope(org_id=actor.org_id)
    return Scope(groups=actor.groups)


def can_read(actor: Actor, *, org_id: int, group: str) -> bool:
    scope = scope_for(actor)
    if scope.everything:
        return True
    if scope.org_id is not None:
        return scope.org_id == org_id
    return group in scope.groups


def sees_internal(actor: Actor) -> bool:
    return actor.is_staff


def require_staff(actor: Actor, action: str) -> None:
    if not actor.is_staff:
        raise PermissionDenied(f"商户账号不能{action}")


MERCHANT_TARGETS: dict[Status, frozenset[Status]] = {
    # A merchant confirms a resolution (close) or says it is not solved (reopen).
    Status.RESOLVED: frozenset({Status.CLOSED, Status.OPEN}),
}


def require_may_transition(actor: Actor, current: Status, target: Status) -> None:
    if actor.is_staff:
        return
    if target not in MERCHANT_TARGETS.get(current, frozenset()):
        raise PermissionDenied("商户只能确认已解决的工单（关闭）或重新打开它；其他状态由客服处理")
