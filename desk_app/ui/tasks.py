"""Background work, Anki style: run a callable on the thread pool, get the result (or the
error) back on the GUI thread. Widgets are never touched from a worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desk_app.errors import DeskError

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class Tasks(QObject):
    """Runs desk calls off the GUI thread. Failures go to `on_error`, or to the window's error
    path (`default_error`) when the caller does not handle them."""

    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(4)
        self._relays: set[_Relay] = set()
        self.default_error: Callable[[BaseException], None] = _raise

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        relay = _Relay(self)  # lives in the GUI thread, so its signals arrive there
        self._relays.add(relay)

        def finished(result: Any) -> None:
            self._forget(relay)
            if on_done is not None:
                _deliver(on_done, result)

        def failed(exc: BaseException) -> None:
            self._forget(relay)
            _deliver(on_error or self.default_error, exc)

        relay.done.connect(finished)
        relay.failed.connect(failed)
        self.busy_changed.emit(len(self._relays))
        self._pool.start(_Job(fn, relay))

    @property
    def busy(self) -> int:
        return len(self._relays)

    def wait(self, msecs: int = 10_000) -> bool:
        return self._pool.waitForDone(msecs)

    def _forget(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()
        self.busy_changed.emit(len(self._relays))


def _deliver(callback: Callable[[Any], None], value: Any) -> None:
    """Hand a result to its callback, unless the widget that asked has been closed meanwhile:
    then the answer has nobody to show it to, and that is not an error."""
    try:
        callback(value)
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise
        log.debug("dropped a background result for a closed window: %s", exc)


def _raise(exc: BaseException) -> None:
    raise exc


def is_user_error(exc: BaseException) -> bool:
    return isinstance(exc, DeskError)
