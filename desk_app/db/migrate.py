"""Opening a database: refuse unusable files, back up, then migrate to the current schema."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from desk_app.db.bulk import restore_after_import
from desk_app.db.engine import make_engine, sqlite_url
from desk_app.db.uow import storage_error
from desk_app.errors import StorageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration. Every start compares the database with it; alembic itself (a tenth of
# a cold start to import and read its scripts) is loaded only when there is work for it.
# tests/integration/test_storage_faults.py checks it against the migration scripts.
HEAD = "0004"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return HEAD


def script_head() -> str:
    """The head revision as the migration scripts say it."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, read from alembic's own table (None: a new database)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade(engine: Engine) -> None:
    """Bring the schema to head; refuse a database written by a newer desk_app."""
    try:
        current = current_revision(engine)
        if current == head_revision():
            return
        if current is not None and current not in known_revisions():
            raise StorageError(
                f"这个数据库由更新版本的 desk_app 创建（结构版本 {current}）。"
                "请升级本程序后再打开，数据未被改动。"
            )
        from alembic import command

        cfg = alembic_config()
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Building an index on a million rows may take longer than a request may.
                conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except DBAPIError as exc:
        raise storage_error(exc) from exc


def open_sqlite(
    path: Path, *, migrate: bool = True, on_upgrade: Callable[[], None] | None = None
) -> Engine:
    """Open (creating if needed) the embedded database file and bring it up to date.
    `on_upgrade` is called before an existing desk is backed up and upgraded (which takes
    tens of seconds on a large one), so the user can be told."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"无法创建数据目录 {path.parent}：{exc.strerror}。请换一个可写的位置（--data-dir）。"
        ) from exc
    read_only = False
    if path.exists():
        if not os.access(path, os.R_OK):
            raise StorageError(f"没有读取数据库文件的权限：{path}")
        _check_is_database(path)
        read_only = not os.access(path, os.W_OK)
    engine = make_engine(sqlite_url(path, read_only=read_only))
    if read_only:
        # Open it for reading so the user still sees their tickets; every write is refused
        # with the read-only message (uow.storage_error).
        if current_revision_safe(engine) != head_revision():
            raise StorageError(
                f"数据库文件 {path} 是只读的，且需要升级后才能使用。请检查文件权限后重试。"
            )
        return engine
    if migrate:
        current = current_revision_safe(engine)
        if current is not None and current != head_revision() and current in known_revisions():
            if on_upgrade is not None:
                on_upgrade()
            backup_sqlite(path, reason=f"before-{head_revision()}")
        upgrade(engine)
        try:
            restore_after_import(engine)
        except DBAPIError as exc:
            raise storage_error(exc) from exc
    return engine


def current_revision_safe(engine: Engine) -> str | None:
    try:
        return current_revision(engine)
    except DBAPIError as exc:
        raise storage_error(exc) from exc


def _check_is_database(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StorageError(f"无法读取数据库文件 {path}：{exc.strerror}") from exc
    if header and header != b"SQLite format 3\x00":
        raise StorageError(
            f"{path} 不是 desk_app 的数据库文件（可能已损坏）。文件未被改动；请从备份恢复或换一个数据目录。"
        )


def backup_sqlite(path: Path, *, reason: str) -> Path:
    """Copy the database with SQLite's online backup (consistent even with WAL)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.stem}.{reason}.{stamp}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def open_server_database(
    url: str, *, migrate: bool, statement_timeout_ms: int | None = None
) -> Engine:
    """A shared (PostgreSQL) database. Only the server migrates it, never a desktop."""
    engine = make_engine(url, statement_timeout_ms=statement_timeout_ms)
    if migrate:
        upgrade(engine)
        return engine
    current = current_revision_safe(engine)
    if current != head_revision():
        raise StorageError(
            f"服务器数据库的结构版本是 {current or '空'}，本程序需要 {head_revision()}。"
            "请由管理员运行 `desk serve --migrate` 升级数据库。"
        )
    return engine
