"""Malformed requests are explained in Chinese, from pydantic's own error reports."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

import pydantic
import pytest
from pydantic import BaseModel, ConfigDict, Field, field_validator

from desk_app.server.validation_text import message_for

CJK = re.compile(r"[\u4e00-\u9fff]")


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=2, max_length=5)] = "ab"
    count: Annotated[int, Field(ge=1, le=10)] = 1
    colour: Colour = Colour.RED
    tags: Annotated[list[str], Field(max_length=2)] = []
    flag: bool = False
    code: str = "x"

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if value == "bad":
            raise ValueError("编号不存在，请重新选择")
        return value


def errors_of(data: Any) -> dict[str, dict[str, Any]]:
    with pytest.raises(pydantic.ValidationError) as caught:
        Form.model_validate(data)
    return {str(e["loc"][0]) if e["loc"] else "": dict(e) for e in caught.value.errors()}


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        ({"count": "many"}, "count", "应为整数"),
        ({"count": 0}, "count", "应不小于 1"),
        ({"count": 11}, "count", "应不大于 10"),
        ({"name": "a"}, "name", "太短：至少 2 个字符"),
        ({"name": "abcdef"}, "name", "太长：最多 5 个字符"),
        ({"colour": "green"}, "colour", "应为以下之一：'red'、'blue'"),
        ({"tags": ["a", "b", "c"]}, "tags", "太多：最多 2 项"),
        ({"flag": "perhaps"}, "flag", "应为 true 或 false"),
        ({"colour_": 1}, "colour_", "不认识的字段，请删除"),
        ({"code": "bad"}, "code", "编号不存在，请重新选择"),
    ],
)
def test_each_error_is_said_in_chinese(data: dict[str, Any], field: str, expected: str) -> None:
    error = errors_of(data)[field]
    assert expected in message_for(error)


def test_a_whole_payload_of_the_wrong_kind() -> None:
    assert message_for(errors_of([1, 2])[""]) == "应为对象（键值对）"


def test_an_unlisted_error_type_still_gets_a_chinese_sentence() -> None:
    message = message_for({"type": "something_new", "msg": "Input is strange"})
    assert CJK.search(message) and "Input" not in message
