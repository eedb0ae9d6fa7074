"""Unit of work: one transaction per use case, rolled back unless the service commits.

Driver errors that mean "the database file is unusable" are turned into StorageError here, in
one place, so that every caller shows the user the same clear message.
"""

from __future__ import annotations

import logging
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, DataError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from desk_app.db.engine import WRITE_OPTION
from desk_app.errors import StorageError, ValidationError

log = logging.getLogger(__name__)


class UnitOfWork:
    """`write`: the unit writes (SQLite takes the write lock up front). `one_statement`: the
    unit runs a single read, which needs no transaction of its own and no Session: it reads
    through `connection`, on PostgreSQL in autocommit (no BEGIN and ROLLBACK round trips). A
    Session's bookkeeping cost about as much CPU as the driver's round trip for a queue page."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        reads: Engine,
        *,
        write: bool = False,
        one_statement: bool = False,
    ) -> None:
        self._sessions = sessions
        self._reads = reads
        self._write = write
        self._one_statement = one_statement and not write
        self.session: Session
        self.connection: Connection

    def __enter__(self) -> UnitOfWork:
        if self._one_statement:
            try:
                self.connection = self._reads.connect()
            except DBAPIError as exc:
                if is_storage_failure(exc):
                    raise storage_error(exc) from exc
                raise
            return self
        self.session = self._sessions()
        try:
            if self._write:
                self.session.connection(execution_options={WRITE_OPTION: True})
        except DBAPIError as exc:
            self.session.close()
            if is_storage_failure(exc):
                raise storage_error(exc) from exc
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._one_statement:
            self.connection.close()
        else:
            try:
                self.session.rollback()
            finally:
                self.session.close()
        if isinstance(exc, DBAPIError):
            sorted_as = desk_error(exc)
            if sorted_as is not None:
                raise sorted_as from exc

    def commit(self) -> None:
        try:
            self.session.commit()
        except DBAPIError as exc:
            sorted_as = desk_error(exc)
            if sorted_as is not None:
                raise sorted_as from exc
            raise


class Units:
    """Makes the units of work of one database; `dialect` names its engine, for the few
    services whose best plan differs between SQLite and PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.dialect = engine.dialect.name
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # The same pool; its connections are switched to autocommit while a read holds them.
        self._reads = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if self.dialect == "postgresql"
            else engine
        )

    def __call__(self, *, write: bool = False, one_statement: bool = False) -> UnitOfWork:
        return UnitOfWork(self._sessions, self._reads, write=write, one_statement=one_statement)


UowFactory = Units


def uow_factory(engine: Engine) -> Units:
    return Units(engine)


def desk_error(exc: DBAPIError) -> ValidationError | StorageError | None:
    """What a database error is to the user: a value the database refused (the request's
    fault), a failure of the file or the server, or None: a bug, raised as it came."""
    if isinstance(exc, DataError):
        return bad_input(exc)
    if is_storage_failure(exc):
        return storage_error(exc)
    return None


def bad_input(exc: DataError) -> ValidationError:
    # The database refused a value the services let through (PostgreSQL rejects NUL in text,
    # out-of-range numbers): the request is at fault, not the server.
    log.info("database refused a value: %s", exc.orig)
    return ValidationError(
        {"input": "输入包含无法保存的字符（如空字符）或超出范围的数值，请检查后重试"}
    )


def is_storage_failure(exc: BaseException | None) -> bool:
    # Integrity and programming errors are bugs or handled by services; only failures of the
    # file or the server itself become StorageError.
    return isinstance(exc, OperationalError) or type(exc) is DatabaseError


def storage_error(exc: DBAPIError) -> StorageError:
    text = str(exc.orig or exc).lower()
    if "readonly" in text or "read-only" in text:
        return StorageError("数据库文件是只读的，无法保存更改。请检查文件权限或磁盘写保护后重试。")
    if "not a database" in text or "malformed" in text:
        return StorageError(
            "数据库文件已损坏或不是 desk_app 的数据库。请从备份恢复，或换一个数据目录。"
        )
    if "statement timeout" in text:
        return StorageError(
            "查询耗时过长，已被服务器取消。请缩小筛选范围（状态、分类、关键词）后重试。"
        )
    if "locked" in text or "busy" in text:
        return StorageError("数据库正被其他程序占用，请稍后重试。")
    if "disk" in text or "full" in text:
        return StorageError("磁盘空间不足或读写失败，更改没有保存。请释放空间后重试。")
    if isinstance(exc, OperationalError) and "unable to open" in text:
        return StorageError("无法打开数据库文件：文件夹不存在或没有访问权限。")
    return StorageError(f"数据库操作失败：{exc.orig or exc}")
