"""Database tables of the learning-network programme, on the store's declarative ``Base``.

Created by migration ``0003_programme``. Secrets (the facilitator key, members' link
tokens) are kept only as SHA-256 digests. Public ids (member, meeting, action) are random
text, never the row numbers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from toolkit.network.store import Base

_CASCADE = "CASCADE"


class NetworkRow(Base):
    """A learning network: a programme of meetings run by one facilitator."""

    __tablename__ = "programme_network"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    facilitator_key_hash: Mapped[str] = mapped_column(String(64))
    #: The learning-network session (same code and key) where members pool their figures.
    session_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SetRow(Base):
    """An action learning set; a merged set points at the set it joined."""

    __tablename__ = "programme_set"
    __table_args__ = (UniqueConstraint("network_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("programme_network.id", ondelete=_CASCADE))
    name: Mapped[str] = mapped_column(String(200))
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_set.id", ondelete="SET NULL"), nullable=True
    )


class MemberRow(Base):
    """A member organisation, with the digest of its private link token."""

    __tablename__ = "programme_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(String(32), unique=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("programme_network.id", ondelete=_CASCADE))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    link_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    set_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_set.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class IssueRow(Base):
    """A candidate priority issue."""

    __tablename__ = "programme_issue"
    __table_args__ = (UniqueConstraint("network_id", "text"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("programme_network.id", ondelete=_CASCADE))
    text: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(20))
    chosen: Mapped[bool] = mapped_column(Boolean)


class RatingRow(Base):
    """One member's 1-5 rating of one issue (rating again replaces it)."""

    __tablename__ = "programme_rating"
    __table_args__ = (UniqueConstraint("issue_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("programme_issue.id", ondelete=_CASCADE))
    member_id: Mapped[int] = mapped_column(ForeignKey("programme_member.id", ondelete=_CASCADE))
    score: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class MeetingRow(Base):
    """A meeting of one set (or of the whole network when ``set_id`` is empty)."""

    __tablename__ = "programme_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[str] = mapped_column(String(32), unique=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("programme_network.id", ondelete=_CASCADE))
    set_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_set.id", ondelete="SET NULL"), nullable=True
    )
    set_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    theme: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReaderRow(Base):
    """A member who may read a meeting's note: the set's members when it met."""

    __tablename__ = "programme_reader"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("programme_meeting.id", ondelete=_CASCADE))
    member_id: Mapped[int] = mapped_column(ForeignKey("programme_member.id", ondelete=_CASCADE))


class NoteRow(Base):
    """One line of a meeting's note: an issue raised, an idea or solution, or an outcome."""

    __tablename__ = "programme_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("programme_meeting.id", ondelete=_CASCADE))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ActionRow(Base):
    """An agreed action, with its status and the date the status or due date last changed."""

    __tablename__ = "programme_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action_id: Mapped[str] = mapped_column(String(32), unique=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("programme_network.id", ondelete=_CASCADE))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("programme_meeting.id", ondelete=_CASCADE))
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_member.id", ondelete="SET NULL"), nullable=True
    )
    due: Mapped[dt.date] = mapped_column(Date)
    previous_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    audience: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    status_changed: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FeedbackRow(Base):
    """A member's short feedback on a meeting (sending again replaces it)."""

    __tablename__ = "programme_feedback"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("programme_meeting.id", ondelete=_CASCADE))
    member_id: Mapped[int] = mapped_column(ForeignKey("programme_member.id", ondelete=_CASCADE))
    useful: Mapped[int] = mapped_column(Integer)
    differently: Mapped[str] = mapped_column(Text)
    new_contacts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ParagraphRow(Base):
    """The facilitator's own wording of one paragraph of the summary and action paper."""

    __tablename__ = "programme_paragraph"
    __table_args__ = (UniqueConstraint("network_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("programme_network.id", ondelete=_CASCADE))
    key: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class FiguresRow(Base):
    """A member's own figures for one year, shared from their private link."""

    __tablename__ = "programme_figures"
    __table_args__ = (UniqueConstraint("member_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("programme_member.id", ondelete=_CASCADE))
    year: Mapped[int] = mapped_column(Integer)
    people_supported: Mapped[int] = mapped_column(Integer)
    job_outcomes: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
