"""A real `desk serve` process on a free loopback port, for the team-mode tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.pg import free_port


@dataclass
class ServerProcess:
    database_url: str
    port: int
    log: Path
    workers: int = 1
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        cmd = [
            sys.executable,
            "-m",
            "desk_app",
            "serve",
            "--database-url",
            self.database_url,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited early:\n{self.log.read_text(errors='replace')[-3000:]}"
                )
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)  # polling a child process's port; there is no signal to wait on
        self.stop()
        raise RuntimeError(
            f"server did not become healthy:\n{self.log.read_text(errors='replace')[-3000:]}"
        )

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def new_server(database_url: str, log: Path, workers: int = 1) -> ServerProcess:
    return ServerProcess(database_url, free_port(), log, workers)
