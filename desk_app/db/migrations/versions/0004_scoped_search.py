"""Search documents carry their ticket's scope; FTS5 splits on spaces only.

SQLite only. The search table gains a `scope` column (organisation and skill group tokens,
domain/search_text.py) so that scoped hit counts come from the index alone. Documents are
already split into tokens in Python, so the `ascii` tokenizer (which keeps every non-ASCII
character inside a token) splits them as unicode61 did, at a fifth less cost per document;
`columnsize=0` drops the per-document sizes that only ranking functions read.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCOPED = "fts5(body, scope, tokenize='ascii', columnsize=0)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE VIRTUAL TABLE ticket_fts_scoped USING {SCOPED}")
    # 'g' || hex(grp) is scope_tokens() in SQL: hex() of TEXT is of its UTF-8 bytes.
    op.execute(
        "INSERT INTO ticket_fts_scoped (rowid, body, scope)"
        " SELECT f.rowid, f.body, 'o' || t.org_id || ' g' || lower(hex(t.grp))"
        " FROM ticket_fts AS f JOIN tickets AS t ON t.id = f.rowid"
    )
    op.execute("DROP TABLE ticket_fts")
    op.execute("ALTER TABLE ticket_fts_scoped RENAME TO ticket_fts")
    op.execute("INSERT INTO ticket_fts (ticket_fts) VALUES ('optimize')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE VIRTUAL TABLE ticket_fts_plain USING fts5(body, tokenize='unicode61')")
    op.execute("INSERT INTO ticket_fts_plain (rowid, body) SELECT rowid, body FROM ticket_fts")
    op.execute("DROP TABLE ticket_fts")
    op.execute("ALTER TABLE ticket_fts_plain RENAME TO ticket_fts")
