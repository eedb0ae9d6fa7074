"""argparse in Chinese: the command line's own words (usage, headings, errors) like the window's.

argparse's messages go through gettext, and Python ships no Chinese catalogue for them. The
ones a user of `desk` meets are given here; any other stays in English rather than being lost.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

# argparse's wording (Python 3.11-3.13); a message none of these match is shown as it came.
_ERRORS = [
    (r"argument (?P<arg>.+?): invalid int value: (?P<value>'.*')", "{arg}：{value} 不是整数"),
    (r"argument (?P<arg>.+?): invalid \w+ value: (?P<value>'.*')", "{arg}：{value} 不是有效的值"),
    (
        r"argument (?P<arg>.+?): invalid choice: (?P<value>'.*') \(choose from (?P<choices>.*)\)",
        "{arg}：没有 {value} 这一项，可选：{choices}",
    ),
    (r"argument (?P<arg>.+?): expected one argument", "{arg} 后面需要一个值"),
    (r"argument (?P<arg>.+?): expected at least one argument", "{arg} 后面至少需要一个值"),
    (r"argument (?P<arg>.+?): ignored explicit argument (?P<value>'.*')", "{arg} 不接受值 {value}"),
    (
        r"argument (?P<arg>.+?): not allowed with argument (?P<other>.+)",
        "{arg} 不能与 {other} 同时使用",
    ),
    (r"unrecognized arguments: (?P<args>.*)", "无法识别的参数：{args}"),
    (r"the following arguments are required: (?P<args>.*)", "缺少必需的参数：{args}"),
]
_PATTERNS = [(re.compile(pattern + r"\Z", re.DOTALL), text) for pattern, text in _ERRORS]


def translate(message: str) -> str:
    for pattern, text in _PATTERNS:
        match = pattern.match(message)
        if match:
            return text.format(**match.groupdict())
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class DeskArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, headings, help option and errors are in Chinese; its
    subcommands' parsers are of the same class (argparse makes them with type(self))."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")
