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
    # Deliver every result still queued for the GUI thread while the widgets and models of the
    # test are alive; a delivery after they are gone would reach freed Qt objects.
    qtbot.waitUntil(lambda: t.busy == 0, timeout=10_000)
    if errors:
        raise errors[0]
