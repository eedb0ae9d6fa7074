"""Request validation errors in the desk's language.

FastAPI reports malformed requests with pydantic's English messages ("Input should be a valid
integer"). The desktop shows a server's message to the person who typed the value, so each
error is said again in Chinese from its type and context; a type not listed here still names
the field and says that its format is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Ctx = Mapping[str, Any]

_FIXED: dict[str, str] = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的字段，请删除",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能带小数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_unicode": "文本编码无效，应为 UTF-8",
    "list_type": "应为列表",
    "dict_type": "应为对象（键值对）",
    "model_type": "应为对象（键值对）",
    "model_attributes_type": "应为对象（键值对）",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON 文本",
    "datetime_parsing": "应为日期时间，例如 2026-12-01T09:30:00+08:00",
    "datetime_type": "应为日期时间，例如 2026-12-01T09:30:00+08:00",
    "date_parsing": "应为日期，例如 2026-12-01",
    "uuid_parsing": "应为 UUID",
    "url_parsing": "应为网址",
}


def _between(ctx: Ctx, word: str) -> str:
    return word.format(**{k: ctx.get(k, "?") for k in ("min_length", "max_length")})


def _one_of(ctx: Ctx) -> str:
    # pydantic lists the choices as "'a', 'b' or 'c'".
    expected = str(ctx.get("expected", "")).replace(" or ", ", ").replace(", ", "、")
    return f"应为以下之一：{expected}"


_FROM_CONTEXT: dict[str, Callable[[Ctx], str]] = {
    "string_too_short": lambda c: _between(c, "太短：至少 {min_length} 个字符"),
    "string_too_long": lambda c: _between(c, "太长：最多 {max_length} 个字符"),
    "too_short": lambda c: _between(c, "太少：至少 {min_length} 项"),
    "too_long": lambda c: _between(c, "太多：最多 {max_length} 项"),
    "greater_than": lambda c: f"应大于 {c.get('gt', '?')}",
    "greater_than_equal": lambda c: f"应不小于 {c.get('ge', '?')}",
    "less_than": lambda c: f"应小于 {c.get('lt', '?')}",
    "less_than_equal": lambda c: f"应不大于 {c.get('le', '?')}",
    "enum": _one_of,
    "literal_error": _one_of,
    "string_pattern_mismatch": lambda c: "格式不正确",
    # Our own validators raise ValueError with a Chinese sentence; pydantic keeps it in ctx.
    "value_error": lambda c: str(c.get("error", "")) or "取值无效",
    "assertion_error": lambda c: str(c.get("error", "")) or "取值无效",
}


def message_for(error: Mapping[str, Any]) -> str:
    """The Chinese message for one pydantic error (an item of `ValidationError.errors()`)."""
    kind = str(error.get("type", ""))
    if kind in _FIXED:
        return _FIXED[kind]
    maker = _FROM_CONTEXT.get(kind)
    if maker is not None:
        return maker(error.get("ctx") or {})
    return "格式不正确"
