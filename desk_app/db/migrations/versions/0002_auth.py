"""Team mode: lockout counters, sessions / API tokens, idempotent messages.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desk_app.db.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", UTCDateTime, nullable=True))
    op.create_table(
        "auth_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),  # session | api
        sa.Column("name", sa.String(120), nullable=False, server_default=""),
        sa.Column("access_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("refresh_hash", sa.String(64), unique=True),
        sa.Column("access_expires", UTCDateTime, nullable=False),
        sa.Column("refresh_expires", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_auth_tokens_user", "auth_tokens", ["user_id"])
    # A reply or note retried from a desktop's outbox carries the key it was first sent with.
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("client_key", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_events_ticket_client_key", ["ticket_id", "client_key"])


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_constraint("uq_events_ticket_client_key", type_="unique")
        batch.drop_column("client_key")
    op.drop_table("auth_tokens")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
