"""Where the desktop keeps its refresh token: the system keyring, or memory when there is none.

Only the short refresh token is stored (Windows Credential Manager caps a secret at about 1,280
characters). Without a keyring backend the token lives in memory for this session and the user
is told so; it is never written to a plaintext file.
"""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

log = logging.getLogger(__name__)
SERVICE = "desk_app"
NO_KEYRING = "系统没有可用的密钥环：登录凭据只保存在内存中，关闭程序后需要重新登录。"


class CredentialStore:
    def __init__(self, service: str = SERVICE) -> None:
        self._service = service
        self._memory: dict[str, str] = {}
        self.warning: str | None = None

    def save(self, account: str, secret: str) -> None:
        try:
            keyring.set_password(self._service, account, secret)
            self._memory.pop(account, None)
        except (NoKeyringError, KeyringError) as exc:
            self._fallback(exc)
            self._memory[account] = secret

    def load(self, account: str) -> str | None:
        if account in self._memory:
            return self._memory[account]
        try:
            return keyring.get_password(self._service, account)
        except (NoKeyringError, KeyringError) as exc:
            self._fallback(exc)
            return None

    def delete(self, account: str) -> None:
        self._memory.pop(account, None)
        try:
            keyring.delete_password(self._service, account)
        except PasswordDeleteError:
            pass
        except (NoKeyringError, KeyringError) as exc:
            self._fallback(exc)

    def _fallback(self, exc: Exception) -> None:
        if self.warning is None:
            log.warning("keyring unavailable (%s); keeping credentials in memory only", exc)
        self.warning = NO_KEYRING
