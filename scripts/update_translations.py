"""Collect every user-facing string of the window into resources/i18n/desk_en.ts.

    python scripts/update_translations.py

Sources are the Chinese strings passed to tr() in desk_app/ui, plus the field words the window
translates through tr() at run time (statuses, priorities, roles, event kinds, columns).
Translations already in the file are kept; new strings are added as unfinished for a translator
(Qt Linguist opens the file). Compile with pyside6-lrelease; the app does that by itself.
"""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

from desk_app.domain.events import EVENT_LABELS
from desk_app.domain.priority import PRIORITY_LABELS
from desk_app.domain.roles import ROLE_LABELS
from desk_app.domain.status import STATUS_LABELS
from desk_app.ui.detail import STAFF_TARGET_LABELS
from desk_app.ui.i18n import CONTEXT
from desk_app.ui.new_ticket import TEMPLATE
from desk_app.ui.queue_model import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "desk_en.ts"


def sources() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "desk_app" / "ui").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append(node.args[0].value)
    for table in (STATUS_LABELS, PRIORITY_LABELS, ROLE_LABELS, EVENT_LABELS, STAFF_TARGET_LABELS):
        found.extend(table.values())
    found.extend(COLUMNS)
    found.append(TEMPLATE)
    return list(dict.fromkeys(found))


def existing() -> dict[str, str]:
    if not TS.exists():
        return {}
    out: dict[str, str] = {}
    for message in ET.parse(TS).getroot().iter("message"):
        source, translation = message.findtext("source"), message.find("translation")
        if (
            source
            and translation is not None
            and translation.text
            and translation.get("type") != "unfinished"
        ):
            out[source] = translation.text
    return out


def main() -> None:
    known = existing()
    root = ET.Element("TS", version="2.1", language="en_US", sourcelanguage="zh_CN")
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    missing = 0
    for text in sources():
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = text
        translation = ET.SubElement(message, "translation")
        if text in known:
            translation.text = known[text]
        else:
            translation.set("type", "unfinished")
            missing += 1
    ET.indent(root)
    TS.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    TS.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    print(f"{TS}: {len(sources())} strings, {missing} without a translation")


if __name__ == "__main__":
    main()
