from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from desk_app.ui.tasks import Tasks


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[Tasks]:
    t = Tasks()
    errors: list[BaseException] = []
    t.default_error = errors.append
    yield t
    t.wait()
    if errors:
        raise errors[0]
