"""The search index: bigram documents in SQLite FTS5, or a tsvector table on PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, column, func, select, table, text
from sqlalchemy.orm import Session

from desk_app.db.schema import TicketRow
from desk_app.domain.search_text import index_text, query_terms, scope_tokens

PG_SEARCH = table("ticket_search", column("ticket_id"), column("doc"))


def pg_document(body: ColumnElement[str]) -> ColumnElement[Any]:
    """PostgreSQL's search document of a text of bigram tokens (index_text)."""
    return func.to_tsvector("simple", body)


def index_ticket(session: Session, ticket_id: int, *parts: str, org_id: int, group: str) -> None:
    """Index a new ticket on SQLite. Its organisation and group are part of its document: a
    change of a ticket's group must index it again (index_ticket_doc with the new scope).
    PostgreSQL's document is written with the ticket (db/tickets.py: insert_ticket)."""
    doc = index_text(*parts)
    index_ticket_doc(session, ticket_id, doc, scope_tokens(org_id, group))


def append_to_index(
    session: Session, ticket_id: int, part: str, *, org_id: int, group: str
) -> None:
    extra = index_text(part)
    if not extra:
        return
    if session.get_bind().dialect.name == "sqlite":
        current = session.execute(
            text("SELECT body FROM ticket_fts WHERE rowid = :id"), {"id": ticket_id}
        ).scalar()
        body = f"{current} {extra}" if current is not None else extra
        index_ticket_doc(session, ticket_id, body, scope_tokens(org_id, group))
    else:
        session.execute(
            text(
                "UPDATE ticket_search SET doc = doc || to_tsvector('simple', :body) "
                "WHERE ticket_id = :id"
            ),
            {"id": ticket_id, "body": extra},
        )


def index_ticket_doc(session: Session, ticket_id: int, doc: str, scope: str) -> None:
    conn = session.connection()
    conn.execute(_FTS_DELETE, {"id": ticket_id})
    conn.execute(_FTS_INSERT, {"id": ticket_id, "body": doc, "scope": scope})


_FTS_DELETE = text("DELETE FROM ticket_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO ticket_fts(rowid, body, scope) VALUES (:id, :body, :scope)")


def pg_matching_ids(query: str) -> ColumnElement[bool] | None:
    """A condition on tickets.id for the query on PostgreSQL; None when nothing is searchable.
    (SQLite joins FTS5 directly, in db/search_page.py, so that the index drives the order.)"""
    terms = query_terms(query)
    if not terms:
        return None
    phrases = []
    for term in terms:
        lexemes = [_pg_lexeme(t) for t in term.tokens]
        if term.prefix_last:
            lexemes[-1] += ":*"
        phrases.append("(" + " <-> ".join(lexemes) + ")")
    tsq = " & ".join(phrases)
    sub = select(PG_SEARCH.c.ticket_id).where(
        text("doc @@ to_tsquery('simple', :q)").bindparams(q=tsq)
    )
    return TicketRow.id.in_(sub)


def _pg_lexeme(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"
