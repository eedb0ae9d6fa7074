"""A database file that is corrupt, read-only, from a newer version, or in a missing folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from desk_app.client.local import LocalDesk
from desk_app.db.engine import make_engine, sqlite_url
from desk_app.db.migrate import (
    alembic_config,
    backup_sqlite,
    current_revision,
    head_revision,
    open_sqlite,
    script_head,
)
from desk_app.db.uow import uow_factory
from desk_app.domain.records import TicketFilter
from desk_app.errors import StorageError
from desk_app.services.audit import AuditService
from desk_app.services.context import ServiceContext
from tests.support import make_world


def run_desk(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "desk_app", *args]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def test_missing_data_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "desk.sqlite3"
    open_sqlite(path)
    assert path.exists()


def test_unusable_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="无法创建数据目录"):
        open_sqlite(blocker / "desk.sqlite3")


@pytest.mark.parametrize("content", [b"garbage" * 100, b"\x00" * 4096, "中文文本".encode() * 50])
def test_not_a_database_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StorageError, match="不是 desk_app 的数据库"):
        open_sqlite(path)
    assert path.read_bytes() == content


def test_damaged_pages_are_a_storage_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    world = make_world(path)
    for i in range(30):
        world.ticket(subject=f"问题 {i}", description="内容" * 200)
    world.engine.dispose()
    data = bytearray(path.read_bytes())
    assert len(data) > 40_000
    # Keep the header page so that the file still looks like a database; wreck the rest.
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="损坏"):
        reopened = open_sqlite(path)
        ctx = ServiceContext(uow_factory(reopened))
        AuditService(ctx).verify()


def test_database_from_a_newer_version_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    world = make_world(path)
    with world.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    world.engine.dispose()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="更新版本"):
        open_sqlite(path)
    assert path.read_bytes() == before


def test_command_line_reports_storage_errors_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "desk.sqlite3").write_bytes(b"garbage" * 100)
    result = run_desk("--data-dir", str(tmp_path), "audit", "verify")
    assert result.returncode == 2
    assert "不是 desk_app 的数据库" in result.stderr
    assert "Traceback" not in result.stderr


def test_read_only_file_opens_for_reading_and_refuses_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "desk.sqlite3"
    world = make_world(path)
    t = world.ticket()
    world.engine.dispose()
    before = path.read_bytes()
    if os.geteuid() == 0:
        # Root ignores file modes; pretend the permission probe said "not writable" so that the
        # real read-only SQLite connection is exercised.
        real_access = os.access
        monkeypatch.setattr(
            "desk_app.db.migrate.os.access",
            lambda p, mode: False if mode == os.W_OK else real_access(p, mode),
        )
    else:
        path.chmod(0o444)
    engine = open_sqlite(path)
    desk = LocalDesk(ServiceContext(uow_factory(engine)))
    desk.sign_in("a_trade")
    assert desk.get_ticket(t.summary.id).summary.subject == "充值未到账"
    with pytest.raises(StorageError, match="只读"):
        desk.reply(t.summary.id, t.summary.version, "这条回复写不进去")
    engine.dispose()
    assert path.read_bytes() == before


def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    world = make_world(path)
    world.ticket()
    copy = backup_sqlite(path, reason="test")
    other = make_world.__globals__["open_sqlite"](copy)
    with other.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM tickets")).scalar() == 1
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == head_revision()
        )
    assert world.desk("admin").count_tickets(TicketFilter()) == 1


def test_the_known_head_is_the_newest_migration() -> None:
    """Starting compares the database with migrate.HEAD, without reading the scripts: a new
    migration must move HEAD with it, or desks would never run it."""
    assert head_revision() == script_head()


def test_an_older_desk_is_backed_up_and_brought_to_head(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    make_world(path).ticket()
    engine = make_engine(sqlite_url(path))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    assert current_revision(engine) == "0003"
    engine.dispose()
    told: list[int] = []
    # The user is told before the backup and the upgrade (tens of seconds on a large desk).
    reopened = open_sqlite(path, on_upgrade=lambda: told.append(len(list(tmp_path.glob("*.bak")))))
    assert told == [0]
    assert current_revision(reopened) == head_revision()
    assert list(tmp_path.glob(f"desk.before-{head_revision()}.*.bak"))
    reopened.dispose()
    open_sqlite(path, on_upgrade=lambda: told.append(-1)).dispose()  # up to date: no notice
    assert told == [0]
