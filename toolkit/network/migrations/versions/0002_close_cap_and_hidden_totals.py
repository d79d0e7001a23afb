"""Sessions can be closed and capped, and remember group totals that must stay hidden.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("learning_session") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("max_services", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("hidden_pooled", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("learning_session") as batch:
        batch.drop_column("hidden_pooled")
        batch.drop_column("max_services")
        batch.drop_column("closed_at")
