"""The `desk` command line, as support staff and scripts use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from desk_app.config import ServerSettings
from tests.integration.test_storage_faults import run_desk
from tests.support import make_world


def test_audit_verify_passes_on_an_untouched_database(tmp_path: Path) -> None:
    world = make_world(tmp_path / "desk.sqlite3")
    t = world.ticket()
    world.desk("a_trade").reply(t.summary.id, t.summary.version, "您好")
    result = run_desk("--data-dir", str(tmp_path), "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "1 张工单" in result.stdout and "3 条事件" in result.stdout


def test_audit_verify_names_the_first_broken_link(tmp_path: Path) -> None:
    world = make_world(tmp_path / "desk.sqlite3")
    first = world.ticket()
    second = world.ticket()
    world.desk("a_trade").reply(second.summary.id, second.summary.version, "原始回复")
    with world.engine.begin() as conn:
        conn.execute(
            text("UPDATE events SET payload = :p WHERE ticket_id = :t AND seq = 2"),
            {"p": '{"body": "被篡改的回复"}', "t": second.summary.id},
        )
    result = run_desk("--data-dir", str(tmp_path), "audit", "verify")
    assert result.returncode == 1
    assert second.summary.number in result.stderr and "第 2 条事件" in result.stderr
    assert first.summary.number not in result.stderr


def test_audit_verify_detects_a_deleted_last_event(tmp_path: Path) -> None:
    world = make_world(tmp_path / "desk.sqlite3")
    t = world.ticket()
    world.desk("a_trade").note(t.summary.id, t.summary.version, "将被删除")
    with world.engine.begin() as conn:
        conn.execute(
            text("DELETE FROM events WHERE ticket_id = :t AND seq = 2"), {"t": t.summary.id}
        )
    result = run_desk("--data-dir", str(tmp_path), "audit", "verify")
    assert result.returncode == 1
    assert t.summary.number in result.stderr


def test_data_dir_comes_from_the_environment(tmp_path: Path, monkeypatch: object) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DESK_DATA_DIR": str(tmp_path / "from-env")}
    result = subprocess.run(
        [sys.executable, "-m", "desk_app", "audit", "verify"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env" / "desk.sqlite3").exists()


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = run_desk("--data-dir", str(tmp_path), "frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_user_commands_for_a_team_server(tmp_path: Path) -> None:
    import subprocess
    import sys

    base = [sys.executable, "-m", "desk_app", "--data-dir", str(tmp_path), "user"]

    def run(*args: str, secret: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*base, *args], input=secret + "\n", capture_output=True, text=True, timeout=60
        )

    short = run(
        "add",
        "m_wang",
        "--name",
        "王小明",
        "--role",
        "merchant",
        "--org",
        "星辰卡盟",
        secret="short",
    )
    assert short.returncode == 2 and "密码长度" in short.stderr
    ok = run(
        "add",
        "m_wang",
        "--name",
        "王小明",
        "--role",
        "merchant",
        "--org",
        "星辰卡盟",
        secret="long-enough-pw",
    )
    assert ok.returncode == 0, ok.stderr
    again = run(
        "add",
        "m_wang",
        "--name",
        "王小明",
        "--role",
        "merchant",
        "--org",
        "星辰卡盟",
        secret="long-enough-pw",
    )
    assert again.returncode == 2 and "已被使用" in again.stderr
    assert run("password", "m_wang", secret="another-long-pw").returncode == 0
    assert run("password", "ghost", secret="another-long-pw").returncode == 2


def test_serve_takes_the_statement_limit_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk_app import cli
    from desk_app.server import main as server_main

    started: list[ServerSettings] = []
    monkeypatch.setattr(server_main, "serve", lambda settings, **_kw: started.append(settings))
    monkeypatch.setenv("DESK_STATEMENT_TIMEOUT_S", "12")  # the command line wins
    assert cli.main(["--data-dir", str(tmp_path), "serve", "--statement-timeout", "5"]) == 0
    assert [s.statement_timeout_s for s in started] == [5]


def test_a_bad_statement_limit_on_the_command_line_is_refused_clearly(tmp_path: Path) -> None:
    result = run_desk("--data-dir", str(tmp_path), "serve", "--statement-timeout", "-5")
    assert result.returncode != 0
    assert "语句超时 -5 秒无效" in result.stderr
    assert "Traceback" not in result.stderr
