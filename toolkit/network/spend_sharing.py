"""Spend maps shared into a learning-network session: share, withdraw, and the pooled mix.

The same sessions (codes, facilitator keys, closing) as the services' figures
(:mod:`toolkit.network.store`). A member shares only the totals of
:func:`toolkit.worksheets.spend_map.network.shared_payload`, after ticking the box whose words
are :func:`toolkit.network.audiences.spend_consent_text`. Each private link (the spend map's
resume id) has at most one shared map per session: sharing again replaces it. The facilitator
sees only the pooled mix (:func:`toolkit.worksheets.spend_map.network.network_mix`), never
one area's map.
"""

from __future__ import annotations

import hmac
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from toolkit.network.spend_tables import SpendShareRow
from toolkit.network.store import (
    _DUMMY_DIGEST,
    InvalidInput,
    SessionClosed,
    Store,
    StoreError,
    UnknownSession,
    _digest,
    _now,
    _random_text,
    _well_formed,
    submission_token_digest,
)
from toolkit.worksheets.spend_map.network import SharedSpend, network_mix


class SpendConsentRequired(StoreError):
    """A spend map was sent without the member's consent to share its totals."""

    def __init__(self) -> None:
        super().__init__(
            "Tick the consent box first: it says exactly which totals are shared and who sees "
            "them. Nothing has been shared."
        )


def _digest_for(resume_token: str, code: str) -> str:
    # Scoped to spend maps, so a shared map's digest never matches a services submission's.
    return submission_token_digest(resume_token, f"spend\0{code}")


def _own(session: Session, session_id: int, digest: str) -> SpendShareRow | None:
    return session.scalars(
        select(SpendShareRow).where(
            SpendShareRow.session_id == session_id, SpendShareRow.resume_token_hash == digest
        )
    ).one_or_none()


def share_spend(
    store: Store, code: str, payload: dict[str, Any], consent: bool, resume_token: str
) -> str:
    """Share a map's totals with the session whose code is ``code``; returns the share's id.

    Refuses with :class:`SpendConsentRequired` without consent, :class:`UnknownSession` for
    an unknown code and :class:`SessionClosed` when the facilitator has closed the session.
    Sharing again from the same private link replaces the earlier totals.
    """
    if consent is not True:
        raise SpendConsentRequired()
    if not _well_formed(resume_token):
        raise InvalidInput("resume token: save the map first, so it has a private link")
    try:
        shared = SharedSpend.model_validate(payload)
    except ValidationError as exc:
        detail = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise InvalidInput(f"the map's totals cannot be shared: {detail}") from None
    if shared.total <= 0:
        raise InvalidInput("the map has no spend yet: enter provision lines before sharing")
    stored = shared.model_dump(mode="json")

    def work(session: Session) -> str:
        parent = store._session_row(session, code)
        if parent is None:
            raise UnknownSession()
        if parent.closed_at is not None:
            raise SessionClosed()
        digest = _digest_for(resume_token, parent.code)
        now = _now()
        mine = _own(session, parent.id, digest)
        if mine is not None:
            mine.payload = stored
            mine.consented_at = now
            mine.updated_at = now
            return mine.share_id
        share_id = _random_text(16)
        session.add(
            SpendShareRow(
                share_id=share_id,
                session_id=parent.id,
                payload=stored,
                resume_token_hash=digest,
                consented_at=now,
                created_at=now,
                updated_at=now,
            )
        )
        return share_id

    return store._retrying(work)


def is_shared(store: Store, code: str, resume_token: str) -> bool:
    """Whether this private link has a map shared in the session (False for anything unknown)."""
    if not _well_formed(resume_token):
        return False
    with store._transaction() as session:
        parent = store._session_row(session, code)
        if parent is None:
            return False
        return _own(session, parent.id, _digest_for(resume_token, parent.code)) is not None


def withdraw_spend(store: Store, code: str, resume_token: str) -> bool:
    """Delete this private link's shared totals from the session (also once it is closed).

    False when there is nothing to withdraw (unknown code, or nothing shared from this link).
    """
    if not _well_formed(resume_token):
        return False

    def work(session: Session) -> bool:
        parent = store._session_row(session, code)
        if parent is None:
            hmac.compare_digest(_DUMMY_DIGEST, _digest(resume_token))  # same time either way
            return False
        row = _own(session, parent.id, _digest_for(resume_token, parent.code))
        if row is None:
            return False
        session.delete(row)
        return True

    removed = store._retrying(work)
    if removed:
        store._checkpoint()
    return removed


def shared_payloads(store: Store, code: str, facilitator_key: str) -> list[dict[str, Any]]:
    """The session's shared totals (raw: show them only through :func:`spend_mix`).

    :class:`toolkit.network.store.WrongKey` on a bad code or key.
    """
    with store._transaction() as session:
        parent = store._authorised(session, code, facilitator_key)
        rows = session.scalars(
            select(SpendShareRow)
            .where(SpendShareRow.session_id == parent.id)
            .order_by(SpendShareRow.created_at, SpendShareRow.id)
        ).all()
        return [dict(row.payload) for row in rows]


def spend_mix(store: Store, code: str, facilitator_key: str) -> dict[str, Any]:
    """The network's pooled mix for the facilitator, under disclosure control."""
    return network_mix(shared_payloads(store, code, facilitator_key))
