"""Initial schema: organisations, users, skill groups, tickets, events, search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desk_app.db.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orgs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("tier", sa.String(20), nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("org_id", sa.Integer, sa.ForeignKey("orgs.id")),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "user_groups",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("group_code", sa.String(32), primary_key=True),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("org_id", sa.Integer, sa.ForeignKey("orgs.id"), nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("subcategory", sa.String(48), nullable=False),
        sa.Column("grp", sa.String(32), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("idempotency_key", sa.String(64), unique=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_tickets_status_updated", "tickets", ["status", "updated_at", "id"])
    op.create_index("ix_tickets_org_updated", "tickets", ["org_id", "updated_at", "id"])
    op.create_index(
        "ix_tickets_grp_status_updated", "tickets", ["grp", "status", "updated_at", "id"]
    )
    op.create_index("ix_tickets_owner_updated", "tickets", ["owner_id", "updated_at", "id"])
    op.create_index("ix_tickets_updated", "tickets", ["updated_at", "id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("internal", sa.Boolean, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("ticket_id", "seq", name="uq_events_ticket_seq"),
    )
    op.create_table(
        "ticket_counters",
        sa.Column("day", sa.String(8), primary_key=True),
        sa.Column("last", sa.Integer, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        # Bigram tokens are made in Python (domain/search_text.py); unicode61 only splits on
        # the spaces between them.
        op.execute("CREATE VIRTUAL TABLE ticket_fts USING fts5(body, tokenize='unicode61')")
    else:
        op.create_table(
            "ticket_search",
            sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id"), primary_key=True),
            sa.Column("doc", sa.dialects.postgresql.TSVECTOR, nullable=False),
        )
        op.execute("CREATE INDEX ix_ticket_search_doc ON ticket_search USING gin (doc)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE ticket_fts")
    else:
        op.drop_table("ticket_search")
    for table in ("ticket_counters", "events", "tickets", "user_groups", "users", "orgs"):
        op.drop_table(table)
