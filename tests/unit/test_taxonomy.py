from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk_app.domain.priority import Priority
from desk_app.domain.taxonomy import Taxonomy, default_taxonomy
from desk_app.errors import ConfigError, ValidationError
from desk_app.paths import resource_path


def test_shipped_taxonomy_covers_the_seed_categories() -> None:
    tax = default_taxonomy()
    names = {c.name for c in tax.categories}
    assert {"交易类", "账户类", "商品类", "系统类", "风险安全类", "功能建议", "咨询"} <= names
    subs = {s.name for s in tax.subcategories()}
    assert {"充值失败", "退款", "卡密失效", "闪退", "账户冻结", "资金纠纷"} <= subs
    assert any("银行接口超时" in s for s in subs)


def test_money_at_risk_defaults_to_urgent_or_high() -> None:
    for sub in default_taxonomy().subcategories():
        if sub.money_at_risk:
            assert sub.priority in (Priority.URGENT, Priority.HIGH), sub.key


def test_every_subcategory_routes_to_a_known_group() -> None:
    tax = default_taxonomy()
    for sub in tax.subcategories():
        assert tax.group(sub.group).code == sub.group


def test_unknown_codes_are_validation_errors_naming_the_field() -> None:
    tax = default_taxonomy()
    with pytest.raises(ValidationError) as info:
        tax.subcategory("nope", "x")
    assert "category" in info.value.fields
    with pytest.raises(ValidationError) as info:
        tax.subcategory("trade", "nope")
    assert "subcategory" in info.value.fields


def test_label_reads_both_levels_and_survives_unknown_codes() -> None:
    tax = default_taxonomy()
    assert tax.label("trade", "refund") == "交易类 / 退款"
    assert tax.label("gone") == "gone"
    assert tax.label("trade", "renamed") == "交易类 / renamed"


def _data() -> dict:  # type: ignore[type-arg]
    return json.loads(resource_path("taxonomy.json").read_text(encoding="utf-8"))


def test_broken_group_reference_is_a_config_error() -> None:
    data = _data()
    data["categories"][0]["subcategories"][0]["group"] = "ghost"
    with pytest.raises(ConfigError, match="ghost"):
        Taxonomy.from_dict(data)


@pytest.mark.parametrize("content", ["", "{", "[]", '{"skill_groups": []}'])
def test_malformed_files_are_config_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "taxonomy.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError):
        Taxonomy.load(path)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="无法读取"):
        Taxonomy.load(tmp_path / "absent.json")


def test_round_trips_through_its_data_form() -> None:
    tax = default_taxonomy()
    again = Taxonomy.from_dict(json.loads(json.dumps(tax.to_dict())))
    assert again.to_dict() == tax.to_dict()
    assert [s.key for s in again.subcategories()] == [s.key for s in tax.subcategories()]
