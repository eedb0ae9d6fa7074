"""Settings of a team server, declared in one place: type, default and meaning.

Read from a TOML file (`desk serve --config server.toml`), then environment variables
(DESK_DATABASE_URL, DESK_HOST, DESK_PORT, DESK_WORKERS, DESK_ACCESS_LOG,
DESK_STATEMENT_TIMEOUT_S), then the command line (`--statement-timeout` and the others);
later wins.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from desk_app.db.engine import SERVER_STATEMENT_TIMEOUT_MS
from desk_app.errors import ConfigError

SCHEMA_VERSION = 1
MAX_STATEMENT_TIMEOUT_S = 86_400


@dataclass(frozen=True)
class ServerSettings:
    database_url: str = ""  # empty: the embedded SQLite file of the data folder
    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = 1
    # One log line per request; a busy server behind a proxy that logs requests itself turns
    # it off (about 5 % of a page read's CPU).
    access_log: bool = True
    # PostgreSQL cancels a request's statement that runs longer than this (0: no limit), so
    # one runaway query cannot hold a pooled connection and a worker thread. Migrations and
    # bulk imports are not held to it.
    statement_timeout_s: int = SERVER_STATEMENT_TIMEOUT_MS // 1000

    def validated(self) -> ServerSettings:
        if not 1 <= self.port <= 65535:
            raise ConfigError(f"端口 {self.port} 无效：应为 1 到 65535")
        if not 1 <= self.workers <= 64:
            raise ConfigError(f"工作进程数 {self.workers} 无效：应为 1 到 64")
        if not 0 <= self.statement_timeout_s <= MAX_STATEMENT_TIMEOUT_S:
            raise ConfigError(
                f"语句超时 {self.statement_timeout_s} 秒无效：应为 0（不限）到 "
                f"{MAX_STATEMENT_TIMEOUT_S} 秒"
            )
        if self.database_url and not self.database_url.startswith(("postgresql", "sqlite")):
            raise ConfigError("database_url 应以 postgresql+psycopg:// 或 sqlite:/// 开头")
        if self.workers > 1 and not self.database_url.startswith("postgresql"):
            raise ConfigError("多个工作进程需要 PostgreSQL：SQLite 只适合单进程服务器")
        return self


_ENV = {
    "database_url": "DESK_DATABASE_URL",
    "host": "DESK_HOST",
    "port": "DESK_PORT",
    "workers": "DESK_WORKERS",
    "access_log": "DESK_ACCESS_LOG",
    "statement_timeout_s": "DESK_STATEMENT_TIMEOUT_S",
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def load_settings(path: Path | None = None, **overrides: Any) -> ServerSettings:
    settings = ServerSettings()
    if path is not None:
        settings = replace(settings, **_from_file(path))
    env: dict[str, Any] = {}
    for name, var in _ENV.items():
        if os.environ.get(var):
            env[name] = os.environ[var]
    settings = replace(settings, **_coerce(env, f"环境变量 {', '.join(_ENV.values())}"))
    chosen = {k: v for k, v in overrides.items() if v is not None}
    return replace(settings, **_coerce(chosen, "命令行")).validated()


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件 {path}：{exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件 {path} 格式错误：{exc}") from exc
    version = data.pop("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise ConfigError(
            f"配置文件 {path} 的版本 {version} 不受支持（本程序支持 {SCHEMA_VERSION}）"
        )
    server = data.pop("server", data)
    known = {f.name for f in fields(ServerSettings)}
    unknown = set(server) - known
    if unknown:
        raise ConfigError(f"配置文件 {path} 中有未知的设置：{', '.join(sorted(unknown))}")
    return _coerce(server, f"配置文件 {path}")


def _coerce(values: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        try:
            if name in ("port", "workers", "statement_timeout_s"):
                out[name] = int(value)
            elif name == "access_log":
                out[name] = _flag(value)
            else:
                out[name] = str(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where} 中 {name} 的值 {value!r} 无效") from None
    return out


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)
