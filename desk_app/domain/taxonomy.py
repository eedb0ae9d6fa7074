"""The category tree: categories, subcategories, their skill groups and default priorities.

It is data (resources/taxonomy.json) so that admins can extend it without code; this module only
validates and indexes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from desk_app.domain.priority import Priority
from desk_app.errors import ConfigError, ValidationError
from desk_app.paths import resource_path


@dataclass(frozen=True, slots=True)
class SkillGroup:
    code: str
    name: str
    name_en: str
    tier: int


@dataclass(frozen=True, slots=True)
class Subcategory:
    category: str
    code: str
    name: str
    name_en: str
    group: str
    priority: Priority
    money_at_risk: bool

    @property
    def key(self) -> str:
        return f"{self.category}/{self.code}"


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str
    name_en: str
    subcategories: tuple[Subcategory, ...]


class Taxonomy:
    def to_dict(self) -> dict[str, Any]:
        """The data form that from_dict reads (sent to HTTP clients)."""
        return {
            "schema": 1,
            "skill_groups": [
                {"code": g.code, "name": g.name, "name_en": g.name_en, "tier": g.tier}
                for g in self.groups
            ],
            "categories": [
                {
                    "code": c.code,
                    "name": c.name,
                    "name_en": c.name_en,
                    "subcategories": [
                        {
                            "code": s.code,
                            "name": s.name,
                            "name_en": s.name_en,
                            "group": s.group,
                            "priority": s.priority.value,
                            "money_at_risk": s.money_at_risk,
                        }
                        for s in c.subcategories
                    ],
                }
                for c in self.categories
            ],
        }

    def __init__(self, groups: list[SkillGroup], categories: list[Category]) -> None:
        self.groups = tuple(groups)
        self.categories = tuple(categories)
        self._groups = {g.code: g for g in groups}
        self._categories = {c.code: c for c in categories}
        self._subs = {(s.category, s.code): s for c in categories for s in c.subcategories}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Taxonomy:
        try:
            groups = [
                SkillGroup(g["code"], g["name"], g.get("name_en", g["code"]), int(g.get("tier", 1)))
                for g in data["skill_groups"]
            ]
            codes = {g.code for g in groups}
            categories: list[Category] = []
            for c in data["categories"]:
                subs = []
                for s in c["subcategories"]:
                    if s["group"] not in codes:
                        raise ConfigError(
                            f"分类 {c['code']}/{s['code']} 指向不存在的技能组 {s['group']}"
                        )
                    subs.append(
                        Subcategory(
                            category=c["code"],
                            code=s["code"],
                            name=s["name"],
                            name_en=s.get("name_en", s["code"]),
                            group=s["group"],
                            priority=Priority(s.get("priority", "normal")),
                            money_at_risk=bool(s.get("money_at_risk", False)),
                        )
                    )
                if not subs:
                    raise ConfigError(f"分类 {c['code']} 没有子分类")
                categories.append(
                    Category(c["code"], c["name"], c.get("name_en", c["code"]), tuple(subs))
                )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError(f"分类配置文件格式错误：{exc!r}") from exc
        return cls(groups, categories)

    @classmethod
    def load(cls, path: Path) -> Taxonomy:
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise ConfigError(f"无法读取分类配置 {path}：{exc.strerror}") from exc
        except json.JSONDecodeError as exc:
            raise ConfigError(f"分类配置 {path} 不是有效的 JSON（第 {exc.lineno} 行）") from exc

    def category(self, code: str) -> Category:
        try:
            return self._categories[code]
        except KeyError:
            raise ValidationError({"category": f"未知的分类「{code}」"}) from None

    def subcategory(self, category: str, code: str) -> Subcategory:
        self.category(category)
        try:
            return self._subs[(category, code)]
        except KeyError:
            raise ValidationError(
                {"subcategory": f"分类「{category}」下没有子分类「{code}」"}
            ) from None

    def group(self, code: str) -> SkillGroup:
        try:
            return self._groups[code]
        except KeyError:
            raise ValidationError({"group": f"未知的技能组「{code}」"}) from None

    def subcategories(self) -> Iterator[Subcategory]:
        for c in self.categories:
            yield from c.subcategories

    def label(self, category: str, subcategory: str | None = None) -> str:
        cat = self._categories.get(category)
        if cat is None:
            return category
        if subcategory is None:
            return cat.name
        sub = self._subs.get((category, subcategory))
        return f"{cat.name} / {sub.name if sub else subcategory}"


@cache
def default_taxonomy() -> Taxonomy:
    return Taxonomy.load(resource_path("taxonomy.json"))
