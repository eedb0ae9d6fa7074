"""Live events from a team server: the SSE stream read on a thread of its own, each event
handed to the GUI thread by a queued signal."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from desk_app.client.http import HttpDesk

log = logging.getLogger(__name__)


class LiveStream(QObject):
    arrived = Signal(object)  # Event

    def __init__(self, remote: HttpDesk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Its own connection pool: the stream holds one connection open for as long as it runs.
        self._remote = remote.clone()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, after: int) -> None:
        self._thread = threading.Thread(
            target=self._run, args=(after,), name="desk-live", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self, after: int) -> None:
        try:
            for event in self._remote.stream_events(after, self._stop):
                self.arrived.emit(event)
        except Exception:
            log.warning("live stream ended", exc_info=True)
