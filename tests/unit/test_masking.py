from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desk_app.domain.masking import (
    Match,
    _fold_char,
    find_personal_data,
    is_bank_card,
    is_mobile,
    is_valid_id_card,
    luhn_ok,
    mask_text,
)

# --- our own check-digit generators, written independently of the module under test ---------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check(body17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True)) % 11]


def make_id(region: str, birth: date, seq: str) -> str:
    body = f"{region}{birth:%Y%m%d}{seq}"
    return body + id_check(body)


def luhn_sum(digits: str) -> int:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total


def luhn_complete(partial: str) -> str:
    """partial + the one digit that makes it pass Luhn."""
    return partial + str((10 - luhn_sum(partial + "0") % 10) % 10)


def luhn_break(number: str) -> str:
    """The same number with a wrong last digit."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def full_width(text: str) -> str:
    return "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in text)


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9X]", "", unicodedata.normalize("NFKC", text).upper())


ID_A = make_id("110101", date(1990, 3, 7), "001")  # 110101199003070011
ID_X = "11010519491231002X"  # the well-known sample number, check character X
ID_LEGACY = "110101900307001"  # 15 digits, born 1990-03-07
CARD_16 = luhn_complete("622202123456789")  # 6222021234567894
CARD_19 = luhn_complete("622848001234567890")  # 6228480012345678903
CARD_AMEX = "378282246310005"
MOBILE = "13812345678"
FEB_30 = "11010119900230001" + id_check("11010119900230001")  # right check digit, no such day

assert ID_A == "110101199003070011"
assert id_check(ID_X[:17]) == "X"
assert CARD_16 == "6222021234567894"
assert CARD_19 == "6228480012345678903"
assert luhn_sum(CARD_AMEX) % 10 == 0


# --- table: every shape that must be masked ---------------------------------------------------

POSITIVE = [
    ("glued", "手机13812345678联系", "手机138****5678联系"),
    ("spaces", "电话：138 1234 5678。", "电话：138****5678。"),
    ("dashes", "138-1234-5678", "138****5678"),
    ("dash with spaces", "138 - 1234 - 5678", "138****5678"),
    ("3-8", "138 12345678", "138****5678"),
    ("+86 spaced", "+86 138 1234 5678", "+86 138****5678"),
    ("+86 glued", "微信+8613812345678", "微信+86138****5678"),
    ("86 glued", "8613812345678", "86138****5678"),
    ("0086 dash", "0086-13812345678", "0086-138****5678"),
    ("(+86)", "(+86)13812345678", "(+86)138****5678"),
    ("full-width", "１３８１２３４５６７８", "138****5678"),
    ("full-width dashes", "１３８－１２３４－５６７８", "138****5678"),
    ("ideographic spaces", "１３８\u3000１２３４\u3000５６７８", "138****5678"),
    ("nbsp", "138\u00a01234\u00a05678", "138****5678"),
    ("at start", "13812345678是我的号码", "138****5678是我的号码"),
    ("at end", "请联系13812345678", "请联系138****5678"),
    ("circled list marker", "①13812345678②13912345678", "①138****5678②139****5678"),
    ("latin glued", "Tel13812345678", "Tel138****5678"),
    ("markdown bold", "**13812345678**", "**138****5678**"),
    ("stray x after phone", "13812345678x", "138****5678x"),
    ("two phones one space", "13812345678 13912345678", "138****5678 139****5678"),
    ("misaligned chain", "1381 138 1234 5678", "1381 138****5678"),
    ("already masked", "138****5678 13912345678", "138****5678 139****5678"),
    ("0086 own group", "0086 138 1234 5678", "0086 138****5678"),
    ("id", f"身份证{ID_A}，", "身份证11************0011，"),
    ("id lower x", "身份证号11010519491231002x", "身份证号11************002X"),
    ("id upper x", f"{ID_X}号", "11************002X号"),
    ("id grouped", "110101 19900307 0011", "11************0011"),
    ("id full-width", full_width(ID_A), "11************0011"),
    ("id legacy", f"老身份证{ID_LEGACY}", "老身份证11**********001"),
    ("card glued", f"卡号{CARD_16}", "卡号6222********7894"),
    ("card spaces", "6222 0212 3456 7894", "6222********7894"),
    ("card dashes", "6222-0212-3456-7894", "6222********7894"),
    ("card 19", "6228 4800 1234 5678 903", "6228***********8903"),
    ("card 19 icbc", "95588" + "01234567890128", "9558***********0128"),
    ("card amex", "3782 822463 10005", "3782*******0005"),
    ("card full-width", full_width("6222 0212 3456 7894"), "6222********7894"),
    ("card then phone", f"{CARD_16} {MOBILE}", "6222********7894 138****5678"),
    (
        "several",
        f"张三，手机138-1234-5678，身份证{ID_A}，卡号6222 0212 3456 7894，订单202611230001234567",
        "张三，手机138****5678，身份证11************0011，卡号6222********7894，订单202611230001234567",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in POSITIVE], ids=[c[0] for c in POSITIVE]
)
def test_masks_every_shape(text: str, expected: str) -> None:
    assert mask_text(text) == expected


def test_matches_carry_kind_and_original_indices() -> None:
    text = f"手机：１３８ １２３４ ５６７８，身份证{ID_A}，卡{CARD_16}"
    found = find_personal_data(text)
    assert [m.kind for m in found] == ["mobile", "id_card", "bank_card"]
    for m in found:
        assert text[m.start : m.end] == m.original
    assert found[0].original == "１３８ １２３４ ５６７８"
    assert found[0].masked == "138****5678"
    assert found[2] == Match(
        "bank_card", text.index(CARD_16), len(text), CARD_16, "6222********7894"
    )
    with pytest.raises(FrozenInstanceError):
        found[0].masked = "x"  # type: ignore[misc]


def test_country_code_stays_outside_the_match() -> None:
    (m,) = find_personal_data("+86 138-1234-5678")
    assert (m.start, m.original) == (4, "138-1234-5678")


# --- table: things that are not personal data -------------------------------------------------

NEGATIVE = [
    ("order number", "订单号202611230001234567"),
    ("trade number 28", "交易单号4200001234202611231234567890"),
    ("trade number 32", "流水号20261123220014123456789012345678"),
    ("card inside 24 digits", f"订单9{CARD_19}1234"),
    ("id inside longer run", f"1{ID_A}2"),
    ("phone inside longer run", f"2026{MOBILE}"),
    ("phone plus digit", f"{MOBILE}9"),
    ("timestamp", "时间20261123153000"),
    ("timestamp ms", "20261123153000123"),
    ("unix ms", "1732345678901"),
    ("date time", "2026-11-23 15:30:00"),
    ("amount", "金额¥1,380.00元，共 13800.00 元"),
    ("ticket", "工单KM-20261124-000001已受理"),
    ("ticket 2", "KM-20261124-138123"),
    ("error codes", "错误码 E10086，0x80070005，ERR_500"),
    ("id bad check", "身份证110101199003070012"),
    ("id 30 February", "身份证" + FEB_30),
    ("id bad province", make_id("000101", date(1990, 3, 7), "001")),
    ("id legacy bad date", "110101901307001"),
    ("card bad luhn", luhn_break(CARD_16)),
    ("card bad prefix", luhn_complete("100000000000000")),
    ("mobile 12x", "12812345678"),
    ("10 digits", "1381234567"),
    ("12 digits", "138123456789"),
    ("single digit groups", "1 3 8 1 2 3 4 5 6 7 8"),
    ("plain text", "充值未到账，请尽快处理！"),
    ("empty", ""),
]


@pytest.mark.parametrize("text", [c[1] for c in NEGATIVE], ids=[c[0] for c in NEGATIVE])
def test_leaves_non_personal_numbers_alone(text: str) -> None:
    assert find_personal_data(text) == []
    assert mask_text(text) == text


# --- validators -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (ID_A, True),
        (ID_X, True),
        (ID_X.lower(), True),
        ("110101 19900307 0011", True),
        (full_width(ID_A), True),
        (ID_LEGACY, True),
        ("110101199003070012", False),
        ("110101901307001", False),
        ("11010119900307001", False),
        ("", False),
        ("ABCDEFGHIJKLMNOPQR", False),
    ],
)
def test_is_valid_id_card(value: str, ok: bool) -> None:
    assert is_valid_id_card(value) is ok


def test_luhn_and_card_and_mobile_validators() -> None:
    assert luhn_ok(CARD_16) and luhn_ok(full_width(CARD_16)) and luhn_ok("0")
    assert not luhn_ok(luhn_break(CARD_16)) and not luhn_ok("") and not luhn_ok("12a4")
    assert is_bank_card("6222 0212 3456 7894") and is_bank_card(CARD_AMEX)
    assert not is_bank_card(luhn_complete("100000000000000"))  # Luhn ok, no issuer starts with 1
    assert not is_bank_card(luhn_complete("6222"))  # too short
    assert is_mobile(MOBILE) and is_mobile("138-1234-5678") and is_mobile(full_width(MOBILE))
    assert not is_mobile("12812345678") and not is_mobile("1381234567")
    assert not is_mobile("+8613812345678")


# --- properties -------------------------------------------------------------------------------

REGIONS = ["110101", "310115", "440305", "510104", "650102", "810000", "330106"]
CARD_PREFIXES = ["6222", "6228", "6217", "6013", "4367", "4111", "5187", "9558", "3528"]

ids = st.builds(
    make_id,
    st.sampled_from(REGIONS),
    st.dates(date(1900, 1, 1), date(2025, 12, 31)),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@st.composite
def cards(draw: st.DrawFn, lengths: tuple[int, ...] = (13, 14, 16, 17, 19)) -> str:
    prefix = draw(st.sampled_from(CARD_PREFIXES))
    length = draw(st.sampled_from(lengths))
    middle = draw(st.from_regex(rf"[0-9]{{{length - len(prefix) - 1}}}", fullmatch=True))
    return luhn_complete(prefix + middle)


GROUPING = {"mobile": (3, 4, 4), "id_card": (6, 8, 4), "bank_card": (4, 4, 4, 4, 4)}
SEPARATORS = [" ", "-", "  ", " - ", "\u3000", "－", "—", "\u00a0"]


@st.composite
def shaped(draw: st.DrawFn, number: str, kind: str) -> str:
    """number as a merchant might paste it: grouped or not, full-width or not, with +86."""
    text = number
    if draw(st.booleans()):
        sep = draw(st.sampled_from(SEPARATORS))
        parts, rest = [], number
        for size in GROUPING[kind]:
            if rest:
                parts.append(rest[:size])
                rest = rest[size:]
        text = sep.join([*parts, rest] if rest else parts)
    if draw(st.booleans()):
        text = full_width(text)
    if kind == "mobile":
        text = draw(st.sampled_from(["", "+86", "+86 ", "86", "0086 ", "(+86)", "+86-"])) + text
    return text


CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
PUNCT = "，。：；！？（）【】、“”《》 "
around = st.text(alphabet=CJK + PUNCT + "abcKMXx*+", max_size=40)


def _values() -> st.SearchStrategy[tuple[str, str]]:
    return st.one_of(
        ids.map(lambda n: (n, "id_card")),
        cards().map(lambda n: (n, "bank_card")),
        mobiles.map(lambda n: (n, "mobile")),
    )


@settings(max_examples=400)
@given(st.data(), _values(), around, around)
def test_valid_values_in_chinese_text_are_always_masked(
    data: st.DataObject, value: tuple[str, str], before: str, after: str
) -> None:
    number, kind = value
    pasted = data.draw(shaped(number, kind))
    text = before + pasted + after
    found = find_personal_data(text)
    assert len(found) == 1, found
    (m,) = found
    assert m.kind == kind
    assert len(before) <= m.start and m.end <= len(before) + len(pasted)
    masked = mask_text(text)
    # The surroundings are unchanged and the full number is gone.
    assert masked.startswith(before) and masked.endswith(after)
    assert masked == text[: m.start] + m.masked + text[m.end :]
    assert number.upper() not in digits_of(masked)
    visible = len(digits_of(m.masked))
    assert visible <= {"mobile": 7, "id_card": 6, "bank_card": 8}[kind]
    assert len(m.masked) == len(number)


@given(cards(lengths=tuple(range(13, 20))), around, around)
def test_cards_of_every_length_are_masked(card: str, before: str, after: str) -> None:
    # 15- and 18-digit cards may also be valid ID numbers; either way the number is hidden.
    masked = mask_text(before + card + after)
    assert masked.startswith(before) and masked.endswith(after)
    assert card not in digits_of(masked)


noise = st.text(alphabet="0123456789０１２３ -—　+*Xx86充值到账，", max_size=12)


@st.composite
def messy_texts(draw: st.DrawFn) -> str:
    pieces: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            number, kind = draw(_values())
            pieces.append(draw(shaped(number, kind)))
        else:
            pieces.append(draw(noise))
    return "".join(pieces)


@settings(max_examples=500)
@given(messy_texts())
@example("13812345678 1234 5678 901")
@example("6222 0212 3456 7894 13812345678")
def test_mask_text_is_idempotent_and_matches_are_consistent(text: str) -> None:
    found = find_personal_data(text)
    position = 0
    for m in found:
        assert position <= m.start < m.end
        assert text[m.start : m.end] == m.original
        assert not re.search(r"[\s\-]", m.masked)
        position = m.end
    once = mask_text(text)
    assert mask_text(once) == once


@given(st.text(alphabet=st.characters(exclude_categories=("Nd", "Cs"))))
def test_text_without_digits_is_unchanged(text: str) -> None:
    assert find_personal_data(text) == []
    assert mask_text(text) == text


# --- long text (its speed is measured in bench/masking.py, not asserted here) -------------------


def test_masks_every_value_in_a_20000_character_description() -> None:
    chunk = (
        f"商户反馈充值未到账，订单号202611230001234567，手机138 1234 5678，"
        f"身份证{ID_A}，卡号6222-0212-3456-7894，时间2026-11-23 15:30:00，金额¥1380.00。"
    )
    text = (chunk * (20_000 // len(chunk) + 1))[:20_000]
    repeats = text.count(chunk)
    masked = mask_text(text)
    assert masked.count("138****5678") >= repeats
    assert "202611230001234567" in masked
    assert ID_A not in masked


def test_the_digit_count_shortcut_never_skips_a_value() -> None:
    # find_personal_data gives up early on text with fewer than 11 `\d` characters; that is
    # only safe if every character the scanner reads as a digit is one of them.
    folding_to_digits = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if not chr(c).isascii() and _fold_char(chr(c)) in "0123456789"
    ]
    assert folding_to_digits  # full-width digits at least
    assert all(re.fullmatch(r"\d", c) for c in folding_to_digits)
    assert mask_text("电话１３８１２３４５６７８") != "电话１３８１２３４５６７８"
