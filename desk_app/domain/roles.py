"""Who sits at the desk."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    MERCHANT = "merchant"
    AGENT = "agent"
    EXPERT = "expert"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_staff(self) -> bool:
        return self is not Role.MERCHANT


ROLE_LABELS: dict[Role, str] = {
    Role.MERCHANT: "商户",
    Role.AGENT: "一线客服",
    Role.EXPERT: "二线专家",
    Role.ADMIN: "管理员",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user as the services see it: identity plus what it may reach."""

    user_id: int
    name: str
    role: Role
    org_id: int | None = None
    groups: frozenset[str] = frozenset()

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff
