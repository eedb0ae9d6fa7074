"""Small constructors that keep widget set-up short and typed (PySide6's stubs do not accept
property keywords in constructors)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel

W = TypeVar("W", bound=QObject)


def named(widget: W, name: str) -> W:
    """Give a widget the object name tests and style sheets find it by."""
    widget.setObjectName(name)
    return widget


def label(
    text: str = "", name: str = "", *, wrap: bool = False, center: bool = False, style: str = ""
) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    if center:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if style:
        widget.setStyleSheet(style)
    return widget


def timer(parent: QObject, msecs: int, *, single: bool = False) -> QTimer:
    t = QTimer(parent)
    t.setInterval(msecs)
    t.setSingleShot(single)
    return t
