"""Limits and clean-up for the text people type into tickets."""

from __future__ import annotations

from desk_app.errors import ValidationError

SUBJECT_MIN = 2
SUBJECT_MAX = 120
BODY_MAX = 20_000


def clean_subject(value: str) -> str:
    text = " ".join(value.replace("\x00", "").split())
    if len(text) < SUBJECT_MIN:
        raise ValidationError({"subject": f"标题太短：请用至少 {SUBJECT_MIN} 个字概括问题"})
    if len(text) > SUBJECT_MAX:
        raise ValidationError(
            {
                "subject": f"标题太长（{len(text)} 字）：请控制在 {SUBJECT_MAX} 字以内，细节写在描述里"
            }
        )
    return text


def clean_body(value: str, field: str = "description", label: str = "描述") -> str:
    # Keep what people pasted (emoji, mixed scripts, tabs); only NUL is dropped because no
    # database keeps it faithfully, and line endings are unified.
    text = value.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError({field: f"{label}不能为空"})
    if len(text) > BODY_MAX:
        raise ValidationError(
            {field: f"{label}太长（{len(text)} 字）：上限 {BODY_MAX} 字，长日志请作为附件上传"}
        )
    return text
