"""Cold start of the app to a painted queue, and the queue model's reset-to-painted time.

    python bench/startup.py [--db /tmp/desk_bench] [--repeats 5]

Targets: cold start < 2 s; model reset to painted rows < 100 ms (offscreen).
Baseline in the same run: a bare `import PySide6.QtWidgets` process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import DEFAULT_DIR, summary


def cold_start(db: Path) -> tuple[float, float]:
    """Milliseconds from launch to the painted queue (the app prints a line when its first
    page is painted), and to the process's exit (which also waits for the queue's count)."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "DESK_SMOKE_EXIT": "1",
        "DESK_SMOKE_LOGIN": "admin_bench",
    }
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "desk_app", "--data-dir", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    painted = None
    for line in proc.stdout:
        if "window shown" in line:
            painted = (time.perf_counter() - t0) * 1000
    _, err = proc.communicate(timeout=120)
    exited = (time.perf_counter() - t0) * 1000
    if painted is None or proc.returncode != 0:
        raise SystemExit(
            f"the app did not show its window (exit {proc.returncode}):\n{err[-2000:]}"
        )
    return painted, exited


def bare_qt() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import PySide6.QtWidgets"], check=True, timeout=60)
    return (time.perf_counter() - t0) * 1000


def model_paint(db: Path, repeats: int) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop

    from desk_app.app import local_desk
    from desk_app.domain.records import TicketFilter
    from desk_app.domain.status import Status
    from desk_app.ui.main import application
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.tasks import Tasks

    app = application()
    tasks = Tasks(app)
    desk = local_desk(db)
    desk.sign_in("admin_bench")
    window = MainWindow(desk, tasks, poll_ms=600_000)
    window.show()
    out = []
    filters = [
        TicketFilter(statuses=(s,)) for s in (Status.NEW, Status.OPEN, Status.WAITING_CUSTOMER)
    ]
    for i in range(repeats + 1):
        loop = QEventLoop()
        window.model.page_loaded.connect(loop.quit)
        t0 = time.perf_counter()
        window.model.set_filter(filters[i % len(filters)])
        loop.exec()
        window.model.page_loaded.disconnect(loop.quit)
        window.table.viewport().repaint()
        if i:
            out.append((time.perf_counter() - t0) * 1000)
    tasks.wait()
    # Tear the window down while Qt is whole: left to Python's finalisation, PySide6 now and
    # then aborted this process on exit ("bool_dealloc"), after the figures were printed.
    window.close()
    window.deleteLater()
    app.processEvents()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    starts = [cold_start(args.db) for _ in range(args.repeats)]
    base = [bare_qt() for _ in range(args.repeats)]
    print(f"cold start to painted queue   {summary([p for p, _ in starts])}   (target < 2000 ms)")
    print(f"… to the process's exit       {summary([e for _, e in starts])}")
    print(f"baseline: import PySide6 only {summary(base)}")
    print(
        f"model reset to painted rows   {summary(model_paint(args.db, args.repeats * 4))}   (target < 100 ms)"
    )


if __name__ == "__main__":
    main()
