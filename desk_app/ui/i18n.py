"""Translations: Chinese is the source language; English comes from resources/i18n/desk_en.ts.

Compiled .qm files are not kept in the repository: the frozen build compiles them
(installer.spec), and a source checkout compiles them on first use into the user cache folder
with the lrelease that ships inside PySide6.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

import platformdirs
import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from desk_app.paths import APP_AUTHOR, APP_NAME, resource_path

log = logging.getLogger(__name__)
CONTEXT = "desk"
LANG_ENV = "DESK_LANG"
# Qt's widgets catalog (qt_zh_CN also names the Qt modules this app does not use).
QT_CATALOG_ZH = "qtbase_zh_CN"


def tr(text: str) -> str:
    """Translate a Chinese source string (scripts/update_translations.py collects these)."""
    return QCoreApplication.translate(CONTEXT, text)


def language() -> str:
    return "en" if os.environ.get(LANG_ENV, "zh").lower().startswith("en") else "zh"


def install_translators(app: QCoreApplication) -> list[QTranslator]:
    """Install the translations for the chosen language and return them, so that a caller
    which ends (run_gui, a test) can remove them from the shared application again.

    Chinese is our source language, but Qt's own strings (the OK and Cancel of a message box,
    the context menu of a text field) are English unless Qt's catalog is loaded too."""
    installed: list[QTranslator] = []
    if language() == "en":
        qm = _compiled("desk_en")
        if qm is not None:
            _install(app, installed, str(qm.parent), qm.stem)
    else:
        _install(
            app,
            installed,
            QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
            QT_CATALOG_ZH,
        )
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)


def _install(app: QCoreApplication, into: list[QTranslator], folder: str, name: str) -> None:
    translator = QTranslator(app)
    if not translator.load(name, folder):
        log.warning("could not load translation %s from %s", name, folder)
        return
    app.installTranslator(translator)
    into.append(translator)


def _compiled(name: str) -> Path | None:
    shipped = resource_path("i18n", f"{name}.qm")
    if shipped.exists():
        return shipped
    source = resource_path("i18n", f"{name}.ts")
    target = Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "i18n" / f"{name}.qm"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    lrelease = shutil.which("pyside6-lrelease") or str(Path(PySide6.__file__).parent / "lrelease")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [lrelease, str(source), "-qm", str(target)], check=True, capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not compile %s (%s); staying Chinese", source, exc)
        return None
    return target
