"""The checks that keep the code base honest run with the suite, so nobody forgets them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "desk_app", "tests", "bench", "scripts"],
        ["ruff", "format", "--check", "desk_app", "tests", "bench", "scripts"],
        ["mypy"],
        ["lint-imports", "--no-cache"],
    ],
    ids=["ruff", "ruff-format", "mypy", "import-contracts"],
)
def test_tool_is_clean(command: list[str]) -> None:
    exe = BIN / command[0]
    result = subprocess.run(
        [str(exe) if exe.exists() else command[0], *command[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
