"""Character-bigram tokens for Chinese full-text search.

Most Chinese search words are two characters (到账, 退款, 卡密), which trigram indexes cannot
serve. Each run of CJK characters becomes its overlapping bigrams plus its last character, so
that every character starts at least one token: a phrase of bigrams is then exactly a substring
match, and a single character is a prefix match. Latin letters and digits stay whole words
(lower-cased) so that order numbers and product names match by prefix. The same tokens feed
SQLite FTS5 (split on the spaces of the joined string) and, in team mode, a PostgreSQL tsvector.

On SQLite each document also carries its ticket's scope (organisation and skill group) as
tokens of a column of their own, so that a merchant's or an agent's hit count comes from the
index alone instead of checking every hit's ticket (db/search_page.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from desk_app.domain.access import Scope
from desk_app.errors import ValidationError

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_RUN = re.compile(rf"([{_CJK}]+)|([0-9a-z_]+)")
MAX_TERMS = 8


def normalise(text: str) -> str:
    # NFKC folds full-width digits and letters (ＫＭ１２３) into ASCII.
    return unicodedata.normalize("NFKC", text).lower()


def index_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for cjk, word in _RUN.findall(normalise(text)):
        if cjk:
            tokens.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
            tokens.append(cjk[-1])
        else:
            tokens.append(word)
    return tokens


def index_text(*parts: str) -> str:
    return " ".join(t for part in parts for t in index_tokens(part))


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One searched term: the tokens that must appear in a row, in order, and how."""

    tokens: tuple[str, ...]
    prefix_last: bool


def query_terms(query: str) -> list[QueryTerm]:
    """Split a user's query into terms; each term must match (AND). A repeated term counts
    once; more than MAX_TERMS different terms are refused (each is a lookup in the index, and
    a pasted paragraph of single characters kept the database busy for over a minute)."""
    terms: dict[QueryTerm, None] = {}
    for piece in normalise(query).split():
        for cjk, word in _RUN.findall(piece):
            if cjk:
                if len(cjk) == 1:
                    term = QueryTerm((cjk,), prefix_last=True)
                else:
                    term = QueryTerm(tuple(cjk[i : i + 2] for i in range(len(cjk) - 1)), False)
            else:
                term = QueryTerm((word,), prefix_last=True)
            terms[term] = None
    if len(terms) > MAX_TERMS:
        raise ValidationError(
            {"q": f"搜索词太多（{len(terms)} 个）：最多 {MAX_TERMS} 个，请删去一些再搜索"}
        )
    return list(terms)


def fts5_match(query: str) -> str | None:
    """An FTS5 MATCH expression for the query, or None when nothing searchable is left."""
    parts = []
    for term in query_terms(query):
        phrase = '"' + " ".join(term.tokens) + '"'
        parts.append(phrase + ("*" if term.prefix_last else ""))
    return " AND ".join(parts) if parts else None


def scope_tokens(org_id: int, group: str) -> str:
    """The scope column of a ticket's search document. Group codes are hex-encoded: a token
    must be one word, and one code must never be a prefix phrase of another."""
    return f"o{org_id} {_group_token(group)}"


def _group_token(group: str) -> str:
    return "g" + group.encode().hex()


def fts5_query(query: str, scope: Scope) -> str | None:
    """The MATCH expression of `query` within `scope`: the terms in the body column (a user's
    words never match scope tokens), narrowed to the scope's tokens. None: nothing to search."""
    terms = fts5_match(query)
    if terms is None:
        return None
    expr = f"body : ({terms})"
    if scope.everything:
        return expr
    if scope.org_id is not None:
        return f"{expr} AND scope : o{scope.org_id}"
    if scope.groups:
        groups = " OR ".join(_group_token(g) for g in sorted(scope.groups))
        return f"{expr} AND scope : ({groups})"
    return None
