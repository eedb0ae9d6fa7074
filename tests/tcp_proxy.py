"""A loopback TCP proxy the tests control, to cut connections at the worst moments."""

from __future__ import annotations

import socket
import threading
from contextlib import suppress

from tests.pg import free_port

PASS = "pass"
LOSE_RESPONSE = (
    "lose_response"  # the server gets (and processes) the request; the reply never arrives
)
REFUSE = "refuse"


class TcpProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.port = free_port()
        self.mode = PASS
        self.cut = threading.Event()  # set when a response was thrown away
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop.set()
        with suppress(OSError):
            self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        if self.mode == REFUSE:
            client.close()
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            client.close()
            return
        threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
        self._pipe(upstream, client, answers=True)

    def _pipe(self, src: socket.socket, dst: socket.socket, *, answers: bool = False) -> None:
        try:
            while data := src.recv(65536):
                if answers and self.mode == LOSE_RESPONSE:
                    # The server answered, so it has done the work; the client never hears it.
                    self.cut.set()
                    break
                dst.sendall(data)

        except OSError:
            pass
        finally:
            for s in (src, dst):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
