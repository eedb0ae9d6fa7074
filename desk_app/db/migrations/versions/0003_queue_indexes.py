"""Queue index for one skill group ordered by last update (an agent's default queue).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_grp_updated", "tickets", ["grp", "updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_tickets_grp_updated", "tickets")
