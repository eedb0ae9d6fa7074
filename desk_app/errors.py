"""Errors a user can act on, as opposed to bugs.

Everything that derives from DeskError carries a Chinese message written for the person at the
desk (what went wrong and what to do). Anything else that escapes is a bug and is shown in the
crash dialog with the log.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DeskError(Exception):
    """A problem the user (or the environment) caused and can fix."""

    code = "desk_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class ValidationError(DeskError):
    """Input was refused; `fields` maps a field name to what is wrong with it."""

    code = "validation"

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        self.fields = dict(fields)
        text = message or "；".join(self.fields.values()) or "输入有误"
        super().__init__(text)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "fields": self.fields}


class IllegalTransition(DeskError):
    code = "illegal_transition"


class NotFound(DeskError):
    code = "not_found"


class PermissionDenied(DeskError):
    code = "permission_denied"


class ConflictError(DeskError):
    """A write named a version that is no longer current.

    `current` carries the fresh state so that the caller can show it instead of losing the
    user's text.
    """

    code = "conflict"

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.current = current


class StorageError(DeskError):
    """The database file is unusable: corrupt, read-only, missing, or from a newer version."""

    code = "storage"


class ConfigError(DeskError):
    code = "config"


class AuthError(DeskError):
    """Not signed in, a wrong password, an expired session or a locked account."""

    code = "unauthenticated"


class OfflineError(DeskError):
    """The server could not be reached; what the user typed is kept (or queued)."""

    code = "offline"


BY_CODE: dict[str, type[DeskError]] = {
    cls.code: cls
    for cls in (
        DeskError,
        ValidationError,
        IllegalTransition,
        NotFound,
        PermissionDenied,
        ConflictError,
        StorageError,
        ConfigError,
        AuthError,
        OfflineError,
    )
}


class Queued(DeskError):
    """Not sent yet: kept in the outbox and sent when the server is back."""

    code = "queued"

    def __init__(self, message: str, item_id: int) -> None:
        super().__init__(message)
        self.item_id = item_id
