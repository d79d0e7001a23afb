"""Initial schema: saved app state, learning-network sessions and their submissions.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_state",
        sa.Column("app", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("app", "token_hash", name="pk_app_state"),
    )
    op.create_table(
        "learning_session",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=True),
        sa.Column("facilitator_key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_learning_session"),
        sa.UniqueConstraint("code", name="uq_learning_session_code"),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.String(32), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("resume_token_hash", sa.String(64), nullable=True),
        sa.Column("idempotency_key_hash", sa.String(64), nullable=True),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["learning_session.id"],
            name="fk_submission_session_id_learning_session",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_submission"),
        sa.UniqueConstraint("submission_id", name="uq_submission_submission_id"),
        sa.UniqueConstraint(
            "session_id", "resume_token_hash", name="uq_submission_session_id_resume_token_hash"
        ),
        sa.UniqueConstraint(
            "session_id",
            "idempotency_key_hash",
            name="uq_submission_session_id_idempotency_key_hash",
        ),
    )
    op.create_index(
        "ix_submission_session_id_created_at", "submission", ["session_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_submission_session_id_created_at", table_name="submission")
    op.drop_table("submission")
    op.drop_table("learning_session")
    op.drop_table("app_state")
