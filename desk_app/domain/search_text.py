"""Character-bigram tokens for Chinese full-text search.

Most Chinese search words are two characters (到账, 退款, 卡密), which trigram indexes cannot
serve. Each run of CJK characters becomes its overlapping bigrams plus its last character, so
that every character starts at least one token: a phrase of bigrams is then exactly a substring
match, and a single character is a prefix match. Latin letters and digits stay whole words
(lower-cased) so that order numbers and product names match by prefix. The same tokens feed
SQLite FTS5 (unicode61 over the space-joined string) and, in team mode, a PostgreSQL tsvector.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_RUN = re.compile(rf"([{_CJK}]+)|([0-9a-z_]+)")


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
    """Split a user's query into terms; each term must match (AND)."""
    terms: list[QueryTerm] = []
    for piece in normalise(query).split():
        for cjk, word in _RUN.findall(piece):
            if cjk:
                if len(cjk) == 1:
                    terms.append(QueryTerm((cjk,), prefix_last=True))
                else:
                    terms.append(
                        QueryTerm(tuple(cjk[i : i + 2] for i in range(len(cjk) - 1)), False)
                    )
            else:
                terms.append(QueryTerm((word,), prefix_last=True))
    return terms


def fts5_match(query: str) -> str | None:
    """An FTS5 MATCH expression for the query, or None when nothing searchable is left."""
    parts = []
    for term in query_terms(query):
        phrase = '"' + " ".join(term.tokens) + '"'
        parts.append(phrase + ("*" if term.prefix_last else ""))
    return " AND ".join(parts) if parts else None
