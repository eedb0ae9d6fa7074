"""Find and mask personal data (ID card numbers, bank cards, mobile numbers) in free Chinese text.

Tickets are full of long digit strings that must stay readable (order and trade numbers,
timestamps, amounts, ticket numbers), so a value is recognised by what makes it valid, never by
its length alone: the GB 11643-1999 check digit, province code and birth date of an ID number,
the Luhn digit and an issuer prefix of a card, the 1[3-9] prefix of a mobile number.

How the scanner reads text:

* Each character is folded with NFKC one by one, so that full-width digits (１３８), full-width
  dashes and ideographic spaces count as their ASCII forms while every index still points into
  the original string. Only true decimal digits (category Nd) fold to digits: circled list
  markers such as ①, and superscripts, stay non-digits, so "①13812345678" is still a phone.
* A *group* is a maximal run of ASCII digits (an ID may end in X). A match never splits a
  group: 19 digits inside a 24-digit order number are not a card. The one exception is a
  country code glued to a mobile number (8613812345678, 008613812345678).
* Groups joined by one short separator (one or two spaces, or a dash with optional spaces) form
  a *chain*, because people write 138 1234 5678, 6222-0212-3456-7894 or 110101 19900307 001X.
  Tabs and line breaks do not join: they separate table cells and lines. A value is a run of
  consecutive groups of a chain, so two numbers separated by one space are both found; among
  overlapping readings the scanner keeps the set that covers the most digits (then the usual
  groupings 3-4-4, 4-4-4-4, 6-8-4), because uncovered digits are leaked digits. Every group but
  the last in a multi-group value has at least three digits (a leading 86/0086 excepted), so
  rows of small numbers such as "1 3 8 1 2 ..." do not assemble into a phone.

Masking choice: a match is replaced by a compact mask without the user's separators
("138 1234 5678" -> "138****5678", full-width digits become ASCII). Reasons: one display
form however the value was pasted, and the visible digits stay glued to the stars. A digit run
touching a star run that has digits on both sides ("138****5678") is an already-masked fragment
and never joins a chain, which makes mask_text idempotent: if separators were kept, the visible
tail "5678" of "138 **** 5678" could join the next groups into a new, wrong match.

What stays visible: a mobile keeps 3 + 4 digits, an 18-digit ID the first 2 (province) and the
last 4 (6 in all, no birth-date digit), a 15-digit ID the first 2 and last 3 (its last 4 would
include a birth-date digit), a card the first 4 and last 4.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal, NamedTuple

__all__ = [
    "Kind",
    "Match",
    "find_personal_data",
    "is_bank_card",
    "is_mobile",
    "is_valid_id_card",
    "luhn_ok",
    "mask_text",
]

Kind = Literal["id_card", "bank_card", "mobile"]

# First two digits of a resident ID: provinces, plus Hong Kong, Macau and Taiwan residence
# permits (81, 82, 83). Order numbers that start with a year (20xx) fail here at once.
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82", "83"}
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Issuer prefixes: Mastercard 2-series, Amex/JCB/Diners, Visa, Mastercard/Maestro, UnionPay and
# Discover (6), and the old 19-digit domestic cards (9558 ICBC, 9559 ABC). Timestamps and
# date-prefixed order numbers start with 1 or 20 and never qualify.
_CARD_PREFIX = re.compile(r"2[2-7]|3[045678]|[456]|95")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")

_SEPARATOR = r"(?: {1,2}| ?[-\u2010-\u2015\u2212] ?)"
_GROUP = re.compile(r"[0-9]+[Xx]?")
# Groups joined by separators; an X can only end a chain (it ends an ID).
_CHAIN = re.compile(rf"[0-9]+(?:{_SEPARATOR}[0-9]+)*[Xx]?")
# A star run with a digit on each side is a mask we (or another system) produced.
_MASK_STARS = re.compile(r"(?<=[0-9])\*+(?=[0-9])")
_STRIP = re.compile(r"[\s\-\u2010-\u2015\u2212]+")

_MAX_DIGITS = 19  # the longest value: a 19-digit card
_MIN_DIGITS = 11  # the shortest: a mobile number
_DECIMAL_DIGIT = re.compile(r"\d")  # Unicode Nd: every character that can fold to a digit
# What the scanner looks at after folding; other folds (，→ ,) do not matter to it.
_SCANNED = frozenset("0123456789Xx*+ -\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_COUNTRY_CODES = ("86", "0086")
_COUNTRY_CODE_BY_LENGTH = {11: "", 13: "86", 15: "0086"}  # length of a mobile with that prefix


@dataclass(frozen=True, slots=True)
class Match:
    """One value found in a text; start/end index the original text, masked replaces it."""

    kind: Kind
    start: int
    end: int
    original: str
    masked: str


@lru_cache(maxsize=16384)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        return ch  # keep one character per character so indices stay valid
    if folded.isdigit() and unicodedata.category(ch) != "Nd":
        return ch  # ① ² ₃ are list markers and exponents, not digits of a number
    return folded


def _fold(text: str) -> str:
    """NFKC, character by character, so that len and indices are those of the original.

    Only folds that the scanner can see are applied, so that ordinary Chinese text (full-width
    commas and colons fold too, but to characters that do not matter) skips translate().
    """
    table = {
        ord(c): f
        for c in set(text)
        if not c.isascii() and (f := _fold_char(c)) != c and f in _SCANNED
    }
    return text.translate(table) if table else text


def _compact(value: str) -> str:
    return _STRIP.sub("", _fold(value))


def _birth_date_ok(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def _id_ok(d: str) -> bool:
    if len(d) == 18:
        body, check = d[:17], d[17].upper()
        if not body.isascii() or not body.isdigit():
            return False
        # 9: foreign permanent residents (2023 format), province code in digits 2-3.
        region_ok = d[:2] in _PROVINCES or (d[0] == "9" and d[1:3] in _PROVINCES)
        if not region_ok or not _birth_date_ok(int(d[6:10]), int(d[10:12]), int(d[12:14])):
            return False
        total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == check
    if len(d) == 15 and d.isascii() and d.isdigit():
        # Legacy (pre-1999) number: no check digit, two-digit year of the 1900s.
        return d[:2] in _PROVINCES and _birth_date_ok(
            1900 + int(d[6:8]), int(d[8:10]), int(d[10:12])
        )
    return False


def _luhn_ok(d: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(d)):
        n = ord(c) - 48
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _card_ok(d: str) -> bool:
    return 13 <= len(d) <= 19 and _CARD_PREFIX.match(d) is not None and _luhn_ok(d)


def is_valid_id_card(s: str) -> bool:
    """An 18-digit resident ID with a valid check digit, or a 15-digit legacy one.

    Full-width digits, spaces and dashes are tolerated; x counts as X.
    """
    return _id_ok(_compact(s))


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check alone; full-width digits are folded, anything else fails."""
    d = _fold(digits)
    return bool(d) and d.isascii() and d.isdigit() and _luhn_ok(d)


