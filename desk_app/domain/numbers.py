"""Human-readable ticket numbers: KM-YYYYMMDD-NNNNNN, unique through a per-day counter."""

from __future__ import annotations

import re
from datetime import date

PREFIX = "KM"
NUMBER_RE = re.compile(r"^KM-(\d{8})-(\d{6,})$")


def format_number(day: date, serial: int) -> str:
    if serial < 1:
        raise ValueError("serial starts at 1")
    return f"{PREFIX}-{day:%Y%m%d}-{serial:06d}"


def looks_like_number(text: str) -> bool:
    return bool(NUMBER_RE.match(text.strip().upper()))
