"""Server settings: file, environment and command line, and every wrong value named."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.config import load_settings
from desk_app.errors import ConfigError

PG = "postgresql+psycopg://desk@db/desk"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("DESK_DATABASE_URL", "DESK_HOST", "DESK_PORT", "DESK_WORKERS", "DESK_ACCESS_LOG",
                "DESK_STATEMENT_TIMEOUT_S"):  # fmt: skip
        monkeypatch.delenv(var, raising=False)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "server.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    s = load_settings()
    assert (s.host, s.port, s.workers, s.access_log) == ("127.0.0.1", 8765, 1, True)
    assert s.statement_timeout_s == 30


def test_command_line_beats_environment_beats_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        f'schema_version = 1\n[server]\ndatabase_url = "{PG}"\nport = 9000\nworkers = 2\n'
        "access_log = false\nstatement_timeout_s = 120\n",
    )
    assert load_settings(path).port == 9000
    assert load_settings(path).access_log is False
    assert load_settings(path).statement_timeout_s == 120
    monkeypatch.setenv("DESK_STATEMENT_TIMEOUT_S", "0")
    assert load_settings(path).statement_timeout_s == 0  # no limit
    monkeypatch.setenv("DESK_PORT", "9100")
    monkeypatch.setenv("DESK_ACCESS_LOG", "on")
    s = load_settings(path)
    assert (s.port, s.workers, s.access_log) == (9100, 2, True)
    s = load_settings(path, port=9200, access_log=False)
    assert (s.port, s.access_log) == (9200, False)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("schema_version = 2\n", "版本 2"),
        ("[server]\ncolour = 'red'\n", "未知的设置：colour"),
        ("[server]\nport = 'eighty'\n", "port"),
        ("[server]\nport = 70000\n", "端口 70000"),
        ("[server]\nworkers = 0\n", "工作进程数 0"),
        ("[server]\nworkers = 2\n", "PostgreSQL"),
        ("[server]\ndatabase_url = 'mysql://x'\n", "database_url"),
        ("[server]\naccess_log = 'sometimes'\n", "access_log"),
        ("[server]\nstatement_timeout_s = -1\n", "语句超时 -1 秒"),
        ("[server]\nstatement_timeout_s = 100000\n", "语句超时 100000 秒"),
        ("[server]\nstatement_timeout_s = 'long'\n", "statement_timeout_s"),
        ("[server\nport = 1\n", "格式错误"),
    ],
)
def test_bad_files_are_named(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert words in info.value.message


def test_an_empty_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, "")).port == 8765


def test_unreadable_and_binary_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="无法读取"):
        load_settings(tmp_path / "missing.toml")
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe\x00port = 1")
    with pytest.raises(ConfigError, match="格式错误"):
        load_settings(path)


def test_bad_environment_values_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK_WORKERS", "many")
    with pytest.raises(ConfigError, match=r"环境变量.*workers"):
        load_settings()
