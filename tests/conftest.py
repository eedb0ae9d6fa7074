from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt must never look for a screen in tests; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.support import World, make_world  # noqa: E402


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path / "desk.sqlite3")
