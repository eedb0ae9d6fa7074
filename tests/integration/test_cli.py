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
    assert "用法：desk" in result.stderr
    assert "没有 'frobnicate' 这一项，可选：'gui', 'demo'" in result.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["serve", "--port", "八千"], "desk serve：错误：--port：'八千' 不是整数"),
        (["serve", "--statement-timeout", "1.5"], "--statement-timeout：'1.5' 不是整数"),
        (["serve", "--port"], "--port 后面需要一个值"),
        (["serve", "--prot", "80"], "无法识别的参数：--prot 80"),
        (["user", "add", "li"], "缺少必需的参数：--name, --role"),
        (["user", "add", "li", "--name", "李", "--role", "boss"], "没有 'boss' 这一项"),
    ],
)
def test_a_mistyped_command_line_is_answered_in_chinese(
    tmp_path: Path, args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from desk_app import cli

    with pytest.raises(SystemExit) as exited:
        cli.main(["--data-dir", str(tmp_path), *args])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "用法：" in err
    assert "error:" not in err and "invalid" not in err


def test_help_is_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    from desk_app import cli

    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：desk serve")
    assert "选项" in out and "显示本帮助并退出" in out and "端口（默认 8765）" in out
    assert "show this help" not in out and "options:" not in out


def test_an_argparse_message_without_a_translation_is_kept_as_it_came() -> None:
    from desk_app.cli_parser import translate

    assert translate("argument --x: something new") == "argument --x: something new"
    assert translate("argument --port: invalid int value: 'a: b'") == "--port：'a: b' 不是整数"


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
