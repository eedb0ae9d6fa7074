"""Start the frozen app (dist/desk) offscreen and check that its window appears.

    python scripts/check_frozen.py [path/to/dist/desk]

Not part of CI (building takes minutes); run it after `pyinstaller installer.spec`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

QT_CATALOG = "qtbase_zh_CN.qm"  # desk_app.ui.i18n.QT_CATALOG_ZH, without importing Qt


def main() -> int:
    folder = (Path(sys.argv[1]) if len(sys.argv) > 1 else Path("dist") / "desk").resolve()
    exe = folder / ("desk.exe" if sys.platform == "win32" else "desk")
    if not exe.exists():
        print(
            f"no frozen app at {exe}; build it with `pyinstaller installer.spec`", file=sys.stderr
        )
        return 2
    if not any(folder.rglob(QT_CATALOG)):
        print(f"{QT_CATALOG} is missing: Qt's dialogs would show English buttons", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DESK_SMOKE_EXIT": "1"}
        demo = subprocess.run(
            [str(exe), "--data-dir", data, "demo", "--tickets", "20"], env=env, timeout=300
        )
        if demo.returncode != 0:
            print("frozen `desk demo` failed", file=sys.stderr)
            return 1
        run = subprocess.run(
            [str(exe), "--data-dir", data], env=env, capture_output=True, text=True, timeout=120
        )
        logged = "".join(p.read_text("utf-8") for p in Path(data).rglob("*.log"))
    if "could not load translation" in logged:
        print("the frozen app could not load a translation; see its log:", file=sys.stderr)
        print(logged[-2000:], file=sys.stderr)
        return 1
    shown = "desk: window shown" in run.stdout + run.stderr
    print(f"exit={run.returncode} window_shown={shown}")
    return 0 if run.returncode == 0 and shown else 1


if __name__ == "__main__":
    raise SystemExit(main())