def is_bank_card(digits: str) -> bool:
    """13-19 digits with an issuer prefix and a valid Luhn digit (spaces and dashes tolerated)."""
    d = _compact(digits)
    return d.isascii() and d.isdigit() and _card_ok(d)


def is_mobile(digits: str) -> bool:
    """An 11-digit mainland mobile number (no country code); spaces and dashes tolerated."""
    return _MOBILE.fullmatch(_compact(digits)) is not None


def _classify(d: str) -> tuple[Kind, int] | None:
    """Kind and the number of leading digits to leave out (a country code), or None."""
    if len(d) < _MIN_DIGITS or len(d) == 12:
        return None  # nothing valid has these lengths; most candidates stop here
    if len(d) in (15, 18) and _id_ok(d):
        return "id_card", 0
    if not d.isdigit():
        return None
    code = _COUNTRY_CODE_BY_LENGTH.get(len(d))
    if code is not None and d.startswith(code) and _MOBILE.fullmatch(d, len(code)):
        return "mobile", len(code)
    return ("bank_card", 0) if _card_ok(d) else None


def _mask(kind: Kind, d: str) -> str:
    if kind == "mobile":
        keep_head, keep_tail = 3, 4
    elif kind == "bank_card":
        keep_head, keep_tail = 4, 4
    else:
        keep_head, keep_tail = (2, 4) if len(d) == 18 else (2, 3)
    return d[:keep_head] + "*" * (len(d) - keep_head - keep_tail) + d[-keep_tail:]


class _Group(NamedTuple):
    start: int
    end: int  # after the X, if any
    digits: str  # ASCII digits, plus X when the group ends in one


