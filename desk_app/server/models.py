"""Request bodies of the API. Transport limits are generous; the services give the real rules
(and the friendly messages), so a too-long subject is refused by the service, not here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from desk_app.domain.priority import Priority
from desk_app.domain.records import TicketFilter, User
from desk_app.domain.status import Status

TEXT_MAX = 100_000


class LoginIn(BaseModel):
    login: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class RefreshIn(BaseModel):
    refresh_token: str = Field(max_length=200)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str | None
    expires_at: datetime
    user: User


class NewTicketIn(BaseModel):
    subject: str = Field(max_length=TEXT_MAX)
    description: str = Field(max_length=TEXT_MAX)
    category: str = Field(max_length=100)
    subcategory: str = Field(max_length=100)
    priority: Priority | None = None
    org_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    fields: dict[str, Any] = Field(default_factory=dict)


class TransitionIn(BaseModel):
    target: Status
    reason: str | None = Field(default=None, max_length=TEXT_MAX)


class ReplyIn(BaseModel):
    body: str = Field(max_length=TEXT_MAX)
    new_status: Status | None = None


class NoteIn(BaseModel):
    body: str = Field(max_length=TEXT_MAX)


class OwnerIn(BaseModel):
    owner_id: int | None = Field(ge=1, le=2**31 - 1)


class Health(BaseModel):
    status: str
    database: str
    version: str
    schema_revision: str | None


class FilterQuery(BaseModel):
    """The queue filter as query parameters (?status=new&status=open&q=到账)."""

    model_config = {"extra": "forbid"}

    status: list[Status] = Field(default_factory=list, max_length=10)
    category: list[str] = Field(default_factory=list, max_length=50)
    subcategory: list[str] = Field(default_factory=list, max_length=50)
    priority: list[Priority] = Field(default_factory=list, max_length=10)
    owner: str | None = Field(default=None, max_length=20)
    group: str | None = Field(default=None, max_length=40)
    org_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    q: str = Field(default="", max_length=200)

    def to_filter(self) -> TicketFilter:
        return TicketFilter(
            statuses=tuple(self.status),
            categories=tuple(self.category),
            subcategories=tuple(self.subcategory),
            priorities=tuple(self.priority),
            owner=self.owner,
            group=self.group,
            org_id=self.org_id,
            text=self.q,
        )


class PageQuery(FilterQuery):
    cursor: str | None = Field(default=None, max_length=100)
    limit: int = Field(default=50, ge=1, le=500)
