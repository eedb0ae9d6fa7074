"""Where things live: packaged resources and the user's data folder.

One function for resources serves a source checkout, an editable install and a frozen
(PyInstaller) build alike, so no code path depends on the working directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "desk_app"
APP_AUTHOR = "desk_app"
DATA_DIR_ENV = "DESK_DATA_DIR"


def resources_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def default_data_dir() -> Path:
    """The platform's per-user data folder (XDG_DATA_HOME on Linux, %LOCALAPPDATA% on Windows)."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir wins over DESK_DATA_DIR, which wins over the platform default."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def database_file(directory: Path) -> Path:
    return directory / "desk.sqlite3"


def log_file(directory: Path) -> Path:
    return directory / "logs" / "desk.log"