def _chains(folded: str) -> Iterator[list[_Group]]:
    """Chains that hold at least as many digits as the shortest value."""
    fragment_ends: set[int] = set()
    fragment_starts: set[int] = set()
    if "*" in folded:
        for m in _MASK_STARS.finditer(folded):
            fragment_ends.add(m.start())
            fragment_starts.add(m.end())
    for chain in _CHAIN.finditer(folded):
        if chain.end() - chain.start() < _MIN_DIGITS:
            continue  # dates, times, amounts and most short numbers stop here
        if chain.group().isalnum():  # no separator: one group, the common case
            groups = [_Group(chain.start(), chain.end(), chain.group().upper())]
        else:
            groups = [
                _Group(m.start(), m.end(), m.group().upper())
                for m in _GROUP.finditer(folded, chain.start(), chain.end())
            ]
        if not fragment_ends:
            yield groups
            continue
        # A group touching a mask ("138****5678") stands alone and breaks its chain.
        run: list[_Group] = []
        for group in groups:
            if group.start in fragment_starts or group.end in fragment_ends:
                if run:
                    yield run
                yield [group]
                run = []
            else:
                run.append(group)
        if run:
            yield run


# Usual ways of grouping a value; breaks ties between overlapping readings of a chain.
_USUAL_SHAPES = frozenset({(3, 4, 4), (3, 8), (6, 8, 4), (4, 6, 5)})


def _usual_shape(sizes: list[int]) -> bool:
    return len(sizes) == 1 or tuple(sizes) in _USUAL_SHAPES or set(sizes[:-1]) == {4}


class _Candidate(NamedTuple):
    last: int  # index of the value's last group in the chain
    weight: int
    kind: Kind
    value: str  # digits without the country code
    start: int
    end: int


def _candidates(chain: list[_Group], i: int) -> list[_Candidate]:
    """Valid values made of groups i..j of a chain."""
    found: list[_Candidate] = []
    digits = ""
    for j in range(i, len(chain)):
        if j > i:
            previous = chain[j - 1].digits
            if len(previous) < 3 and not (j - 1 == i and previous in _COUNTRY_CODES):
                break
        digits += chain[j].digits
        if len(digits) < _MIN_DIGITS:
            continue
        if len(digits) > _MAX_DIGITS + digits.endswith("X"):
            break
        value, end = digits, chain[j].end
        hit = _classify(value)
        if hit is None and value.endswith("X"):
            # A stray x after a phone or card ("13812345678x"): the digits still count.
            value, end = value[:-1], end - 1
            hit = _classify(value)
        if hit is None:
            continue
        kind, skip = hit
        sizes = [len(g.digits) for g in chain[i : j + 1]]
        if skip and sizes[0] == skip:
            sizes = sizes[1:]  # a country code written as its own group
        # Digits covered count first, a usual grouping second: more covered is less leaked.
        weight = 2 * (len(value) - skip) + _usual_shape(sizes)
        start = _digit_position(chain, i, skip)
        found.append(_Candidate(j, weight, kind, value[skip:], start, end))
    return found


def _scan_chain(chain: list[_Group], text: str) -> list[Match]:
    """The non-overlapping values of a chain with the greatest total weight.

    Taking the longest value from the left would read "1381 138 1234 5678" as the phone
    13811381234 and leave "1234 5678" of the real one visible; a small dynamic programme over
    the groups (a chain is short, a value spans at most 19 digits) picks the best reading.
    """
    n = len(chain)
    score = [0] * (n + 1)  # best total weight of groups i..n-1
    choice: list[_Candidate | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        score[i] = score[i + 1]
        for c in _candidates(chain, i):
            if c.weight + score[c.last + 1] > score[i]:
                score[i], choice[i] = c.weight + score[c.last + 1], c
    found: list[Match] = []
    i = 0
    while i < n:
        picked = choice[i]
        if picked is None:
            i += 1
            continue
        kind, start, end = picked.kind, picked.start, picked.end
        found.append(Match(kind, start, end, text[start:end], _mask(kind, picked.value)))
        i = picked.last + 1
    return found


def _digit_position(chain: list[_Group], i: int, skip: int) -> int:
    """Index in the text of the digit that follows `skip` digits from group i."""
    for group in chain[i:]:
        if skip < len(group.digits):
            return group.start + skip
        skip -= len(group.digits)
    raise AssertionError("skip runs past the chain")  # pragma: no cover - _classify bounds it


def find_personal_data(text: str) -> list[Match]:
    """Every ID number, bank card and mobile number in text, in order, never overlapping."""
    if len(_DECIMAL_DIGIT.findall(text)) < _MIN_DIGITS:
        # Most subjects and replies cannot hold a value at all; a queue page masks 50 of them.
        return []
    folded = _fold(text)
    matches: list[Match] = []
    for chain in _chains(folded):
        matches.extend(_scan_chain(chain, text))
    return matches


def mask_text(text: str) -> str:
    """text with each value found by find_personal_data replaced by its mask."""
    parts: list[str] = []
    pos = 0
    for m in find_personal_data(text):
        parts.append(text[pos : m.start])
        parts.append(m.masked)
        pos = m.end
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)
