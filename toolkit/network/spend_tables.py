"""The table of spend maps shared into a learning-network session (migration ``0004``).

A row holds only what a member agreed to share (see
:func:`toolkit.network.audiences.spend_consent_text`): the year, the price year, the total
and the totals by type of support, client group and delivery organisation. The member's
private link token is kept only as an HMAC digest scoped to the session, as for services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from toolkit.network.store import Base


class SpendShareRow(Base):
    """One area's shared spend map in one session (at most one per private link)."""

    __tablename__ = "spend_share"
    __table_args__ = (UniqueConstraint("session_id", "resume_token_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    share_id: Mapped[str] = mapped_column(String(32), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("learning_session.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    resume_token_hash: Mapped[str] = mapped_column(String(64))
    consented_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
