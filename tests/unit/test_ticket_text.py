from __future__ import annotations

import pytest

from desk_app.domain.numbers import format_number, looks_like_number
from desk_app.domain.ticket_text import BODY_MAX, SUBJECT_MAX, clean_body, clean_subject
from desk_app.errors import ValidationError


def test_subject_whitespace_collapses() -> None:
    assert clean_subject("  充值\n 未到账\t ") == "充值 未到账"


@pytest.mark.parametrize("value", ["", " ", "a", "\x00\x00"])
def test_too_short_subject_is_refused_with_the_field(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        clean_subject(value)
    assert "subject" in info.value.fields


def test_too_long_subject_says_the_limit() -> None:
    with pytest.raises(ValidationError, match=str(SUBJECT_MAX)):
        clean_subject("长" * (SUBJECT_MAX + 1))


def test_body_keeps_emoji_mixed_scripts_and_control_characters() -> None:
    text = "卡密失效😡 Steam\tкарта\x07 العربية\r\n第二行"
    assert clean_body(text) == "卡密失效😡 Steam\tкарта\x07 العربية\n第二行"


def test_body_limits() -> None:
    with pytest.raises(ValidationError):
        clean_body("   \n ")
    with pytest.raises(ValidationError, match="附件"):
        clean_body("x" * (BODY_MAX + 1))
    assert len(clean_body("x" * BODY_MAX)) == BODY_MAX


def test_ticket_numbers() -> None:
    from datetime import date

    number = format_number(date(2026, 11, 23), 123)
    assert number == "KM-20261123-000123"
    assert looks_like_number(number.lower())
    assert not looks_like_number("KM-2026-1")
