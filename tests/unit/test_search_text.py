from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.search_text import MAX_TERMS, fts5_match, index_tokens, query_terms
from desk_app.errors import ValidationError


def test_cjk_runs_become_bigrams_plus_last_character() -> None:
    assert index_tokens("充值失败") == ["充值", "值失", "失败", "败"]


def test_latin_and_digits_stay_words_lower_cased() -> None:
    assert index_tokens("Steam卡 KM-2026") == ["steam", "卡", "km", "2026"]


def test_full_width_digits_fold_to_ascii() -> None:
    assert index_tokens("订单１２３") == ["订单", "单", "123"]


def test_two_character_query_is_one_bigram_phrase() -> None:
    assert fts5_match("到账") == '"到账"'


def test_single_character_is_a_prefix_query() -> None:
    assert fts5_match("卡") == '"卡"*'


def test_several_terms_are_all_required() -> None:
    assert fts5_match("退款 steam") == '"退款" AND "steam"*'


def test_punctuation_only_query_searches_nothing() -> None:
    assert fts5_match("  ，。!! ") is None
    assert query_terms("") == []


def test_quotes_cannot_break_out_of_the_phrase() -> None:
    expr = fts5_match('到账" OR "x')
    assert expr is not None
    assert expr.count('"') % 2 == 0
    assert "OR" not in expr.replace('"', "")


CJK = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80), min_size=1, max_size=30
)


@given(CJK, st.integers(min_value=0, max_value=29), st.integers(min_value=2, max_value=4))
def test_every_substring_is_a_consecutive_run_of_tokens(text: str, start: int, size: int) -> None:
    """The property that makes a bigram phrase an exact substring search."""
    term = text[start : start + size]
    if len(term) < 2:
        return
    doc = index_tokens(text)
    wanted = query_terms(term)[0].tokens
    n = len(wanted)
    assert any(tuple(doc[i : i + n]) == wanted for i in range(len(doc) - n + 1))


def test_a_repeated_term_counts_once() -> None:
    assert fts5_match("到账 到账 卡 卡 到账") == '"到账" AND "卡"*'


def test_too_many_terms_are_refused_with_the_limit_named() -> None:
    assert len(query_terms("一 二 三 四 五 六 七 八")) == MAX_TERMS
    with pytest.raises(ValidationError) as refused:
        query_terms("一 二 三 四 五 六 七 八 九")
    assert "最多 8 个" in refused.value.fields["q"]
    # Repetition of the same few words is not "too many".
    assert len(query_terms("卡 " * 300)) == 1
