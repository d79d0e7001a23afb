"""The learning-network programme: networks, members, sets, priorities, meetings, notes,
actions, feedback, members' yearly figures and the paper's edited paragraphs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_network",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("facilitator_key_hash", sa.String(length=64), nullable=False),
        sa.Column("session_code", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_network")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_network_code")),
    )
    op.create_table(
        "programme_issue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("chosen", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["programme_network.id"],
            name=op.f("fk_programme_issue_network_id_programme_network"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_issue")),
        sa.UniqueConstraint("network_id", "text", name=op.f("uq_programme_issue_network_id_text")),
    )
    op.create_table(
        "programme_paragraph",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["programme_network.id"],
            name=op.f("fk_programme_paragraph_network_id_programme_network"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_paragraph")),
        sa.UniqueConstraint(
            "network_id", "key", name=op.f("uq_programme_paragraph_network_id_key")
        ),
    )
    op.create_table(
        "programme_set",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["programme_set.id"],
            name=op.f("fk_programme_set_merged_into_id_programme_set"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["programme_network.id"],
            name=op.f("fk_programme_set_network_id_programme_network"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_set")),
        sa.UniqueConstraint("network_id", "name", name=op.f("uq_programme_set_network_id_name")),
    )
    op.create_table(
        "programme_meeting",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.String(length=32), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=True),
        sa.Column("set_name", sa.String(length=200), nullable=True),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["programme_network.id"],
            name=op.f("fk_programme_meeting_network_id_programme_network"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["programme_set.id"],
            name=op.f("fk_programme_meeting_set_id_programme_set"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_meeting")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_programme_meeting_meeting_id")),
    )
    op.create_table(
        "programme_member",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(length=32), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("link_token_hash", sa.String(length=64), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["programme_network.id"],
            name=op.f("fk_programme_member_network_id_programme_network"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["programme_set.id"],
            name=op.f("fk_programme_member_set_id_programme_set"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_member")),
        sa.UniqueConstraint("link_token_hash", name=op.f("uq_programme_member_link_token_hash")),
        sa.UniqueConstraint("member_id", name=op.f("uq_programme_member_member_id")),
    )
    op.create_table(
        "programme_action",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action_id", sa.String(length=32), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("previous_due", sa.Date(), nullable=True),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_changed", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["programme_meeting.id"],
            name=op.f("fk_programme_action_meeting_id_programme_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["programme_member.id"],
            name=op.f("fk_programme_action_member_id_programme_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["programme_network.id"],
            name=op.f("fk_programme_action_network_id_programme_network"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_action")),
        sa.UniqueConstraint("action_id", name=op.f("uq_programme_action_action_id")),
    )
    op.create_table(
        "programme_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("useful", sa.Integer(), nullable=False),
        sa.Column("differently", sa.Text(), nullable=False),
        sa.Column("new_contacts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["programme_meeting.id"],
            name=op.f("fk_programme_feedback_meeting_id_programme_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["programme_member.id"],
            name=op.f("fk_programme_feedback_member_id_programme_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_feedback")),
        sa.UniqueConstraint(
            "meeting_id", "member_id", name=op.f("uq_programme_feedback_meeting_id_member_id")
        ),
    )
    op.create_table(
        "programme_note",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["programme_meeting.id"],
            name=op.f("fk_programme_note_meeting_id_programme_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_note")),
    )
    op.create_table(
        "programme_rating",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["programme_issue.id"],
            name=op.f("fk_programme_rating_issue_id_programme_issue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["programme_member.id"],
            name=op.f("fk_programme_rating_member_id_programme_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_rating")),
        sa.UniqueConstraint(
            "issue_id", "member_id", name=op.f("uq_programme_rating_issue_id_member_id")
        ),
    )
    op.create_table(
        "programme_reader",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["programme_meeting.id"],
            name=op.f("fk_programme_reader_meeting_id_programme_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["programme_member.id"],
            name=op.f("fk_programme_reader_member_id_programme_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_reader")),
        sa.UniqueConstraint(
            "meeting_id", "member_id", name=op.f("uq_programme_reader_meeting_id_member_id")
        ),
    )

    op.create_table(
        "programme_figures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("people_supported", sa.Integer(), nullable=False),
        sa.Column("job_outcomes", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["programme_member.id"],
            name=op.f("fk_programme_figures_member_id_programme_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_figures")),
        sa.UniqueConstraint("member_id", "year", name=op.f("uq_programme_figures_member_id_year")),
    )


def downgrade() -> None:
    op.drop_table("programme_figures")
    op.drop_table("programme_reader")
    op.drop_table("programme_rating")
    op.drop_table("programme_note")
    op.drop_table("programme_feedback")
    op.drop_table("programme_action")
    op.drop_table("programme_member")
    op.drop_table("programme_meeting")
    op.drop_table("programme_set")
    op.drop_table("programme_paragraph")
    op.drop_table("programme_issue")
    op.drop_table("programme_network")
